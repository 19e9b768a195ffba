/**
 * `tsx scripts/provider-schema-bindings.ts`: regenerates modules/stacks/hcl/schema/aws-6.json
 * and aws-5.51.json, the settable attribute and block names of every resource type the project
 * emits, in AWS provider 6.x and in 5.51 (the module's lower bound). Only 5.100.0 installs on
 * the build machines, so these come from the generated CDKTF bindings of `@cdktf/provider-aws`
 * releases (21.22.1 is generated from hashicorp/aws 6.25.0, 19.20.0 from 5.51.0: their
 * package.json `cdktf.provider`): `npm pack`, then the `lib/<binding>/index.js` files are read
 * as text (each `...ToHclTerraform` attrs object lists a key with `isBlock`), never imported.
 * Needs the npm registry; the results are committed and the tests read them offline.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompactBlock, CompactNestedBlock, CompactSchema, LOWER_BOUND_SCHEMA_FILE, SCHEMA_DIR, V6_SCHEMA_FILE } from '../modules/stacks/hcl/schema';
import { bindingType, importedBindings } from './provider-schema';

/** The packages read, and the stored file each gives. */
export const BINDING_SCHEMAS = [
  { package: '@cdktf/provider-aws@21.22.1', file: V6_SCHEMA_FILE },
  { package: '@cdktf/provider-aws@19.20.0', file: LOWER_BOUND_SCHEMA_FILE },
] as const;

/** One `attrs = {...}` object of a generated binding: key → is it a block, and the function rendering its contents. */
interface AttrsEntry {
  readonly isBlock: boolean;
  readonly nested?: string;
}

/** The attrs object inside `function <name>(struct)` (or the class's synthesizeHclAttributes when name is undefined). */
function attrsOf(js: string, functionName: string | undefined): Map<string, AttrsEntry> {
  const start = functionName === undefined ? js.indexOf('synthesizeHclAttributes() {') : js.indexOf(`function ${functionName}(struct) {`);
  if (start < 0) throw new Error(`no ${functionName ?? 'synthesizeHclAttributes'} in the binding`);
  const open = js.indexOf('const attrs = {', start);
  const end = js.indexOf('\n        };', open) >= 0 && functionName === undefined ? js.indexOf('\n        };', open) : js.indexOf('\n    };', open);
  const text = js.slice(open, end);
  const entries = new Map<string, AttrsEntry>();
  for (const m of text.matchAll(/\n\s+([a-z0-9_]+): \{\n\s+value: ([^\n]*)\n\s+isBlock: (true|false),/g)) {
    const nested = /([A-Za-z0-9]+ToHclTerraform)\b/.exec(m[2].replace(/cdktf\.[a-zA-Z]+ToHclTerraform/g, ''))?.[1];
    entries.set(m[1], { isBlock: m[3] === 'true', nested });
  }
  return entries;
}

function blockOf(js: string, functionName: string | undefined, depth = 0): CompactBlock {
  if (depth > 8) throw new Error(`nesting too deep at ${functionName}`);
  const attributes: Record<string, string> = {};
  const blocks: Record<string, CompactNestedBlock> = {};
  for (const [name, entry] of [...attrsOf(js, functionName).entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (entry.isBlock && entry.nested) blocks[name] = { nesting: 'block', ...blockOf(js, entry.nested, depth + 1) };
    else attributes[name] = 'optional';
  }
  return Object.keys(blocks).length ? { attributes, blocks } : { attributes };
}

/** The compact schema of the emitted types, from a package's bindings. */
export function bindingsSchema(packageSpec: string): CompactSchema {
  const dir = mkdtempSync(join(tmpdir(), 'vld-aws6-'));
  try {
    const tgz = execFileSync('npm', ['pack', packageSpec, '--silent'], { cwd: dir, encoding: 'utf8' }).trim().split('\n').pop()!;
    const bindings = importedBindings().filter((b) => b !== 'provider');
    execFileSync('tar', ['xzf', tgz, 'package/package.json', ...bindings.map((b) => `package/lib/${b}/index.js`)], { cwd: dir });
    const pkg = join(dir, 'package');
    const version = (JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { cdktf: { provider: { version: string } } }).cdktf.provider.version;
    const resources: Record<string, CompactBlock> = {};
    const data: Record<string, CompactBlock> = {};
    for (const binding of bindings) {
      const { kind, type } = bindingType(pkg, binding);
      const block = blockOf(readFileSync(join(pkg, 'lib', binding, 'index.js'), 'utf8'), undefined);
      if (kind === 'data') data[type] = block;
      else resources[type] = block;
    }
    const sorted = <T>(o: Record<string, T>) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
    return { source: `generated bindings of ${packageSpec} (settable names only; read by scripts/provider-schema-bindings.ts)`, version, resources: sorted(resources), data_sources: sorted(data) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  for (const { package: spec, file } of BINDING_SCHEMAS) {
    writeFileSync(join(SCHEMA_DIR, file), `${JSON.stringify(bindingsSchema(spec), null, 1)}\n`);
    console.log(`wrote ${join(SCHEMA_DIR, file)} from ${spec}`);
  }
}
