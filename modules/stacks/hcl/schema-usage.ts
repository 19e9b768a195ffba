import { CompactBlock, CompactSchema, printerSchema } from './schema';

/**
 * Which resource types, attributes and blocks a synthesized stack uses, and which of them a
 * provider schema lacks: the AWS provider 5.x/6.x compatibility check. Names only (a value's
 * type is not compared). Blocks are told from attributes by the 5.100 schema, the one the
 * printer uses; `terraform_data` is Terraform's own and not checked against the AWS provider.
 */
const META = new Set(['count', 'for_each', 'depends_on', 'lifecycle', 'provider', '//']);
const BUILTIN = new Set(['terraform_data']);

/** `resource aws_vpc.this: cidr_block`, `resource aws_lambda_function.f: vpc_config.subnet_ids`, ... */
export function usedNames(json: Record<string, unknown>, guide: CompactSchema = printerSchema()): Array<{ kind: 'resource' | 'data'; type: string; where: string; path: string }> {
  const out: Array<{ kind: 'resource' | 'data'; type: string; where: string; path: string }> = [];
  for (const kind of ['resource', 'data'] as const) {
    const section = (json[kind] ?? {}) as Record<string, Record<string, Record<string, unknown>>>;
    for (const [type, byName] of Object.entries(section)) {
      if (BUILTIN.has(type)) continue;
      const schema = (kind === 'data' ? guide.data_sources : guide.resources)[type];
      for (const [name, spec] of Object.entries(byName)) {
        const where = `${kind === 'data' ? 'data.' : ''}${type}.${name}`;
        out.push({ kind, type, where, path: '' });
        walk(spec, schema, '', (path) => out.push({ kind, type, where, path }));
      }
    }
  }
  return out;
}

function walk(spec: Record<string, unknown>, schema: CompactBlock | undefined, prefix: string, add: (path: string) => void): void {
  for (const [key, v] of Object.entries(spec)) {
    if (prefix === '' && META.has(key)) continue;
    if (key === 'dynamic') {
      for (const [label, d] of Object.entries(v as Record<string, unknown>)) {
        add(`${prefix}${label}`);
        for (const one of Array.isArray(d) ? d : [d]) walk(((one as { content?: Record<string, unknown> }).content ?? {}), schema?.blocks?.[label], `${prefix}${label}.`, add);
      }
      continue;
    }
    add(`${prefix}${key}`);
    const nested = schema?.blocks?.[key];
    if (nested) for (const item of Array.isArray(v) ? v : [v]) if (item && typeof item === 'object') walk(item as Record<string, unknown>, nested, `${prefix}${key}.`, add);
  }
}

/** Does a schema have this path? A name is there as an attribute or as a block; below an attribute, nothing more is known. */
function has(block: CompactBlock, path: string[]): boolean {
  const [head, ...rest] = path;
  if (head === undefined) return true;
  if (block.attributes[head] !== undefined && !block.attributes[head].startsWith('computed')) return true;
  const nested = block.blocks?.[head];
  return nested !== undefined && has(nested, rest);
}

/** Every used resource type, attribute or block the schema lacks, as `aws_eip.nat: vpc`. */
export function missingFrom(json: Record<string, unknown>, schema: CompactSchema): string[] {
  const missing = new Set<string>();
  for (const use of usedNames(json)) {
    const typeSchema = (use.kind === 'data' ? schema.data_sources : schema.resources)[use.type];
    if (!typeSchema) missing.add(`${use.where}: type ${use.type}`);
    else if (use.path && !has(typeSchema, use.path.split('.'))) missing.add(`${use.where}: ${use.path}`);
  }
  return [...missing].sort();
}
