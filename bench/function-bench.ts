/**
 * The functions as deployed (the esbuild bundles Lambda runs):
 * - cold `require` of each bundle in a fresh node process (module load + client construction,
 *   what a cold start adds to Node's own start), and that process's whole wall time;
 * - warm invocation latency against the local servers: the bundle is required once (one
 *   "container") and invoked sequentially, after a warm-up.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Bundle, FunctionName } from '../functions/bundle';
import { median, percentile, runChild } from './measure';

type LambdaHandler = (event: unknown, context?: object) => Promise<{ statusCode: number; body: string }>;
export interface LoadedBundle {
  readonly handler: LambdaHandler;
  readonly database?: { close(): Promise<void> };
}

export interface ColdRequireResult {
  readonly runs: number;
  /** Median time of `require(bundle)` inside a fresh node process. */
  readonly cold_require_ms: number;
  readonly cold_require_samples_ms: number[];
  /** Median wall time of the whole fresh process (node start + require + exit). */
  readonly cold_process_ms: number;
}

export interface WarmResult {
  readonly invocations: number;
  readonly warmup: number;
  readonly warm_p50_ms: number;
  readonly warm_p99_ms: number;
  readonly warm_max_ms: number;
}

/** Inside the fresh process: time the require, print it, exit. */
const COLD_SCRIPT = `
const { performance } = require('node:perf_hooks');
const start = performance.now();
const m = require(process.argv[1]);
const ms = performance.now() - start;
if (typeof m.handler !== 'function') { console.error('no handler export'); process.exit(2); }
console.log(JSON.stringify({ ms }));
process.exit(0);
`;

/** `runs` fresh node processes per bundle. */
export async function benchColdRequire(bundle: Bundle, runs: number, env: NodeJS.ProcessEnv): Promise<ColdRequireResult> {
  const requires: number[] = [];
  const processes: number[] = [];
  for (let i = 0; i < runs; i++) {
    const run = await runChild(process.execPath, ['-e', COLD_SCRIPT, join(bundle.dir, 'index.js')], { env });
    if (run.exitCode !== 0) throw new Error(`cold require of ${bundle.dir} failed: ${run.stderr}`);
    requires.push((JSON.parse(run.stdout.trim()) as { ms: number }).ms);
    processes.push(run.ms);
  }
  return { runs, cold_require_ms: median(requires), cold_require_samples_ms: requires, cold_process_ms: median(processes) };
}

/** Requires a bundle in this process: one warm "container". */
export function loadBundle(bundle: Bundle): LoadedBundle {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(join(bundle.dir, 'index.js')) as LoadedBundle;
}

import { lambdaContext, proxyEvent } from '../local/lambda-invocation';

export { lambdaContext, proxyEvent };

/** Sequential warm invocations; every one must answer 200. */
export async function benchWarm(name: FunctionName, handler: LambdaHandler, eventFor: (i: number) => unknown, invocations: number, warmup: number): Promise<WarmResult> {
  const samples: number[] = [];
  for (let i = 0; i < warmup + invocations; i++) {
    const event = eventFor(i);
    const context = lambdaContext(name);
    const start = performance.now();
    const response = await handler(event, context);
    const ms = performance.now() - start;
    if (response.statusCode !== 200) throw new Error(`${name} answered ${response.statusCode} during the benchmark: ${response.body}`);
    if (i >= warmup) samples.push(ms);
  }
  return {
    invocations,
    warmup,
    warm_p50_ms: percentile(samples, 50),
    warm_p99_ms: percentile(samples, 99),
    warm_max_ms: Math.max(...samples),
  };
}
