/**
 * `check` on a large plan: a root calling the published module with enough functions and
 * tables for 500+ resources, planned offline for real, then `check --plan` timed in the same
 * run on it and on a small plan of the same module (2 functions, 2 tables): the whole CLI as a
 * pipeline runs it (a fresh `node` on the compiled package entry), and the analysis alone.
 */
import { loadHclParser } from '../analysis/sources/hcl-syntax';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyze } from '../analysis/analyze';
import { loadPlan } from '../analysis/load-input';
import { renderText } from '../analysis/report';
import { bundleAll } from '../functions/bundle';
import { DEMO_ASSETS, PUBLISHED_MODULE_NAME, writePublishedModule } from '../modules/stacks/module/published-module';
import { init, terraform, terraformToolchain, TerraformToolchain, writeOfflineProvider } from '../scripts/terraform-offline';
import { median, runChild } from './measure';

const ROOT = resolve(__dirname, '..');

/** One plan's figures. */
export interface CheckOnPlan {
  readonly resources: number;
  readonly plan_bytes: number;
  /** `node bin/vpc-lambda-dynamodb.js check --plan plan.json`, whole process. */
  readonly cli_median_ms: number;
  readonly cli_samples_ms: number[];
  /** Read, analyse and render in this process (no node start-up, modules already loaded). */
  readonly analysis_median_ms: number;
  readonly exit_code: number;
  readonly verdict: string;
}

export interface CheckBenchResult {
  readonly large?: CheckOnPlan;
  readonly small?: CheckOnPlan;
  readonly terraform_plan_ms?: number;
  readonly unavailable?: string;
}

/** A root calling the module with `functions` functions and `tables` tables (each function granted one table). */
export function writeRoot(dir: string, moduleDir: string, functions: number, tables: number): void {
  copyFileSync(join(moduleDir, DEMO_ASSETS.products), join(dir, 'fn.zip'));
  writeFileSync(
    join(dir, 'main.tf'),
    `module "system" {
  source = "${moduleDir}"
  name_prefix = "bench"
  tables    = { for i in range(${tables}) : "t\${i}" => { hash_key = "id" } }
  functions = { for i in range(${functions}) : "fn\${i}" => { filename = "\${path.module}/fn.zip", handler = "index.handler", table_access = { "t\${i % ${tables}}" = ["dynamodb:GetItem", "dynamodb:PutItem"] } } }
}
`,
  );
  writeOfflineProvider(dir);
}

export function planJson(tool: TerraformToolchain, dir: string): { file: string; resources: number; ms: number } {
  const initRun = init(tool, dir);
  if (!initRun.ok) throw new Error(`terraform init failed: ${initRun.stderr}`);
  const start = performance.now();
  const plan = terraform(tool, dir, ['plan', '-input=false', '-lock=false', '-refresh=false', '-out', 'plan.bin']);
  const ms = performance.now() - start;
  if (!plan.ok) throw new Error(`terraform plan failed: ${plan.stderr}`);
  const show = terraform(tool, dir, ['show', '-json', 'plan.bin']);
  if (!show.ok) throw new Error(`terraform show failed: ${show.stderr}`);
  const file = join(dir, 'plan.json');
  writeFileSync(file, show.stdout);
  const parsed = JSON.parse(show.stdout) as { resource_changes?: Array<{ mode: string }> };
  return { file, resources: (parsed.resource_changes ?? []).filter((c) => c.mode === 'managed').length, ms };
}

async function timeCheck(file: string, runs: number, log: (line: string) => void, label: string): Promise<CheckOnPlan> {
  const cli: number[] = [];
  let exitCode = -1;
  let verdict = '';
  for (let i = 0; i < runs; i++) {
    const run = await runChild(process.execPath, [join(ROOT, 'bin', 'vpc-lambda-dynamodb.js'), 'check', '--plan', file], { cwd: ROOT });
    cli.push(run.ms);
    exitCode = run.exitCode ?? -1;
    verdict = run.stdout.trim().split('\n').pop() ?? '';
  }
  await loadHclParser();
  const analysis: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const input = loadPlan(file);
    renderText(analyze(input.graph, {}, input.file));
    analysis.push(performance.now() - start);
  }
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { resource_changes?: Array<{ mode: string }> };
  const result = {
    resources: (parsed.resource_changes ?? []).filter((c) => c.mode === 'managed').length,
    plan_bytes: readFileSync(file).length,
    cli_median_ms: median(cli),
    cli_samples_ms: cli,
    analysis_median_ms: median(analysis),
    exit_code: exitCode,
    verdict,
  };
  log(`  check, ${label} (${result.resources} resources): CLI ${Math.round(result.cli_median_ms)} ms, analysis ${Math.round(result.analysis_median_ms)} ms; ${verdict}`);
  return result;
}

/** Plans both roots, then times `check` on each `runs` times, alternating nothing: each plan is timed on its own. */
export async function benchCheck(runs: number, log: (line: string) => void = () => undefined): Promise<CheckBenchResult> {
  const tool = terraformToolchain();
  if ('missing' in tool) return { unavailable: tool.missing };
  // Always rebuilt: a lib/ left from an earlier build would time old code.
  {
    log('check: building the package (lib/) that bin/vpc-lambda-dynamodb.js runs');
    const build = await runChild('npm', ['run', '-s', 'build'], { cwd: ROOT });
    if (build.exitCode !== 0) throw new Error(`npm run build failed: ${build.stderr}`);
  }
  const work = mkdtempSync(join(tmpdir(), 'vld-bench-check-'));
  try {
    const built = bundleAll();
    const moduleDir = await writePublishedModule(join(work, PUBLISHED_MODULE_NAME), {
      bundles: { products: built.products.dir, userActivity: built['user-activity'].dir },
      examplesDir: join(ROOT, 'examples'),
      testsDir: join(ROOT, 'module-tests'),
      changelog: join(ROOT, 'CHANGELOG.md'),
      license: join(ROOT, 'LICENSE'),
      version: (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version,
    });
    // 7 resources a function (log group, role, policy, group, 443 rule, function, its table
    // names record), one a table, 12 for the network: 65 functions and 40 tables make 507.
    const largeDir = mkdtempSync(join(work, 'large-'));
    writeRoot(largeDir, moduleDir, 65, 40);
    log('check: terraform plan of the module with 65 functions and 40 tables (offline)');
    const large = planJson(tool, largeDir);
    const smallDir = mkdtempSync(join(work, 'small-'));
    writeRoot(smallDir, moduleDir, 2, 2);
    const small = planJson(tool, smallDir);
    return {
      terraform_plan_ms: large.ms,
      large: await timeCheck(large.file, runs, log, 'large plan'),
      small: await timeCheck(small.file, runs, log, 'small plan'),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
