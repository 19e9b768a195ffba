/**
 * A JSON Schema (draft-04) validator for the keywords the SARIF 2.1.0 schema uses, since no
 * validator is installed: type, properties, additionalProperties, required, items, minItems,
 * uniqueItems, enum, minimum, maximum, pattern, anyOf, oneOf, $ref (local `#/definitions/...`),
 * and `format` uri / uri-reference / date-time. Any other keyword throws: a schema this
 * cannot fully check is never reported valid.
 */
type Schema = Record<string, unknown>;

const ANNOTATIONS = new Set(['$schema', 'id', 'title', 'description', 'default', 'definitions']);
const KNOWN = new Set([...ANNOTATIONS, 'type', 'properties', 'additionalProperties', 'required', 'items', 'minItems', 'uniqueItems', 'enum', 'minimum', 'maximum', 'pattern', 'anyOf', 'oneOf', '$ref', 'format']);

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function hasType(value: unknown, type: string): boolean {
  const t = typeOf(value);
  return t === type || (type === 'number' && t === 'integer');
}

function formatOk(format: string, value: string): boolean {
  if (format === 'date-time') return !Number.isNaN(Date.parse(value)) && /^\d{4}-\d\d-\d\dT/.test(value);
  if (format === 'uri') return /^[a-zA-Z][a-zA-Z0-9+.-]*:\S*$/.test(value);
  if (format === 'uri-reference') return !/\s/.test(value);
  throw new Error(`json-schema: format ${format} is not supported`);
}

/** Every violation, as `path: what`; empty when `value` is valid. */
export function validate(root: Schema, value: unknown): string[] {
  const errors: string[] = [];
  const check = (schema: Schema, v: unknown, path: string, errors: string[]): void => {
    for (const k of Object.keys(schema)) if (!KNOWN.has(k)) throw new Error(`json-schema: keyword ${k} at ${path} is not supported`);
    if (typeof schema.$ref === 'string') {
      const m = /^#\/definitions\/(.+)$/.exec(schema.$ref);
      if (!m) throw new Error(`json-schema: $ref ${schema.$ref} is not supported`);
      check((root.definitions as Record<string, Schema>)[m[1]], v, path, errors);
    }
    if (schema.type !== undefined) {
      const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
      if (!types.some((t) => hasType(v, t))) {
        errors.push(`${path}: is ${typeOf(v)}, expected ${types.join('|')}`);
        return;
      }
    }
    if (schema.enum && !(schema.enum as unknown[]).some((e) => JSON.stringify(e) === JSON.stringify(v))) errors.push(`${path}: ${JSON.stringify(v)} not in ${JSON.stringify(schema.enum)}`);
    if (typeof v === 'number') {
      if (typeof schema.minimum === 'number' && v < schema.minimum) errors.push(`${path}: ${v} < ${schema.minimum}`);
      if (typeof schema.maximum === 'number' && v > schema.maximum) errors.push(`${path}: ${v} > ${schema.maximum}`);
    }
    if (typeof v === 'string') {
      if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern).test(v)) errors.push(`${path}: "${v}" does not match ${schema.pattern}`);
      if (typeof schema.format === 'string' && !formatOk(schema.format, v)) errors.push(`${path}: "${v}" is not a ${schema.format}`);
    }
    if (Array.isArray(v)) {
      if (typeof schema.minItems === 'number' && v.length < schema.minItems) errors.push(`${path}: ${v.length} items < ${schema.minItems}`);
      if (schema.uniqueItems === true && new Set(v.map((x) => JSON.stringify(x))).size !== v.length) errors.push(`${path}: items not unique`);
      if (schema.items && typeof schema.items === 'object' && !Array.isArray(schema.items)) v.forEach((x, i) => check(schema.items as Schema, x, `${path}[${i}]`, errors));
    }
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const obj = v as Record<string, unknown>;
      const props = (schema.properties ?? {}) as Record<string, Schema>;
      for (const r of (schema.required ?? []) as string[]) if (!(r in obj)) errors.push(`${path}: missing ${r}`);
      for (const [k, x] of Object.entries(obj)) {
        if (props[k]) check(props[k], x, `${path}.${k}`, errors);
        else if (schema.additionalProperties === false) errors.push(`${path}: unexpected property ${k}`);
        else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') check(schema.additionalProperties as Schema, x, `${path}.${k}`, errors);
      }
    }
    for (const [keyword, need] of [['anyOf', (n: number) => n >= 1], ['oneOf', (n: number) => n === 1]] as const) {
      const options = schema[keyword] as Schema[] | undefined;
      if (!options) continue;
      const passing = options.filter((o) => {
        const sub: string[] = [];
        check(o, v, path, sub);
        return sub.length === 0;
      }).length;
      if (!need(passing)) errors.push(`${path}: ${passing} of ${keyword} match`);
    }
  };
  check(root, value, '$', errors);
  return errors;
}
