/**
 * The Terraform functions real modules use, over {@link Value}s. An unknown argument makes the
 * result unknown (keeping the origins), except where Terraform itself knows more: `length` of a
 * list of unknowns, `element`/`one`/`concat`/`flatten` move unknown elements unchanged, a
 * template or `join` keeps its known parts. A function not listed here is not evaluated: its
 * result is unknown, with the reason `function "foo" is not evaluated`.
 */
import { createHash } from 'node:crypto';
import { Address4 } from 'ip-address';
import { hasUnknown, isObject, materialize, toStringValue, Unknown, unknownFrom, unknownsIn, Value } from './values';

/** A failed evaluation (a type error, a missing key): `try()` catches it; elsewhere the value is unknown with this reason. */
export class EvalError extends Error {}

type Fn = (args: Value[]) => Value;

const list = (v: Value, fn: string): Value[] => {
  if (v instanceof Unknown) throw new MetUnknown(v);
  if (Array.isArray(v)) return v;
  if (isObject(v)) return Object.values(v);
  throw new EvalError(`${fn}: expected a list, got ${typeof v}`);
};
const str = (v: Value, fn: string): string => {
  if (v instanceof Unknown) throw new MetUnknown(v);
  const s = toStringValue(v);
  if (s === undefined) throw new EvalError(`${fn}: expected a string`);
  return s;
};
const num = (v: Value, fn: string): number => {
  if (v instanceof Unknown) throw new MetUnknown(v);
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (Number.isNaN(n)) throw new EvalError(`${fn}: expected a number`);
  return n;
};

/** Joins template parts: a string when all are known, else an unknown keeping the parts. */
export function concatParts(parts: ReadonlyArray<string | Unknown>): string | Unknown {
  const flat: Array<string | Unknown> = [];
  for (const p of parts) {
    if (p instanceof Unknown && p.parts) flat.push(...p.parts);
    else if (typeof p === 'string' && typeof flat[flat.length - 1] === 'string') flat[flat.length - 1] += p;
    else if (p !== '') flat.push(p);
  }
  const unknowns = flat.filter((p): p is Unknown => p instanceof Unknown);
  if (unknowns.length === 0) return flat.join('');
  if (flat.length === 1) return unknowns[0];
  return new Unknown(unknowns[0].reason, unknowns.flatMap((u) => u.origins), false, flat);
}

function deepEqual(a: Value, b: Value): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function distinct(values: Value[]): Value[] {
  const out: Value[] = [];
  for (const v of values) if (v instanceof Unknown || !out.some((o) => !(o instanceof Unknown) && deepEqual(o, v))) out.push(v);
  return out;
}

/** `format`'s verbs: %s %d %v %q %%, with an optional width. */
function format(spec: string, args: Value[]): string | Unknown {
  const parts: Array<string | Unknown> = [];
  let i = 0;
  const text = spec.replace(/%(-?\d*)(\.\d+)?([sdvqfb%])/g, (_all, _w, _p, verb: string) => {
    if (verb === '%') return '%';
    const a = args[i++];
    if (a === undefined) throw new EvalError('format: too few arguments');
    if (a instanceof Unknown) {
      parts.push(a);
      return '\u0000';
    }
    if (verb === 'q') return JSON.stringify(str(a, 'format'));
    if (verb === 'd') return String(Math.trunc(num(a, 'format')));
    const s = toStringValue(a);
    return s ?? JSON.stringify(materialize(a));
  });
  if (parts.length === 0) return text;
  const pieces = text.split('\u0000');
  const out: Array<string | Unknown> = [];
  pieces.forEach((p, j) => {
    out.push(p);
    if (j < parts.length) out.push(parts[j]);
  });
  return concatParts(out);
}

/** An IPv4 address as a number, in dotted form. */
function dotted(value: bigint): string {
  return [24, 16, 8, 0].map((s) => Number((value >> BigInt(s)) & 255n)).join('.');
}

function cidrsubnet(prefix: string, newbits: number, netnum: number): string {
  let address: Address4;
  try {
    address = new Address4(prefix);
  } catch {
    throw new EvalError(`cidrsubnet: ${prefix} is not an IPv4 CIDR`);
  }
  const length = address.subnetMask + newbits;
  if (length > 32) throw new EvalError('cidrsubnet: prefix too long');
  const base = BigInt(address.startAddress().bigInt().toString());
  const value = base + (BigInt(netnum) << BigInt(32 - length));
  return `${dotted(value)}/${length}`;
}

/** Does this pure JSON contain nothing unknown? (jsonencode of a partial document keeps the document). */
function encode(v: Value): string | Unknown {
  const plain = materialize(v);
  if (hasUnknown(plain)) return new Unknown('jsonencode of a value known only after apply', unknownsIn(plain).flatMap((u) => u.origins), false, undefined, plain);
  return JSON.stringify(plain);
}

const FUNCTIONS: Record<string, Fn> = {
  length: ([v]) => {
    if (typeof v === 'string') return [...v].length;
    if (Array.isArray(v)) return v.length;
    if (isObject(v)) return Object.keys(v).length;
    throw new EvalError('length: expected a collection');
  },
  concat: (args) => args.flatMap((a) => list(a, 'concat')),
  flatten: ([v]) => {
    const out: Value[] = [];
    const walk = (x: Value) => (Array.isArray(x) ? x.forEach(walk) : out.push(x));
    list(v, 'flatten').forEach(walk);
    return out;
  },
  distinct: ([v]) => distinct(list(v, 'distinct')),
  compact: ([v]) =>
    list(v, 'compact').filter((x) => {
      // An unknown element may be empty, unless it is an id (never empty).
      if (x instanceof Unknown && x.excludes === undefined) throw new MetUnknown(x);
      return x !== null && x !== '';
    }),
  element: ([v, i]) => {
    const items = list(v, 'element');
    if (items.length === 0) throw new EvalError('element: empty list');
    const n = num(i, 'element');
    return items[((n % items.length) + items.length) % items.length];
  },
  one: ([v]) => {
    const items = list(v, 'one');
    if (items.length > 1) throw new EvalError('one: more than one element');
    return items.length === 0 ? null : items[0];
  },
  keys: ([v]) => {
    if (!isObject(v)) throw new EvalError('keys: expected a map');
    return Object.keys(v).sort();
  },
  values: ([v]) => {
    if (!isObject(v)) throw new EvalError('values: expected a map');
    return Object.keys(v)
      .sort()
      .map((k) => v[k]);
  },
  contains: ([v, x]) => {
    const items = list(v, 'contains');
    if (items.some((i) => !(i instanceof Unknown) && deepEqual(i, x))) return true;
    if (items.some((i) => i instanceof Unknown)) return unknownFrom('contains over unknown elements', items);
    return false;
  },
  tolist: ([v]) => list(v, 'tolist'),
  toset: ([v]) => distinct(list(v, 'toset')),
  tomap: ([v]) => {
    if (!isObject(v)) throw new EvalError('tomap: expected an object');
    return v;
  },
  tostring: ([v]) => (v === null ? null : str(v, 'tostring')),
  tonumber: ([v]) => (v === null ? null : num(v, 'tonumber')),
  tobool: ([v]) => (v === null ? null : v === true || v === 'true' ? true : v === false || v === 'false' ? false : (() => { throw new EvalError('tobool: expected a bool'); })()),
  merge: (args) => {
    const out: Record<string, Value> = {};
    for (const a of args) {
      if (a === null) continue;
      if (!isObject(a)) throw new EvalError('merge: expected maps or objects');
      Object.assign(out, a);
    }
    return out;
  },
  lookup: ([m, k, d]) => {
    if (!isObject(m)) throw new EvalError('lookup: expected a map');
    const key = str(k, 'lookup');
    if (key in m) return m[key];
    if (d === undefined) throw new EvalError(`lookup: no key "${key}"`);
    return d;
  },
  coalesce: (args) => {
    for (const a of args) {
      if (a instanceof Unknown) return unknownFrom('coalesce over a value known only after apply', args);
      if (a !== null && a !== '') return a;
    }
    throw new EvalError('coalesce: no non-null argument');
  },
  coalescelist: (args) => {
    for (const a of args) if (Array.isArray(a) && a.length > 0) return a;
    return [];
  },
  format: ([spec, ...args]) => format(str(spec, 'format'), args),
  formatlist: ([spec, ...args]) => {
    const n = Math.max(...args.map((a) => (Array.isArray(a) ? a.length : 1)));
    return Array.from({ length: n }, (_v, i) => format(str(spec, 'formatlist'), args.map((a) => (Array.isArray(a) ? a[i] : a))));
  },
  join: ([sep, v]) => {
    const items = list(v, 'join');
    const parts: Array<string | Unknown> = [];
    items.forEach((x, i) => {
      if (i > 0) parts.push(str(sep, 'join'));
      parts.push(x instanceof Unknown ? x : str(x, 'join'));
    });
    return concatParts(parts);
  },
  split: ([sep, s]) => str(s, 'split').split(str(sep, 'split')),
  replace: ([s, from, to]) => {
    const text = str(s, 'replace');
    const f = str(from, 'replace');
    const t = str(to, 'replace');
    const re = /^\/(.*)\/$/.exec(f);
    if (re) return text.replace(new RegExp(re[1], 'g'), t.replace(/\$\{(\d+)\}/g, '$$$1'));
    return text.split(f).join(t);
  },
  lower: ([s]) => str(s, 'lower').toLowerCase(),
  upper: ([s]) => str(s, 'upper').toUpperCase(),
  title: ([s]) => str(s, 'title').replace(/\b\w/g, (c) => c.toUpperCase()),
  trimspace: ([s]) => str(s, 'trimspace').trim(),
  trimprefix: ([s, p]) => {
    const text = str(s, 'trimprefix');
    const prefix = str(p, 'trimprefix');
    return text.startsWith(prefix) ? text.slice(prefix.length) : text;
  },
  trimsuffix: ([s, p]) => {
    const text = str(s, 'trimsuffix');
    const suffix = str(p, 'trimsuffix');
    return suffix && text.endsWith(suffix) ? text.slice(0, -suffix.length) : text;
  },
  trim: ([s, chars]) => {
    const set = [...str(chars, 'trim')];
    let text = str(s, 'trim');
    while (text && set.includes(text[0])) text = text.slice(1);
    while (text && set.includes(text[text.length - 1])) text = text.slice(0, -1);
    return text;
  },
  substr: ([s, o, l]) => {
    const chars = [...str(s, 'substr')];
    const offset = num(o, 'substr');
    const length = num(l, 'substr');
    const start = offset < 0 ? chars.length + offset : offset;
    return chars.slice(start, length < 0 ? undefined : start + length).join('');
  },
  startswith: ([s, p]) => str(s, 'startswith').startsWith(str(p, 'startswith')),
  endswith: ([s, p]) => str(s, 'endswith').endsWith(str(p, 'endswith')),
  strrev: ([s]) => [...str(s, 'strrev')].reverse().join(''),
  jsonencode: ([v]) => encode(v),
  jsondecode: ([s]) => {
    try {
      return JSON.parse(str(s, 'jsondecode')) as Value;
    } catch {
      throw new EvalError('jsondecode: invalid JSON');
    }
  },
  cidrsubnet: ([p, b, n]) => cidrsubnet(str(p, 'cidrsubnet'), num(b, 'cidrsubnet'), num(n, 'cidrsubnet')),
  cidrhost: ([p, n]) => {
    const address = new Address4(str(p, 'cidrhost'));
    const base = BigInt(address.startAddress().bigInt().toString()) + BigInt(num(n, 'cidrhost'));
    return dotted(base);
  },
  max: (args) => Math.max(...args.map((a) => num(a, 'max'))),
  min: (args) => Math.min(...args.map((a) => num(a, 'min'))),
  abs: ([a]) => Math.abs(num(a, 'abs')),
  ceil: ([a]) => Math.ceil(num(a, 'ceil')),
  floor: ([a]) => Math.floor(num(a, 'floor')),
  sum: ([v]) => list(v, 'sum').reduce<number>((s, x) => s + num(x, 'sum'), 0),
  range: (args) => {
    const [start, end, step] = args.length === 1 ? [0, num(args[0], 'range'), 1] : [num(args[0], 'range'), num(args[1], 'range'), args[2] === undefined ? 1 : num(args[2], 'range')];
    if (step === 0 || Math.abs((end - start) / step) > 1024) throw new EvalError('range: too many elements');
    const out: number[] = [];
    for (let i = start; step > 0 ? i < end : i > end; i += step) out.push(i);
    return out;
  },
  reverse: ([v]) => [...list(v, 'reverse')].reverse(),
  sort: ([v]) => [...list(v, 'sort')].map((x) => str(x, 'sort')).sort(),
  slice: ([v, s, e]) => list(v, 'slice').slice(num(s, 'slice'), num(e, 'slice')),
  zipmap: ([k, v]) => {
    const keys = list(k, 'zipmap');
    const vals = list(v, 'zipmap');
    return Object.fromEntries(keys.map((key, i) => [str(key, 'zipmap'), vals[i]]));
  },
  index: ([v, x]) => {
    const i = list(v, 'index').findIndex((e) => deepEqual(e, x));
    if (i < 0) throw new EvalError('index: not found');
    return i;
  },
  chunklist: ([v, n]) => {
    const items = list(v, 'chunklist');
    const size = num(n, 'chunklist');
    if (size <= 0) return [items];
    const out: Value[] = [];
    for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
    return out;
  },
  alltrue: ([v]) => list(v, 'alltrue').every((x) => x === true || x === 'true'),
  anytrue: ([v]) => list(v, 'anytrue').some((x) => x === true || x === 'true'),
  setunion: (args) => distinct(args.flatMap((a) => list(a, 'setunion'))),
  setintersection: ([first, ...rest]) => distinct(list(first, 'setintersection').filter((x) => rest.every((r) => list(r, 'setintersection').some((y) => deepEqual(x, y))))),
  setsubtract: ([a, b]) => list(a, 'setsubtract').filter((x) => !list(b, 'setsubtract').some((y) => deepEqual(x, y))),
  base64encode: ([s]) => Buffer.from(str(s, 'base64encode')).toString('base64'),
  base64decode: ([s]) => Buffer.from(str(s, 'base64decode'), 'base64').toString('utf8'),
  md5: ([s]) => createHash('md5').update(str(s, 'md5')).digest('hex'),
  sha1: ([s]) => createHash('sha1').update(str(s, 'sha1')).digest('hex'),
  sha256: ([s]) => createHash('sha256').update(str(s, 'sha256')).digest('hex'),
};

/** Functions that read a top-level unknown argument themselves (coalesce stops at it; format and jsonencode keep it). */
const READS_UNKNOWN = new Set(['coalesce', 'format', 'formatlist', 'jsonencode']);

/** Thrown by an argument check that met an unknown element: the call's result is unknown. */
class MetUnknown extends Error {
  constructor(readonly value: Unknown) {
    super(value.reason);
  }
}

/**
 * `split` of a template known but for parts that cannot hold the separator (a role ARN whose
 * account is unknown, split on `/`): the pieces, known where their parts are.
 */
function splitParts(sep: string, value: Unknown): Value {
  if (!value.parts && sep !== '' && (value.excludes ?? '').includes(sep)) return [value];
  const parts = value.parts;
  if (!parts || sep === '' || !parts.every((p) => typeof p === 'string' || (p.excludes ?? '').includes(sep))) return unknownFrom('split() of a value known only after apply', [value]);
  const pieces: Array<Array<string | Unknown>> = [[]];
  for (const p of parts) {
    if (typeof p !== 'string') {
      pieces[pieces.length - 1].push(p);
      continue;
    }
    p.split(sep).forEach((text, i) => {
      if (i > 0) pieces.push([]);
      pieces[pieces.length - 1].push(text);
    });
  }
  return pieces.map((piece) => concatParts(piece));
}

/** Calls a function by name; unknown when it is not one this evaluator knows. */
export function callFunction(name: string, args: Value[]): Value {
  const bare = name.replace(/^provider::[\w-]+::/, '');
  const fn = FUNCTIONS[bare];
  if (!fn) return Unknown.because(`function "${name}" is not evaluated`);
  const plain = args.map((a) => materialize(a));
  if (bare === 'split' && typeof plain[0] === 'string' && plain[1] instanceof Unknown) return splitParts(plain[0], plain[1]);
  if (!READS_UNKNOWN.has(bare) && plain.some((a) => a instanceof Unknown)) return unknownFrom(`${name}() of a value known only after apply`, plain);
  try {
    return fn(plain);
  } catch (error) {
    if (error instanceof MetUnknown) return unknownFrom(`${name}() of a value known only after apply`, [error.value, ...plain]);
    throw error;
  }
}
