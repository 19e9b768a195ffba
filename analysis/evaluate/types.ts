/**
 * A variable's type constraint applied to its value, as Terraform does before a module reads
 * it: an `object({...})` keeps only its attributes and fills a missing `optional(T, default)`
 * with the default (or null), elementwise through `map`, `list`, `set` and `tuple`. Without
 * this, `var.functions.api.timeout` of an object that left `timeout` out would be a missing
 * attribute here, where Terraform reads the default.
 *
 * Primitive conversions (`"30"` to a number) are left alone: nothing here compares them.
 */
import type { Expr } from '../sources/hcl-syntax';
import { isLazy, isObject, materialize, Unknown, Value } from './values';

/** Evaluates an `optional()` default (a constant expression). */
export type ConstantEvaluator = (expr: Expr) => Value;

/** The value converted to the type; values the type does not describe pass through. */
export function applyType(value: Value, type: Expr | undefined, constant: ConstantEvaluator, depth = 0): Value {
  if (!type || depth > 32 || value === null || value instanceof Unknown) return value;
  if (type.k !== 'call') return value; // string, number, bool, any
  const [arg] = type.args;
  switch (type.name) {
    case 'optional':
      return applyType(value, arg, constant, depth + 1);
    case 'map':
    case 'object': {
      const v = isLazy(value) ? materialize(value) : value;
      if (!isObject(v)) return value;
      if (type.name === 'map') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, applyType(x, arg, constant, depth + 1)]));
      if (!arg || arg.k !== 'object') return value;
      const out: Record<string, Value> = {};
      for (const [keyExpr, attrType] of arg.items) {
        const key = keyExpr.k === 'lit' ? String(keyExpr.v) : keyExpr.k === 'name' ? keyExpr.name : undefined;
        if (key === undefined) return value;
        if (key in v) out[key] = applyType(v[key], attrType, constant, depth + 1);
        else if (attrType.k === 'call' && attrType.name === 'optional') {
          const fallback = attrType.args[1] ? constant(attrType.args[1]) : null;
          out[key] = applyType(fallback, attrType.args[0], constant, depth + 1);
        }
        // A required attribute left out: Terraform refuses the plan; reading it stays an error here.
      }
      return out;
    }
    case 'list':
    case 'set': {
      if (Array.isArray(value)) return value.map((x) => applyType(x, arg, constant, depth + 1));
      return value;
    }
    case 'tuple': {
      if (!Array.isArray(value) || !arg || arg.k !== 'tuple') return value;
      return value.map((x, i) => applyType(x, arg.items[i], constant, depth + 1));
    }
    default:
      return value;
  }
}
