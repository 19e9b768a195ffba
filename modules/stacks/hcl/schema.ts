import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import printerSchemaJson from './schema/aws-5.100.0.json';

/**
 * A compact provider schema: only what the HCL printer and the 5.x/6.x compatibility test
 * need, for exactly the resource types the project emits (scripts/provider-schema.ts).
 * An attribute is `required`, `optional` or `computed` (computed only: never set);
 * `deprecated` is appended when the provider marks it so.
 */
export interface CompactBlock {
  readonly attributes: Record<string, string>;
  readonly blocks?: Record<string, CompactNestedBlock>;
}

/** A nested block type: how it nests (list, set, single...) and its own contents. */
export interface CompactNestedBlock extends CompactBlock {
  readonly nesting: string;
  readonly max_items?: number;
}

/** One provider's compact schema. */
export interface CompactSchema {
  /** Where it came from: `terraform providers schema -json` of the 5.x mirror, or a 6.x package. */
  readonly source: string;
  readonly version: string;
  readonly provider?: CompactBlock;
  readonly resources: Record<string, CompactBlock>;
  readonly data_sources: Record<string, CompactBlock>;
}

/** The stored schemas (modules/stacks/hcl/schema/*.json). */
export const SCHEMA_DIR = join(__dirname, 'schema');
/** The schema the printer uses: the AWS provider mirrored offline, and Terraform's built-in provider. */
export const PRINTER_SCHEMA_FILE = 'aws-5.100.0.json';
/** The 6.x schema, derived from a 6.x-era npm package (scripts/provider-schema-bindings.ts). */
export const V6_SCHEMA_FILE = 'aws-6.json';
/** The schema of the module's lower bound, aws 5.51.0, derived the same way. */
export const LOWER_BOUND_SCHEMA_FILE = 'aws-5.51.json';

/** The printer's schema: imported, so the build (tsc, resolveJsonModule) carries it into lib/ and the npm package. */
export function printerSchema(): CompactSchema {
  return printerSchemaJson as CompactSchema;
}

/** Reads one stored schema by file name. */
export function readSchema(file: string): CompactSchema {
  return JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8')) as CompactSchema;
}

/** `terraform providers schema -json`: the parts read here. */
export interface FullBlock {
  attributes?: Record<string, { required?: boolean; optional?: boolean; computed?: boolean; deprecated?: boolean }>;
  block_types?: Record<string, { nesting_mode: string; max_items?: number; block: FullBlock }>;
}

/** Full schema block → compact block (names sorted, so the stored file diffs well). */
export function compactBlock(block: FullBlock): CompactBlock {
  const attributes: Record<string, string> = {};
  for (const name of Object.keys(block.attributes ?? {}).sort()) {
    const a = block.attributes![name];
    const kind = a.required ? 'required' : a.optional ? 'optional' : 'computed';
    attributes[name] = a.deprecated ? `${kind} deprecated` : kind;
  }
  const names = Object.keys(block.block_types ?? {}).sort();
  if (names.length === 0) return { attributes };
  const blocks: Record<string, CompactNestedBlock> = {};
  for (const name of names) {
    const b = block.block_types![name];
    blocks[name] = { nesting: b.nesting_mode, ...(b.max_items ? { max_items: b.max_items } : {}), ...compactBlock(b.block) };
  }
  return { attributes, blocks };
}
