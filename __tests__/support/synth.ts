import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TerraformStack, Testing } from 'cdktf';
import { PUBLISHED_MODULE_NAME, writePublishedModule } from '../../modules/stacks/module/published-module';
import { DeployConfigInput, parseDeployConfig } from '../../modules/stacks/deploy/deploy-config';
import { DeployStack, FunctionBundles } from '../../modules/stacks/deploy/deploy-stack';
import { bundleAll } from '../../functions/bundle';
import { ModuleStack } from '../../modules/stacks/module/module-stack';
import { synthesizeApp } from '../../modules/stacks/synthesize';

const repoRoot = resolve(__dirname, '../..');

/** The synthesized Terraform JSON, as read by the tests. */
export interface TerraformJson {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown; description?: string }>;
  variable?: Record<string, Record<string, unknown>>;
  provider?: Record<string, unknown>;
  terraform?: Record<string, unknown>;
}

let bundles: FunctionBundles | undefined;
/** The real function bundles, built once per test process. */
export function testBundles(): FunctionBundles {
  if (!bundles) {
    const built = bundleAll();
    bundles = { products: built.products.dir, userActivity: built['user-activity'].dir };
  }
  return bundles;
}

/**
 * `Testing.synth`, with what it drops put back: the scanner suppressions under each
 * resource's `//` key, which the real synth writes and `npm run check` reads (CDKTF's
 * testing helper removes every `//`, its own metadata and ours).
 */
export function synthWithSuppressions(stack: TerraformStack, runValidations = false): TerraformJson {
  const json = JSON.parse(Testing.synth(stack, runValidations)) as TerraformJson;
  const full = stack.toTerraform() as TerraformJson;
  for (const [type, byName] of Object.entries(full.resource ?? {})) {
    for (const [name, block] of Object.entries(byName)) {
      const suppressions = (block['//'] as { suppressions?: unknown } | undefined)?.suppressions;
      if (suppressions !== undefined && json.resource?.[type]?.[name]) json.resource[type][name]['//'] = { suppressions };
    }
  }
  return json;
}

/** Synthesizes the deploy stack for a configuration, in memory. */
export function synthDeploy(config: DeployConfigInput = {}): TerraformJson {
  const app = Testing.app();
  const stack = new DeployStack(app, parseDeployConfig(config), testBundles());
  return synthWithSuppressions(stack);
}

/** Synthesizes the module envelope, in memory. */
export function synthModule(): TerraformJson {
  const app = Testing.app();
  const stack = new ModuleStack(app, 'module');
  return synthWithSuppressions(stack, false);
}

/** Writes the deploy stack to a fresh folder and returns the stack folder. */
export async function writeDeployStack(config: DeployConfigInput = {}, hcl = false): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), 'vld-deploy-'));
  const parsed = parseDeployConfig(config);
  await synthesizeApp(join(out, 'cdktf.out'), hcl, (app) => new DeployStack(app, parsed, testBundles()));
  return join(out, 'cdktf.out', 'stacks', parsed.stackName);
}

let published: Promise<string> | undefined;
/**
 * The published module (what `npm run synth:module` writes), in a fresh folder, built once
 * per test process: the module tests call exactly what a registry would serve.
 */
export function publishedModule(): Promise<string> {
  published ??= writePublishedModule(join(mkdtempSync(join(tmpdir(), 'vld-published-')), PUBLISHED_MODULE_NAME), {
    bundles: testBundles(),
    examplesDir: join(repoRoot, 'examples'),
    testsDir: join(repoRoot, 'module-tests'),
    changelog: join(repoRoot, 'CHANGELOG.md'),
    upgrading: join(repoRoot, 'UPGRADING.md'),
    license: join(repoRoot, 'LICENSE'),
    version: (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version,
  });
  return published;
}

/** All resources of one type: logical name → block. */
export function resourcesOf(json: TerraformJson, type: string): Record<string, Record<string, unknown>> {
  return json.resource?.[type] ?? {};
}

/** The single resource of a type; fails the test when there is not exactly one. */
export function onlyResource(json: TerraformJson, type: string): Record<string, unknown> {
  const all = Object.values(resourcesOf(json, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

/** The Terraform address of the single resource of a type (`aws_vpc.system_network_vpc`). */
export function addressOf(json: TerraformJson, type: string): string {
  const names = Object.keys(resourcesOf(json, type));
  if (names.length !== 1) throw new Error(`expected exactly one ${type}, found ${names.length}`);
  return `${type}.${names[0]}`;
}

/** The resource of a type whose logical name is `name`; fails when absent. */
export function resourceNamed(json: TerraformJson, type: string, name: string): Record<string, unknown> {
  const block = resourcesOf(json, type)[name];
  if (!block) throw new Error(`no ${type}.${name}; have ${Object.keys(resourcesOf(json, type)).join(', ') || 'none'}`);
  return block;
}
