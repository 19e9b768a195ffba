/**
 * Evaluates Terraform expressions ({@link Expr}) to {@link Value}s in a scope: a module
 * instance, and the `each`/`count`/`for`/`dynamic` names bound there. Names outside the scope
 * (`var`, `local`, `module`, resources, `data`) are asked of a {@link World} (the graph), which
 * answers lazily and memoizes, so only what a check reads is evaluated.
 *
 * What cannot be evaluated becomes an {@link Unknown} naming the expression and why; nothing
 * here throws past {@link evaluate}. Cycles and pathological nesting are refused the same way.
 */
import type { Body, DynamicBlock, Expr } from '../sources/hcl-syntax';
import { callFunction, concatParts, EvalError } from './functions';
import { isLazy, isObject, Lazy, materialize, toStringValue, Unknown, unknownFrom, Value } from './values';

/** Where an expression is evaluated. */
export interface Scope {
  /** The module instance: '' for the root, `module.a["x"]` inside. */
  readonly module: string;
  /** Names bound here: `each`, `count`, `self`, `for` and `dynamic` iterators. */
  readonly names?: Readonly<Record<string, Value>>;
}

/** What the names outside a scope mean: the configuration and the plan. */
export interface World {
  variable(module: string, name: string): Value;
  local(module: string, name: string): Value;
  /** `module.<name>` inside `module`: one instance, a list (count) or a map (for_each). */
  moduleCall(module: string, name: string): Value | undefined;
  /** `<type>.<name>` (or `data.<type>.<name>`) inside `module`: one instance, a list or a map. */
  resourceValue(module: string, mode: 'managed' | 'data', type: string, name: string): Value | undefined;
  /** `path.module` and friends. */
  path(module: string, what: string): Value;
}

/** Deeper than this is refused: no real configuration nests so far. */
const MAX_DEPTH = 256;

/** Evaluates an expression; never throws (an error becomes an unknown with its reason). */
export function evaluate(world: World, expr: Expr, scope: Scope): Value {
  try {
    return new Evaluator(world).eval(expr, scope, 0);
  } catch (error) {
    if (error instanceof EvalError) return Unknown.because(`${error.message} (in ${short(expr.text ?? '')})`);
    if (error instanceof RangeError) return Unknown.because(`expression nested too deeply: ${short(expr.text ?? '')}`);
    throw error;
  }
}

/** Evaluates a block body to an object: attributes, and nested blocks as lists (dynamic ones expanded). */
export function evaluateBody(world: World, body: Body, scope: Scope): Value {
  return evaluate(world, { k: 'body', body, text: '' }, scope);
}

/** Evaluates one attribute of a body, or a nested block type as a list; undefined when the body sets neither. */
export function evaluateMember(world: World, body: Body, name: string, scope: Scope): Value | undefined {
  const attr = body.attrs[name];
  if (attr) return evaluate(world, attr, scope);
  const blocks = body.blocks[name];
  if (!blocks) return undefined;
  try {
    return new Evaluator(world).blocks(blocks, scope, 0);
  } catch (error) {
    if (error instanceof EvalError) return Unknown.because(`${error.message} (in block ${name})`);
    throw error;
  }
}

function short(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 120 ? `${one.slice(0, 117)}...` : one;
}

const namespace = (label: string, get: (name: string) => Value | undefined, all?: () => Record<string, Value>): Lazy => ({
  lazy: true,
  label,
  get,
  all: all ?? (() => {
    throw new EvalError(`${label} cannot be used as a whole value`);
  }),
});

class Evaluator {
  constructor(private readonly world: World) {}

  eval(e: Expr, scope: Scope, depth: number): Value {
    if (depth > MAX_DEPTH) throw new EvalError('expression nested too deeply');
    const d = depth + 1;
    switch (e.k) {
      case 'lit':
        return e.v as Value;
      case 'tmpl': {
        const parts = e.parts.map((p) => (typeof p === 'string' ? p : this.eval(p, scope, d)));
        // "${x}" alone is x itself, whatever its type.
        if (parts.length === 1 && typeof e.parts[0] !== 'string') return parts[0];
        const strings: Array<string | Unknown> = parts.map((p) => {
          if (p instanceof Unknown) return p;
          const s = toStringValue(p);
          if (s === undefined) throw new EvalError(p === null ? 'a template interpolates null' : 'a template interpolates a collection');
          return s;
        });
        return concatParts(strings);
      }
      case 'name':
        return this.root(e.name, scope);
      case 'attr':
        return this.getAttr(this.eval(e.obj, scope, d), e.name);
      case 'index':
        return this.getIndex(this.eval(e.obj, scope, d), this.eval(e.key, scope, d));
      case 'splat': {
        const source = this.eval(e.obj, scope, d);
        if (source === null) return [];
        if (source instanceof Unknown) return unknownFrom(`a splat over a value known only after apply (${short(e.text)})`, [source]);
        const items = Array.isArray(source) ? source : [source];
        return items.map((item) => this.eval(e.each, { ...scope, names: { ...scope.names, '\u0000anon': item } }, d));
      }
      case 'anon':
        return scope.names?.['\u0000anon'] ?? null;
      case 'tuple':
        return e.items.map((i) => this.eval(i, scope, d));
      case 'object': {
        const out: Record<string, Value> = {};
        for (const [k, v] of e.items) {
          const key = this.eval(k, scope, d);
          if (key instanceof Unknown) return unknownFrom(`an object key known only after apply (${short(e.text)})`, [key]);
          const s = toStringValue(key);
          if (s === undefined) throw new EvalError('an object key is not a string');
          out[s] = this.eval(v, scope, d);
        }
        return out;
      }
      case 'call':
        return this.call(e, scope, d);
      case 'cond': {
        const c = this.eval(e.c, scope, d);
        if (c instanceof Unknown) {
          const t = this.eval(e.t, scope, d);
          const f = this.eval(e.f, scope, d);
          if (!(t instanceof Unknown) && !(f instanceof Unknown) && JSON.stringify(materialize(t)) === JSON.stringify(materialize(f))) return t;
          return unknownFrom(`the condition of ${short(e.text)} is known only after apply`, [c, t, f]);
        }
        if (c !== true && c !== false && c !== 'true' && c !== 'false') throw new EvalError('a condition is not a bool');
        return c === true || c === 'true' ? this.eval(e.t, scope, d) : this.eval(e.f, scope, d);
      }
      case 'unary': {
        const v = this.eval(e.e, scope, d);
        if (v instanceof Unknown) return unknownFrom(short(e.text), [v]);
        if (e.op === '!') return !(v === true || v === 'true');
        return -Number(v);
      }
      case 'binary':
        return this.binary(e.op, e.l, e.r, scope, d, e.text);
      case 'for':
        return this.forExpr(e, scope, d);
      case 'body':
        return this.body(e.body, scope, d);
      case 'unsupported':
        return Unknown.because(`${e.why}: ${short(e.text)}`);
    }
  }

  body(body: Body, scope: Scope, depth: number): Value {
    const out: Record<string, Value> = {};
    for (const [k, v] of Object.entries(body.attrs)) out[k] = this.eval(v, scope, depth + 1);
    for (const [k, list] of Object.entries(body.blocks)) out[k] = this.blocks(list, scope, depth + 1);
    return out;
  }

  blocks(list: Array<Body | DynamicBlock>, scope: Scope, depth: number): Value {
    const out: Value[] = [];
    for (const b of list) {
      if (!('content' in b)) {
        out.push(this.body(b, scope, depth + 1));
        continue;
      }
      const collection = this.eval(b.forEach, scope, depth + 1);
      if (collection instanceof Unknown) return unknownFrom(`the for_each of a dynamic block is known only after apply`, [collection]);
      for (const [key, value] of entries(collection)) {
        out.push(this.body(b.content, { ...scope, names: { ...scope.names, [b.iterator]: { key, value } } }, depth + 1));
      }
    }
    return out;
  }

  private root(name: string, scope: Scope): Value {
    if (scope.names && name in scope.names) return scope.names[name];
    const m = scope.module;
    switch (name) {
      case 'var':
        return namespace('var', (n) => this.world.variable(m, n));
      case 'local':
        return namespace('local', (n) => this.world.local(m, n));
      case 'module':
        return namespace('module', (n) => this.world.moduleCall(m, n));
      case 'data':
        return namespace('data', (type) => namespace(`data.${type}`, (n) => this.world.resourceValue(m, 'data', type, n)));
      case 'path':
        return namespace('path', (n) => this.world.path(m, n));
      case 'terraform':
        return { workspace: 'default' };
      case 'each':
      case 'count':
      case 'self':
        throw new EvalError(`${name} is not available here`);
      default:
        if (/^[a-z][a-z0-9]*_/.test(name)) return namespace(name, (n) => this.world.resourceValue(m, 'managed', name, n));
        throw new EvalError(`unknown name ${name}`);
    }
  }

  private getAttr(v: Value, name: string): Value {
    if (v instanceof Unknown) return new Unknown(v.reason, v.origins, false);
    if (isLazy(v)) {
      const got = v.get(name);
      if (got === undefined) throw new EvalError(`${v.label} has no ${name}`);
      return got;
    }
    if (isObject(v)) {
      if (!(name in v)) throw new EvalError(`no attribute "${name}"`);
      return v[name];
    }
    if (v === null) throw new EvalError(`attribute "${name}" of null`);
    throw new EvalError(`attribute "${name}" of a ${Array.isArray(v) ? 'list' : typeof v}`);
  }

  private getIndex(v: Value, key: Value): Value {
    if (key instanceof Unknown) return unknownFrom('an index known only after apply', [key, v]);
    if (v instanceof Unknown) return new Unknown(v.reason, v.origins, false);
    if (Array.isArray(v)) {
      const i = typeof key === 'number' ? key : Number(key);
      if (!Number.isInteger(i) || i < 0 || i >= v.length) throw new EvalError(`index ${String(key)} out of range`);
      return v[i];
    }
    return this.getAttr(v, String(toStringValue(key as Value) ?? key));
  }

  private call(e: Extract<Expr, { k: 'call' }>, scope: Scope, d: number): Value {
    if (e.name === 'try') {
      for (const arg of e.args) {
        try {
          const v = this.eval(arg, scope, d);
          return v;
        } catch (error) {
          if (!(error instanceof EvalError)) throw error;
        }
      }
      throw new EvalError('no argument of try() succeeded');
    }
    if (e.name === 'can') {
      try {
        const v = this.eval(e.args[0], scope, d);
        return v instanceof Unknown ? unknownFrom('can() of a value known only after apply', [v]) : true;
      } catch (error) {
        if (!(error instanceof EvalError)) throw error;
        return false;
      }
    }
    if (e.name === 'templatefile' || e.name === 'file' || e.name === 'filebase64sha256' || e.name === 'fileexists') return Unknown.because(`function "${e.name}" is not evaluated`);
    let args = e.args.map((a) => this.eval(a, scope, d));
    if (e.expand && args.length > 0) {
      const last = materialize(args[args.length - 1]);
      if (last instanceof Unknown) return unknownFrom(`${e.name}() of a value known only after apply`, [last]);
      args = [...args.slice(0, -1), ...(Array.isArray(last) ? last : [last])];
    }
    return callFunction(e.name, args);
  }

  private binary(op: string, le: Expr, re: Expr, scope: Scope, d: number, text: string): Value {
    const l = this.eval(le, scope, d);
    if (op === '&&' && (l === false || l === 'false')) return false;
    if (op === '||' && (l === true || l === 'true')) return true;
    const r = this.eval(re, scope, d);
    if (op === '&&' && (r === false || r === 'false')) return false;
    if (op === '||' && (r === true || r === 'true')) return true;
    if (l instanceof Unknown || r instanceof Unknown) return unknownFrom(`${short(text)} is known only after apply`, [l, r]);
    const a = materialize(l);
    const b = materialize(r);
    switch (op) {
      case '==':
        return JSON.stringify(a) === JSON.stringify(b);
      case '!=':
        return JSON.stringify(a) !== JSON.stringify(b);
      case '&&':
        return (a === true || a === 'true') && (b === true || b === 'true');
      case '||':
        return a === true || a === 'true' || b === true || b === 'true';
    }
    const x = Number(a);
    const y = Number(b);
    if (Number.isNaN(x) || Number.isNaN(y) || a === null || b === null) throw new EvalError(`${op} of a non-number`);
    switch (op) {
      case '+':
        return x + y;
      case '-':
        return x - y;
      case '*':
        return x * y;
      case '/':
        return x / y;
      case '%':
        return x % y;
      case '<':
        return x < y;
      case '>':
        return x > y;
      case '<=':
        return x <= y;
      case '>=':
        return x >= y;
    }
    throw new EvalError(`operator ${op}`);
  }

  private forExpr(e: Extract<Expr, { k: 'for' }>, scope: Scope, d: number): Value {
    const coll = this.eval(e.coll, scope, d);
    if (coll instanceof Unknown) return unknownFrom(`the collection of ${short(e.text)} is known only after apply`, [coll]);
    const isObjectResult = e.key !== undefined;
    const listOut: Value[] = [];
    const objOut: Record<string, Value> = {};
    for (const [key, value] of entries(coll)) {
      const names: Record<string, Value> = { ...scope.names, [e.valVar]: value };
      if (e.keyVar) names[e.keyVar] = key;
      const inner: Scope = { ...scope, names };
      if (e.cond) {
        const c = this.eval(e.cond, inner, d);
        if (c instanceof Unknown) return unknownFrom(`the condition of ${short(e.text)} is known only after apply`, [c]);
        if (!(c === true || c === 'true')) continue;
      }
      if (!isObjectResult) {
        listOut.push(this.eval(e.val, inner, d));
        continue;
      }
      const k = this.eval(e.key!, inner, d);
      if (k instanceof Unknown) return unknownFrom(`a key of ${short(e.text)} is known only after apply`, [k]);
      const ks = toStringValue(k);
      if (ks === undefined) throw new EvalError('a for expression key is not a string');
      const v = this.eval(e.val, inner, d);
      if (e.group) ((objOut[ks] ??= []) as Value[]).push(v);
      else {
        if (ks in objOut) throw new EvalError(`duplicate key "${ks}" in a for expression`);
        objOut[ks] = v;
      }
    }
    return isObjectResult ? objOut : listOut;
  }
}

/** The (key, value) pairs a `for`, `for_each` or `dynamic` iterates: list index or map key, in Terraform's order. */
export function entries(coll: Value): Array<[Value, Value]> {
  if (isLazy(coll)) {
    return Object.keys(coll.all())
      .sort()
      .map((k) => [k, coll.get(k)!]);
  }
  if (Array.isArray(coll)) return coll.map((v, i) => [i, v]);
  if (isObject(coll)) return Object.keys(coll).sort().map((k) => [k, coll[k]]);
  if (coll === null) throw new EvalError('iterating over null');
  throw new EvalError('iterating over a non-collection');
}
