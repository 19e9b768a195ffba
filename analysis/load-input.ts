/**
 * Reads the input file of `npm run check`: a stack folder's `cdk.tf.json` or a plan JSON.
 * Failures are {@link InputError}s naming the flag, for one clear line and no stack trace.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { graphFromPlan, graphFromStack, PlanInput, StackJson, TerraformGraph } from './terraform-graph';

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

/** `--stack DIR`: the folder holding `cdk.tf.json` (or the file itself). */
export function loadStack(dir: string): { graph: TerraformGraph; file: string } {
  const isDir = existsSync(dir) && statSync(dir).isDirectory();
  const file = isDir ? join(dir, 'cdk.tf.json') : dir;
  if (!existsSync(file)) {
    const hint = isDir && existsSync(join(dir, 'cdk.tf')) ? ' (found cdk.tf: synthesize JSON, or pass --plan)' : ' (run `npm run synth` first)';
    throw new InputError('--stack', `no ${file}${hint}`);
  }
  const json = readJson('--stack', file);
  if (!json || typeof json !== 'object' || !('resource' in json)) throw new InputError('--stack', `${file} has no "resource" block: not a synthesized Terraform JSON stack`);
  return { graph: graphFromStack(json as StackJson), file };
}

/** `--plan FILE`: the output of `terraform show -json <planfile>`. */
export function loadPlan(file: string): { graph: TerraformGraph; file: string } {
  const json = readJson('--plan', file) as Record<string, unknown> | null;
  if (!json || typeof json !== 'object' || !('format_version' in json) || !('configuration' in json)) {
    throw new InputError('--plan', `${file} is not a plan JSON (expected the output of \`terraform show -json <planfile>\`, with format_version and configuration)`);
  }
  return { graph: graphFromPlan(json as PlanInput), file };
}
