/**
 * Terraform expressions (as text, for variable `validation` blocks) that check CIDR blocks
 * at plan time the way `cidr.ts` checks literals at synth. Validation conditions cannot
 * use locals, so the address arithmetic is spelled out inline: an IPv4 address becomes
 * a number from its four octets, and a block is its first and last address.
 */

/** Network address of `cidr` as a number. */
function start(cidr: string): string {
  const octets = `split(".", split("/", ${cidr})[0])`;
  return `(tonumber(${octets}[0]) * 16777216 + tonumber(${octets}[1]) * 65536 + tonumber(${octets}[2]) * 256 + tonumber(${octets}[3]))`;
}

/** Last address of `cidr` as a number. */
function end(cidr: string): string {
  return `(${start(cidr)} + pow(2, 32 - tonumber(split("/", ${cidr})[1])) - 1)`;
}

/** `cidr` parses and is a network address (no host bits set). */
export function isNetworkCidr(cidr: string): string {
  return `can(cidrsubnet(${cidr}, 0, 0)) && try(cidrsubnet(${cidr}, 0, 0) == ${cidr}, false)`;
}

/** Every block in `list` lies inside `outer`. */
export function allInside(list: string, outer: string): string {
  return `alltrue([for c in ${list} : ${start('c')} >= ${start(outer)} && ${end('c')} <= ${end(outer)}])`;
}

/** No two blocks across `list` share an address. */
export function noneOverlap(list: string): string {
  return `alltrue(flatten([for i, a in ${list} : [for j, b in ${list} : i >= j || ${end('a')} < ${start('b')} || ${end('b')} < ${start('a')}]]))`;
}
