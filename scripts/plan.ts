/**
 * `npm run plan`: terraform init + plan of the synthesized stack, in a copy of it
 * (cdktf.out/plan/<stack>). Terraform runs as the user has it: providers from the registry,
 * their CLI configuration and plugin cache, or from a filesystem mirror only when
 * `TF_PLUGIN_MIRROR` names one (init -plugin-dir). With no AWS credentials in the environment
 * (or with --offline) the plan uses dummy keys and makes no AWS calls, written into the copy
 * so the deployable output never carries them.
 */
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { init, planJson, terraformToolchain, writeOfflineProviderOverride } from './terraform-offline';

const program = new Command()
  .name('npm run plan --')
  .option('--stack <dir>', 'synthesized stack folder', 'cdktf.out/stacks/vpc-lambda-dynamodb')
  .option('--offline', 'plan with dummy credentials and no AWS calls (default when no AWS credentials are set)')
  .option('--var <name=value...>', 'Terraform variables', [])
  .parse(process.argv);
const options = program.opts<{ stack: string; offline?: boolean; var: string[] }>();

const stack = resolve(options.stack);
if (!existsSync(join(stack, 'cdk.tf.json')) && !existsSync(join(stack, 'cdk.tf'))) {
  console.error(`error: --stack: ${stack} holds no synthesized stack; run npm run synth first`);
  process.exit(1);
}
const tool = terraformToolchain();
if ('missing' in tool) {
  console.error(`error: ${tool.missing}`);
  process.exit(1);
}
const hasCredentials = Boolean(process.env.AWS_ACCESS_KEY_ID || process.env.AWS_PROFILE || process.env.AWS_WEB_IDENTITY_TOKEN_FILE);
const offline = options.offline === true || !hasCredentials;

const work = resolve('cdktf.out', 'plan', stack.split('/').pop() ?? 'stack');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
cpSync(stack, work, { recursive: true, filter: (src) => !src.includes('.terraform') });
if (offline) writeOfflineProviderOverride(work);

const initRun = init(tool, work);
if (!initRun.ok) {
  console.error(initRun.stdout + initRun.stderr);
  process.exit(1);
}
const vars = Object.fromEntries(
  options.var.map((pair) => {
    const at = pair.indexOf('=');
    if (at < 1) {
      console.error(`error: --var: "${pair}" is not name=value`);
      process.exit(1);
    }
    return [pair.slice(0, at), pair.slice(at + 1)];
  }),
);
const result = planJson(tool, work, vars);
console.log(result.stdout);
if (!result.ok || !result.plan) {
  console.error(result.stderr);
  process.exit(1);
}
const byType = new Map<string, number>();
for (const change of result.plan.resource_changes ?? []) {
  if (change.change.actions.includes('create')) byType.set(change.type, (byType.get(change.type) ?? 0) + 1);
}
console.log(`${offline ? 'offline ' : ''}plan of ${stack} (providers from ${tool.mirror ? `the mirror ${tool.mirror}` : 'your Terraform configuration'}): ${[...byType.values()].reduce((a, b) => a + b, 0)} to create`);
for (const [type, n] of [...byType.entries()].sort()) console.log(`  ${String(n).padStart(3)}  ${type}`);
