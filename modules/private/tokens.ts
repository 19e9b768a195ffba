import { Fn, IResolvable, Op, ref, TerraformResource, TerraformStack, Token } from 'cdktf';

/**
 * CDKTF has no boolean token: a Terraform boolean expression is an IResolvable. Props stay
 * typed `boolean` for TypeScript callers; the module envelope passes expressions through this.
 */
export function asBoolean(expression: IResolvable): boolean {
  return expression as unknown as boolean;
}

/**
 * Every per-environment choice reaches a construct either as a literal (the deploy stack,
 * decided at synth) or as a Terraform expression (the published module, decided at plan).
 * These helpers keep one code path for both: a literal stays a literal in the JSON,
 * an expression becomes a conditional Terraform evaluates.
 */

/** True when the value is known at synth time (not a Terraform expression). */
export function isLiteral(value: unknown): boolean {
  return !Token.isUnresolved(value);
}

/** `count` for a resource that exists when `enabled`; a literal false means "do not create". */
export function countWhen(enabled: boolean, whenOn: number = 1): number {
  if (isLiteral(enabled)) {
    return enabled ? whenOn : 0;
  }
  return Token.asNumber(Fn.conditional(enabled, whenOn, 0));
}

/** Number of elements of a list that may be literal or an expression. */
export function lengthOf(list: string[]): number {
  return isLiteral(list) ? list.length : Token.asNumber(Fn.lengthOf(list));
}

/** `a == b`, folded to a boolean when both sides are literal. */
export function equals(a: string, b: string): boolean {
  if (isLiteral(a) && isLiteral(b)) {
    return a === b;
  }
  return asBoolean(Op.eq(a, b));
}

/** `a && b`, folded when either side is a literal. */
export function and(a: boolean, b: boolean): boolean {
  if (isLiteral(a)) return a ? b : false;
  if (isLiteral(b)) return b ? a : false;
  return asBoolean(Op.and(a, b));
}

/** `a || b`, folded when either side is a literal. */
export function or(a: boolean, b: boolean): boolean {
  if (isLiteral(a)) return a ? true : b;
  if (isLiteral(b)) return b ? true : a;
  return asBoolean(Op.or(a, b));
}

/** `!a`, folded when literal. */
export function not(a: boolean): boolean {
  return isLiteral(a) ? !a : asBoolean(Op.not(a));
}

/**
 * `cond ? a : b`, folded when the condition is literal. The result is typed like its
 * branches: a string token must be a string token, or a JSON document built from it (an IAM
 * policy) would serialize it as `<unresolved-token>`, which Terraform accepts and AWS denies.
 */
export function choose<T extends string | number | string[]>(cond: boolean, whenTrue: T, whenFalse: T): T {
  if (isLiteral(cond)) return cond ? whenTrue : whenFalse;
  const expression = Fn.conditional(cond, whenTrue, whenFalse);
  if (typeof whenTrue === 'string') return Token.asString(expression) as T;
  if (typeof whenTrue === 'number') return Token.asNumber(expression) as T;
  return Token.asList(expression) as T;
}

/** Merge a tag map (literal or expression) with a `Name` tag. */
export function tagsWithName(tags: Record<string, string>, name: string): Record<string, string> {
  if (isLiteral(tags)) {
    return { ...tags, Name: name };
  }
  return Token.asStringMap(Fn.merge([tags, { Name: name }]));
}

/**
 * A Terraform reference into a counted resource, e.g. `aws_vpc.network_vpc[0].id` or
 * `aws_subnet.network_private[*].id`. CDKTF renders `resource.id` without the index,
 * which only `terraform validate` catches, so counted resources are always read through this.
 */
export function counted(resource: TerraformResource, path: string): string {
  return Token.asString(ref(`${resource.terraformResourceType}.${resource.friendlyUniqueId}${path}`, TerraformStack.of(resource)));
}

/** All values of one attribute across a counted resource (`[*].attr`), as a list. */
export function countedList(resource: TerraformResource, attribute: string): string[] {
  return Token.asList(ref(`${resource.terraformResourceType}.${resource.friendlyUniqueId}[*].${attribute}`, TerraformStack.of(resource)));
}

/** One attribute of a counted resource that has at most one instance, or null when it has none. */
export function countedOne(resource: TerraformResource, attribute: string): string {
  return Token.asString(Fn.one(countedList(resource, attribute)));
}
