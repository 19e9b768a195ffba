/**
 * Reads the input file of `npm run check`: a stack folder's `cdk.tf.json` or a plan JSON.
 * Failures are {@link InputError}s naming the flag, for one clear line and no stack trace.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { HclSyntaxError } from './sources/hcl-syntax';
import { graphFromPlan, graphFromStack, graphFromState, PlanInput, StackJson, StateInput, TerraformGraph } from './terraform-graph';

/** A bad `--stack` or `--plan`. */
export class InputError extends Error {
  constructor(readonly flag: string, detail: string) {
    super(`${flag}: ${detail}`);
    this.name = 'InputError';
  }
}

function readJson(flag: string, file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(flag, `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(flag, `${file} is not valid JSON (${(error as Error).message})`);
  }
}

/** What to do when there is no stack, in this repository (`npm run check`). */
export const NO_STACK_HINT = 'run `npm run synth` first';

/**
 * `--stack DIR`: the folder holding `cdk.tf.json` (or the file itself). `noStackHint`: what
 * the user does when it is missing, in the words of the command they ran.
 */
export function loadStack(dir: string, noStackHint = NO_STACK_HINT): { graph: TerraformGraph; file: string } {
  const isDir = existsSync(dir) && statSync(dir).isDirectory();
  const file = isDir ? join(dir, 'cdk.tf.json') : dir;
  if (!existsSync(file)) {
    const hint = isDir && existsSync(join(dir, 'cdk.tf')) ? ' (found cdk.tf: synthesize JSON, or pass --plan)' : ` (${noStackHint})`;
    throw new InputError('--stack', `no ${file}${hint}`);
  }
  const json = readJson('--stack', file);
  if (!json || typeof json !== 'object' || !('resource' in json)) throw new InputError('--stack', `${file} has no "resource" block: not a synthesized Terraform JSON stack`);
  return { graph: graphFromStack(json as StackJson, dirname(file)), file };
}

const EXPECTED_PLAN = 'expected the output of `terraform show -json <planfile>`';

/** What a file given as `--plan` is when it is not a plan, in a few words; undefined for a plan. */
export function notAPlan(text: string): string | undefined {
  const head = text.trimStart();
  if (head.startsWith('PK')) return 'a binary plan file (terraform plan -out): convert it with `terraform show -json <planfile> > plan.json`';
  if (/^\{\s*"@level"/.test(head)) return 'the streamed log of `terraform plan -json`, not a plan';
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    if (/^(Terraform used the selected providers|Terraform will perform|No changes\.|Plan: \d+ to add)|^\s*# [\w.\[\]"-]+ (will|must) be /m.test(text) && !head.startsWith('{')) {
      return 'the text of `terraform show` or `terraform plan` (no -json)';
    }
    if (head.startsWith('{') || head.startsWith('[')) return `truncated or invalid JSON (${(error as Error).message})`;
    return 'not JSON';
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return `JSON ${Array.isArray(json) ? 'array' : typeof json}, not a plan object`;
  const j = json as Record<string, unknown>;
  if ('lineage' in j && 'serial' in j) return 'a Terraform state file (terraform.tfstate), not a plan';
  if ('format_version' in j && 'values' in j && !('planned_values' in j) && !('resource_changes' in j)) return 'a state as JSON (`terraform show -json` without a plan file): pass it with --state';
  if ('resource' in j || 'provider' in j || 'module' in j || ('terraform' in j && !('format_version' in j))) {
    return 'a Terraform JSON configuration (*.tf.json, cdk.tf.json): pass a stack with --stack, or plan it';
  }
  if ('format_version' in j && 'provider_schemas' in j) return 'provider schemas (`terraform providers schema -json`), not a plan';
  if (!('format_version' in j) || !('configuration' in j)) return 'JSON without format_version and configuration';
  return undefined;
}

/** `--plan FILE`: the output of `terraform show -json <planfile>`; `sourceDir` holds the root module's `.tf` files. */
export function loadPlan(file: string, sourceDir?: string): { graph: TerraformGraph; file: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError('--plan', `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const what = notAPlan(text);
  if (what) throw new InputError('--plan', `${file} is not a plan JSON: it is ${what}; ${EXPECTED_PLAN}`);
  const dir = sourceDir ?? dirname(file);
  if (sourceDir && !existsSync(sourceDir)) throw new InputError('--source-dir', `no folder ${sourceDir}`);
  try {
    return { graph: graphFromPlan(JSON.parse(text) as PlanInput, { sourceDir: dir }), file };
  } catch (error) {
    if (error instanceof HclSyntaxError) throw new InputError(sourceDir ? '--source-dir' : '--plan', `the module's .tf files beside the plan do not parse: ${error.message}`);
    throw error;
  }
}

/**
 * `--state FILE`: `terraform show -json` of a state (no plan file): what is deployed, checked
 * with the same model and report as a plan.
 */
export function loadState(file: string): { graph: TerraformGraph; file: string } {
  const json = readJson('--state', file);
  const j = (json && typeof json === 'object' && !Array.isArray(json) ? json : {}) as Record<string, unknown>;
  if ('lineage' in j && 'serial' in j) throw new InputError('--state', `${file} is a raw state file (terraform.tfstate): convert it with \`terraform show -json > state.json\``);
  if ('resource_changes' in j || 'planned_values' in j) throw new InputError('--state', `${file} is a plan JSON: pass it with --plan`);
  if (!('format_version' in j) || !('values' in j || Object.keys(j).length === 1)) throw new InputError('--state', `${file} is not a state JSON: expected the output of \`terraform show -json\` (format_version and values)`);
  return { graph: graphFromState(j as StateInput), file };
}
