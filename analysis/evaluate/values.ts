/**
 * The values the evaluator computes. A value is *known* (a plain JSON value: string, number,
 * boolean, null, array, object), *unknown with an origin* (the `arn` of
 * `aws_dynamodb_table.orders`: computed at apply, but we know what it is), or *unknown* (with
 * the reason it could not be evaluated). Known lists and objects may hold unknown elements:
 * `[aws_subnet.a.id, aws_subnet.b.id]` is a list of two unknowns with their origins.
 *
 * Resource and module instances are lazy ({@link Lazy}): their attributes are evaluated only
 * when an expression reads them.
 */

/** What an unknown value is: the attribute of a resource instance it stands for. */
export interface Origin {
  /** The instance address: `aws_dynamodb_table.orders`, `module.x.aws_iam_role.this[0]`. */
  readonly address: string;
  readonly attribute: string;
}

/** A value computed at apply, or one that could not be evaluated. */
export class Unknown {
  constructor(
    /** Why it is unknown, naming the expression: for messages (VLD109). */
    readonly reason: string,
    /**
     * What it *is*, when it is exactly one resource attribute (or one of those, a conditional's
     * branches): a table's `arn`, a subnet's `id`. `exact` says whether it is that attribute
     * itself, not something derived from it.
     */
    readonly origins: readonly Origin[] = [],
    readonly exact = false,
    /** A template's parts when it is known but for some interpolations (`${arn}/index/*`). */
    readonly parts?: ReadonlyArray<string | Unknown>,
    /** The document before `jsonencode` when it holds unknowns: IAM policies read it as data. */
    readonly json?: unknown,
    /** Characters this value cannot hold (an account id has no `/`): `split` on them keeps the known parts. */
    readonly excludes?: string,
  ) {}

  /** Computed at apply: this attribute of this instance. */
  static of(address: string, attribute: string): Unknown {
    // An AWS id (`subnet-...`, `pl-...`) is never empty and holds no comma or space: `split`
    // and `compact` over one keep it.
    const excludes = /(^|_)id$/.test(attribute) ? ', ' : undefined;
    return new Unknown(`${address}.${attribute} is known only after apply`, [{ address, attribute }], true, undefined, undefined, excludes);
  }

  /** Could not be evaluated: `why` names the expression. */
  static because(why: string): Unknown {
    return new Unknown(why);
  }
}

/** A value whose members are evaluated on demand (a resource or module instance). */
export interface Lazy {
  readonly lazy: true;
  /** The member, or undefined when there is none. */
  get(name: string): Value | undefined;
  /** Every member (for `jsonencode`, `keys`, iteration). */
  all(): Record<string, Value>;
  readonly label: string;
}

/** Any value. */
export type Value = null | string | number | boolean | Unknown | Lazy | Value[] | { [key: string]: Value };

export function isUnknown(v: unknown): v is Unknown {
  return v instanceof Unknown;
}

export function isLazy(v: unknown): v is Lazy {
  return typeof v === 'object' && v !== null && (v as Lazy).lazy === true && typeof (v as Lazy).get === 'function';
}

export function isObject(v: unknown): v is { [key: string]: Value } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Unknown) && !isLazy(v);
}

/** True when any part of the value is unknown. */
export function hasUnknown(v: Value, depth = 0): boolean {
  if (v instanceof Unknown) return true;
  if (depth > 64) return false;
  if (Array.isArray(v)) return v.some((x) => hasUnknown(x, depth + 1));
  if (isObject(v)) return Object.values(v).some((x) => hasUnknown(x, depth + 1));
  return false;
}

/** The first unknown in a value (for its reason). */
export function firstUnknown(v: Value, depth = 0): Unknown | undefined {
  if (v instanceof Unknown) return v;
  if (depth > 64) return undefined;
  if (Array.isArray(v)) for (const x of v) {
    const u = firstUnknown(x, depth + 1);
    if (u) return u;
  }
  if (isObject(v)) for (const x of Object.values(v)) {
    const u = firstUnknown(x, depth + 1);
    if (u) return u;
  }
  return undefined;
}

/** An unknown standing for several inputs (an operation over them): their origins, not exact. */
export function unknownFrom(reason: string, inputs: readonly Value[]): Unknown {
  const origins: Origin[] = [];
  for (const i of inputs) if (i instanceof Unknown) origins.push(...i.origins);
  const first = inputs.find((i): i is Unknown => i instanceof Unknown);
  return new Unknown(first && !first.exact && first.origins.length === 0 ? first.reason : reason, origins, false);
}

/** A lazy value made plain (one level deeper each call): for functions that need the whole value. */
export function materialize(v: Value, depth = 0): Value {
  if (depth > 32) return Unknown.because('value nested too deeply');
  if (isLazy(v)) return materialize(v.all(), depth + 1);
  if (Array.isArray(v)) return v.map((x) => materialize(x, depth + 1));
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, materialize(x, depth + 1)]));
  return v;
}

/** Terraform's string conversion of a primitive, or undefined when there is none. */
export function toStringValue(v: Value): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return undefined;
}

/** Every string in a value (lists and objects walked), unknowns left out. */
export function knownStrings(v: Value): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(knownStrings);
  if (isObject(v)) return Object.values(v).flatMap(knownStrings);
  return [];
}

/** Every unknown in a value. */
export function unknownsIn(v: Value, depth = 0): Unknown[] {
  if (v instanceof Unknown) return [v];
  if (depth > 64) return [];
  if (Array.isArray(v)) return v.flatMap((x) => unknownsIn(x, depth + 1));
  if (isObject(v)) return Object.values(v).flatMap((x) => unknownsIn(x, depth + 1));
  return [];
}

/** A readable form of a value for messages. */
export function describe(v: Value): string {
  if (v instanceof Unknown) return v.origins.length === 1 && v.exact ? `${v.origins[0].address}.${v.origins[0].attribute}` : '(unknown)';
  if (isLazy(v)) return v.label;
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

/** A value as a list: null and undefined are empty, a single value is a list of one (IAM's string-or-list fields, blocks). */
export function listOf(v: Value | undefined): Value[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}
