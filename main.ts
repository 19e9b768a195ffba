/**
 * The app: `npm run synth` writes the deploy stack to cdktf.out/stacks/<stack>/cdk.tf.json
 * (`--hcl` for cdk.tf). `cdktf.json` runs this same entry, so `cdktf synth/deploy` works too.
 */
import { Command } from 'commander';
import { ConfigError } from './modules/private/config-error';
import { DeployConfig, loadDeployConfig, parseDeployConfig } from './modules/stacks/deploy/deploy-config';
import { DeployStack } from './modules/stacks/deploy/deploy-stack';
import { synthesizeApp } from './modules/stacks/synthesize';
import { resolveStateBackend } from './modules/stacks/deploy/state-backend';
import { bundleAll } from './functions/bundle';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

// CDKTF otherwise phones home and prints errors on an offline machine (docs/architecture.md).
process.env.CHECKPOINT_DISABLE ??= '1';
process.env.CDKTF_DISABLE_PLUGIN_CACHE_ENV ??= '1';

/** The `context` of cdktf.json next to this file (state backend settings live there). */
function cdktfContext(): Record<string, unknown> {
  // Run from the repository (tsx) or compiled from build/app: cdktf.json sits beside package.json.
  let root = __dirname;
  while (!existsSync(join(root, 'package.json')) && dirname(root) !== root) root = dirname(root);
  const file = join(root, 'cdktf.json');
  if (!existsSync(file)) return {};
  try {
    return ((JSON.parse(readFileSync(file, 'utf8')) as { context?: Record<string, unknown> }).context ?? {});
  } catch (error) {
    throw new ConfigError('cdktf.json', `is not valid JSON: ${(error as Error).message}`);
  }
}

interface Options {
  config?: string;
  hcl?: boolean;
  out: string;
}

/** Runs the CLI with `argv` (node, script, ...args); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name('npm run synth --')
    .description('Synthesize the vpc-lambda-dynamodb deploy stack to Terraform.')
    .option('-c, --config <file>', 'JSON configuration (see docs/configuration.md); the built-in default otherwise')
    .option('--hcl', 'write HCL (cdk.tf) instead of JSON (cdk.tf.json)')
    .option('-o, --out <dir>', 'output folder', process.env.CDKTF_OUTDIR ?? 'cdktf.out')
    .exitOverride();
  try {
    program.parse(argv);
  } catch (error) {
    return (error as { exitCode?: number }).exitCode ?? 2;
  }
  const options = program.opts<Options>();
  try {
    const config: DeployConfig = options.config ? loadDeployConfig(options.config) : parseDeployConfig({});
    const backend = resolveStateBackend(process.env, cdktfContext(), config);
    // Bundles are kept in node_modules/.cache and rebuilt only when their inputs change.
    const bundles = config.functions.enabled ? bundleAll() : undefined;
    const dirs = bundles && { products: bundles.products.dir, userActivity: bundles['user-activity'].dir };
    const result = await synthesizeApp(options.out, options.hcl === true, (app) => new DeployStack(app, config, dirs, backend));
    const file = options.hcl ? 'cdk.tf' : 'cdk.tf.json';
    console.log(`synthesized ${result.outdir}/stacks/${config.stackName}/${file}`);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`error: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

// Run when executed (npm run synth, cdktf synth); tests import main() and call it in-process.
if (require.main === module) {
  main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
