/**
 * VLD023: an attribute a module call passes that the module's variable type does not declare.
 * Terraform converts the argument to the type and drops the attribute without a word, so a
 * typo (`timout = 120`) plans the default (`timeout = 30`). The call's arguments are read from
 * the configuration, before that conversion, and compared with each variable's `object({...})`
 * type, through `map`, `list`, `set`, `tuple` and `optional`.
 */
import { closest, distance } from 'fastest-levenshtein';
import { isLazy, isObject, materialize, Unknown, Value } from './evaluate/values';
import { Finding, finding } from './findings';
import { SECURITY_CHECKS } from './security-checks';
import type { Expr } from './sources/hcl-syntax';
import { TerraformGraph } from './terraform-graph';

/** Attributes passed to a module that its variables' types drop, one finding per call and path. */
export function moduleInputFindings(graph: TerraformGraph): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const call of graph.moduleArguments()) {
    for (const [name, { value, type }] of Object.entries(call.args)) {
      for (const { path, attribute, known } of undeclared(value, type, name)) {
        const key = `${call.call} ${path}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const guess = suggestion(attribute, known);
        out.push(finding(SECURITY_CHECKS.moduleInputs, call.call, `${path}: not an input of ${call.call} (the module ignores it)${guess ? `; did you mean ${guess}?` : ''}`));
      }
    }
  }
  return out;
}

/** The nearest declared name, when it is near enough to be the intended one. */
function suggestion(attribute: string, known: string[]): string | undefined {
  if (known.length === 0) return undefined;
  const best = closest(attribute, known);
  return distance(attribute, best) <= Math.max(2, Math.floor(attribute.length / 3)) ? best : undefined;
}

interface Undeclared {
  readonly path: string;
  readonly attribute: string;
  /** The attributes the type declares there. */
  readonly known: string[];
}

function attributeName(key: Expr): string | undefined {
  if (key.k === 'lit') return String(key.v);
  if (key.k === 'name') return key.name;
  return undefined;
}

/** Walks a value along its type constraint; what the object types do not declare. */
function undeclared(value: Value, type: Expr | undefined, path: string, depth = 0): Undeclared[] {
  if (!type || type.k !== 'call' || depth > 32 || value === null || value instanceof Unknown) return [];
  const v = isLazy(value) ? materialize(value) : value;
  const [arg] = type.args;
  switch (type.name) {
    case 'optional':
      return undeclared(v, arg, path, depth + 1);
    case 'map':
      return isObject(v) ? Object.entries(v).flatMap(([k, x]) => undeclared(x, arg, `${path}.${k}`, depth + 1)) : [];
    case 'list':
    case 'set':
      return Array.isArray(v) ? v.flatMap((x, i) => undeclared(x, arg, `${path}[${i}]`, depth + 1)) : [];
    case 'tuple':
      return Array.isArray(v) && arg?.k === 'tuple' ? v.flatMap((x, i) => undeclared(x, arg.items[i], `${path}[${i}]`, depth + 1)) : [];
    case 'object': {
      if (!isObject(v) || arg?.k !== 'object') return [];
      const declared = new Map<string, Expr>();
      for (const [k, t] of arg.items) {
        const name = attributeName(k);
        if (name === undefined) return [];
        declared.set(name, t);
      }
      const out: Undeclared[] = [];
      for (const [k, x] of Object.entries(v)) {
        const t = declared.get(k);
        if (t === undefined) out.push({ path: `${path}.${k}`, attribute: k, known: [...declared.keys()] });
        else out.push(...undeclared(x, t, `${path}.${k}`, depth + 1));
      }
      return out;
    }
    default:
      return [];
  }
}
