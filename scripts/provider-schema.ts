/**
 * `tsx scripts/provider-schema.ts`: regenerates modules/stacks/hcl/schema/aws-5.100.0.json,
 * the compact schema the HCL printer reads: an empty root module that requires the AWS
 * provider 5.100.0 (from the mirror `TF_PLUGIN_MIRROR` names, else as your Terraform installs
 * it), `terraform init`, `terraform providers schema -json`,
 * then only the resource and data source types the project emits (every
 * `@cdktf/provider-aws/lib/<name>` imported under modules/, plus Terraform's `terraform_data`).
 * `--check` exits 1 when the stored file differs (CI).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compactBlock, CompactSchema, FullBlock, PRINTER_SCHEMA_FILE, SCHEMA_DIR } from '../modules/stacks/hcl/schema';
import { init, terraform, TerraformToolchain, terraformToolchain } from './terraform-offline';

const root = resolve(__dirname, '..');
/** The mirrored provider version (docs/architecture.md, "Versions"). */
export const MIRRORED_AWS_PROVIDER = '5.100.0';
/** Built-in resources the project emits (provider terraform.io/builtin/terraform). */
const BUILTIN_RESOURCES = ['terraform_data'];

/** The provider-aws binding folders imported under modules/ (`vpc`, `data-aws-partition`...). */
export function importedBindings(dir = join(root, 'modules')): string[] {
  const found = new Set<string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.ts')) for (const m of readFileSync(p, 'utf8').matchAll(/@cdktf\/provider-aws\/lib\/([a-z0-9-]+)/g)) found.add(m[1]);
    }
  };
  walk(dir);
  return [...found].sort();
}

/** The Terraform type a binding folder generates: read from its `tfResourceType`, never imported. */
export function bindingType(providerPackageDir: string, binding: string): { kind: 'resource' | 'data' | 'provider'; type: string } {
  const js = readFileSync(join(providerPackageDir, 'lib', binding, 'index.js'), 'utf8');
  const m = /\.tfResourceType = "([a-z0-9_]+)"/.exec(js);
  if (!m) throw new Error(`no tfResourceType in @cdktf/provider-aws/lib/${binding}`);
  if (binding === 'provider') return { kind: 'provider', type: m[1] };
  return { kind: binding.startsWith('data-aws-') ? 'data' : 'resource', type: m[1] };
}

/** The resource and data source types the project emits. */
export function emittedTypes(): { resources: string[]; data: string[] } {
  const pkg = join(root, 'node_modules', '@cdktf', 'provider-aws');
  const resources = new Set(BUILTIN_RESOURCES);
  const data = new Set<string>();
  for (const binding of importedBindings()) {
    const t = bindingType(pkg, binding);
    if (t.kind === 'resource') resources.add(t.type);
    if (t.kind === 'data') data.add(t.type);
  }
  return { resources: [...resources].sort(), data: [...data].sort() };
}

interface FullSchemas {
  provider_schemas: Record<string, { provider?: { block: FullBlock }; resource_schemas?: Record<string, { block: FullBlock }>; data_source_schemas?: Record<string, { block: FullBlock }> }>;
}

/** Builds the compact schema with `tool` (default: terraform from PATH, the mirror TF_PLUGIN_MIRROR names if any). */
export function mirroredSchema(given?: TerraformToolchain): CompactSchema {
  const tool = given ?? terraformToolchain();
  if ('missing' in tool) throw new Error(tool.missing);
  const dir = mkdtempSync(join(tmpdir(), 'vld-schema-'));
  try {
    writeFileSync(join(dir, 'main.tf.json'), JSON.stringify({ terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: MIRRORED_AWS_PROVIDER } } }, resource: { terraform_data: { schema: {} } } }));
    const initRun = init(tool, dir);
    if (!initRun.ok) throw new Error(`terraform init failed:\n${initRun.stderr}`);
    const run = terraform(tool, dir, ['providers', 'schema', '-json']);
    if (!run.ok) throw new Error(`terraform providers schema failed:\n${run.stderr}`);
    const full = JSON.parse(run.stdout) as FullSchemas;
    const aws = full.provider_schemas['registry.terraform.io/hashicorp/aws'];
    const builtin = full.provider_schemas['terraform.io/builtin/terraform'];
    const { resources, data } = emittedTypes();
    const pick = (type: string, from: Record<string, { block: FullBlock }> | undefined) => {
      const s = from?.[type];
      if (!s) throw new Error(`${type} is not in the provider schema`);
      return compactBlock(s.block);
    };
    return {
      source: `terraform providers schema -json (hashicorp/aws ${MIRRORED_AWS_PROVIDER}, offline mirror)`,
      version: MIRRORED_AWS_PROVIDER,
      provider: compactBlock(aws.provider!.block),
      resources: Object.fromEntries(resources.map((t) => [t, pick(t, BUILTIN_RESOURCES.includes(t) ? builtin.resource_schemas : aws.resource_schemas)])),
      data_sources: Object.fromEntries(data.map((t) => [t, pick(t, aws.data_source_schemas)])),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  process.env.CHECKPOINT_DISABLE ??= '1';
  const file = join(SCHEMA_DIR, PRINTER_SCHEMA_FILE);
  const text = `${JSON.stringify(mirroredSchema(), null, 1)}\n`;
  if (process.argv.includes('--check')) {
    const same = readFileSync(file, 'utf8') === text;
    console.log(same ? `${file} is current` : `${file} is stale: run tsx scripts/provider-schema.ts`);
    process.exitCode = same ? 0 : 1;
  } else {
    writeFileSync(file, text);
    console.log(`wrote ${file}`);
  }
}
