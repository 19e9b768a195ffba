/**
 * `terraform plan` of the default deploy stack, offline (provider from the machine's mirror,
 * dummy keys through the tests' override file, no state): the time a pipeline's plan step
 * takes on this stack. `init` is timed once; plan runs `runs` times.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { init, terraform, terraformToolchain, terraformVersion, writeOfflineProviderOverride } from '../scripts/terraform-offline';
import { median, runChild } from './measure';

const ROOT = resolve(__dirname, '..');

export interface TerraformPlanResult {
  readonly runs: number;
  readonly median_ms: number | null;
  readonly samples_ms: number[];
  readonly init_ms?: number;
  readonly resources_to_add?: number;
  readonly terraform_version?: string;
  readonly unavailable?: string;
}

export async function benchTerraformPlan(runs: number, log: (line: string) => void = () => undefined): Promise<TerraformPlanResult> {
  const tool = terraformToolchain();
  if ('missing' in tool) return { runs: 0, median_ms: null, samples_ms: [], unavailable: tool.missing };
  const work = mkdtempSync(join(tmpdir(), 'vld-bench-plan-'));
  try {
    const out = join(work, 'out');
    const synth = await runChild(join(ROOT, 'node_modules', '.bin', 'tsx'), ['main.ts', '--out', out], {
      cwd: ROOT,
      env: { ...process.env, CHECKPOINT_DISABLE: '1', CDKTF_DISABLE_PLUGIN_CACHE_ENV: '1' },
    });
    if (synth.exitCode !== 0) throw new Error(`synth for the plan benchmark failed: ${synth.stderr}`);
    const dir = join(work, 'stack');
    cpSync(join(out, 'stacks', 'vpc-lambda-dynamodb'), dir, { recursive: true });
    writeOfflineProviderOverride(dir);
    let start = performance.now();
    const initRun = init(tool, dir);
    const initMs = performance.now() - start;
    if (!initRun.ok) throw new Error(`terraform init failed: ${initRun.stderr}`);
    const samples: number[] = [];
    let toAdd: number | undefined;
    for (let i = 0; i < runs; i++) {
      start = performance.now();
      const plan = terraform(tool, dir, ['plan', '-input=false', '-lock=false']);
      const ms = performance.now() - start;
      if (!plan.ok) throw new Error(`terraform plan failed: ${plan.stderr}`);
      samples.push(ms);
      log(`  terraform plan run ${i + 1}/${runs}: ${Math.round(ms)} ms`);
      const counted = /Plan: (\d+) to add/.exec(plan.stdout);
      if (counted) toAdd = Number(counted[1]);
    }
    return { runs, median_ms: median(samples), samples_ms: samples, init_ms: initMs, resources_to_add: toAdd, terraform_version: terraformVersion(tool) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
