/**
 * Terraform expressions (as text, for variable `validation` blocks) that check CIDR blocks
 * at plan time the way `cidr.ts` checks literals at synth. Terraform has no CIDR comparison,
 * so a block becomes numbers: its first address (from its four octets) and its size. Blocks of
 * other variables are named locals (`local.vpc_cidr_bounds`, ...), so a validation reads as the
 * comparison it makes (Terraform 1.9 lets a validation refer to locals). A variable's own blocks
 * stay inline in its validation: in a module call a local built from `var.x` waits for x's
 * validation, so x's validation using it would be a cycle.
 */

/**
 * `[{ first, size }]` of every block in `list`, or null when one of them does not parse (the
 * validations then fail, or pass, through their own `try` as before: a local that fails
 * would be an error of its own, so the failure is kept inside the value).
 */
export function cidrBounds(list: string): string {
  const octet = (i: number) => `tonumber(o[${i}])`;
  return (
    `try([for c in ${list} : [for o in [split(".", split("/", c)[0])] : { ` +
    `first = ${octet(0)} * 16777216 + ${octet(1)} * 65536 + ${octet(2)} * 256 + ${octet(3)}, ` +
    'size = pow(2, 32 - tonumber(split("/", c)[1])) }][0]], null)'
  );
}

/** `cidr` parses and is a network address (no host bits set). */
export function isNetworkCidr(cidr: string): string {
  return `can(cidrsubnet(${cidr}, 0, 0)) && try(cidrsubnet(${cidr}, 0, 0) == ${cidr}, false)`;
}

/** Every block of `bounds` (a {@link cidrBounds} list) lies inside the one block of `outer` (another). */
export function allInside(bounds: string, outer: string): string {
  return `alltrue([for c in ${bounds} : c.first >= ${outer}[0].first && c.first + c.size <= ${outer}[0].first + ${outer}[0].size])`;
}

/** No two blocks of `bounds` (a {@link cidrBounds} list) share an address. */
export function noneOverlap(bounds: string): string {
  // `for bs in [...]` names the list once: it is compared with itself.
  return `alltrue(flatten([for bs in [${bounds}] : [for i, a in bs : [for j, b in bs : i >= j || a.first + a.size <= b.first || b.first + b.size <= a.first]]]))`;
}
