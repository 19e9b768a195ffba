/**
 * Synth of the default deploy stack, two ways, on the same app in the same run:
 * - this project's way: `node bin/synth.js --out DIR` (what `npm run synth` runs, without
 *   npm's own startup): the compiled app, bundles and zips from the content cache;
 * - `cdktf synth --output DIR` (cdktf-cli, which runs cdktf.json's `app`, the same bin/synth.js).
 * Warm runs keep the bundle cache; cold runs point VLD_CACHE_DIR at an empty folder, so
 * esbuild bundles and zips both functions. Each run is a fresh process tree; the ways
 * alternate so machine load drifts evenly on both.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { median, runChild, ChildRun } from './measure';

const ROOT = resolve(__dirname, '..');
const SYNTH = join(ROOT, 'bin', 'synth.js');
const CDKTF = join(ROOT, 'node_modules', '.bin', 'cdktf');
const STACK = 'vpc-lambda-dynamodb';

export interface SynthResult {
  readonly runs: number;
  readonly median_ms: number;
  readonly samples_ms: number[];
  /** Peak summed RSS of the process tree (median over runs). */
  readonly peak_tree_rss_bytes?: number;
  /** Max RSS of the largest single process (median over runs). */
  readonly peak_process_rss_bytes?: number;
  readonly cdktf_synth_median_ms: number | null;
  readonly cdktf_synth_samples_ms: number[];
  readonly cdktf_synth_peak_tree_rss_bytes?: number;
  readonly cdktf_synth_peak_process_rss_bytes?: number;
  /** cdktf synth time / this project's time, medians of the same run. */
  readonly speedup: number | null;
  /** cdktf synth peak tree RSS / this project's. */
  readonly memory_ratio: number | null;
  /** True when both ways wrote the same cdk.tf.json. */
  readonly outputs_identical: boolean | null;
  readonly own_command: string;
  readonly cdktf_command: string;
  readonly cdktf_unavailable?: string;
  /** Cold runs: an empty bundle cache, so esbuild and the zips run. */
  readonly cold_median_ms: number;
  readonly cold_samples_ms: number[];
  /** cdktf synth time / this project's cold time. */
  readonly cold_speedup: number | null;
  /** Size of each function's zip as the synth wrote it into the stack. */
  readonly asset_zip_bytes: Record<string, number>;
}

/** The Lambda zips the synth wrote: `assets/<id>/<hash>/<content hash>.zip`. */
function assetZips(out: string): Record<string, number> {
  const assets = join(out, 'stacks', STACK, 'assets');
  const sizes: Record<string, number> = {};
  if (!existsSync(assets)) return sizes;
  for (const id of readdirSync(assets)) {
    const name = id.includes('user_activity') ? 'user-activity' : id.includes('products') ? 'products' : id;
    for (const hash of readdirSync(join(assets, id))) {
      for (const file of readdirSync(join(assets, id, hash)).filter((f) => f.endsWith('.zip'))) sizes[name] = statSync(join(assets, id, hash, file)).size;
    }
  }
  return sizes;
}

const environment = { ...process.env, CHECKPOINT_DISABLE: '1', CDKTF_DISABLE_PLUGIN_CACHE_ENV: '1', CI: process.env.CI ?? '' };

function check(run: ChildRun, what: string): void {
  if (run.exitCode !== 0) throw new Error(`${what} exited ${run.exitCode}: ${(run.stderr || run.stdout).slice(-2000)}`);
}

function stackJson(out: string): string | undefined {
  const file = join(out, 'stacks', STACK, 'cdk.tf.json');
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

const medianOf = (runs: ChildRun[], key: 'treePeakRssBytes' | 'maxProcessRssBytes'): number | undefined => {
  const values = runs.map((r) => r[key]).filter((v): v is number => v !== undefined && v > 0);
  return values.length > 0 ? median(values) : undefined;
};

/** Runs both ways `runs` times each, alternating, plus `runs` cold runs of this project's way. */
export async function benchSynth(runs: number, log: (line: string) => void = () => undefined): Promise<SynthResult> {
  const work = mkdtempSync(join(tmpdir(), 'vld-bench-synth-'));
  const own: ChildRun[] = [];
  const cold: ChildRun[] = [];
  const cli: ChildRun[] = [];
  const cdktfUnavailable = existsSync(CDKTF) ? undefined : 'cdktf-cli is not installed (node_modules/.bin/cdktf missing)';
  let identical: boolean | null = null;
  let zips: Record<string, number> = {};
  try {
    // Builds the compiled app if a source changed, and fills the bundle cache: not measured.
    check(await runChild(process.execPath, [SYNTH, '--out', join(work, 'warm-up')], { cwd: ROOT, env: environment }), 'node bin/synth.js (warm-up)');
    for (let i = 0; i < runs; i++) {
      const ownOut = join(work, `own-${i}`);
      const ownRun = await runChild(process.execPath, [SYNTH, '--out', ownOut], { cwd: ROOT, env: environment });
      check(ownRun, 'node bin/synth.js');
      own.push(ownRun);
      if (i === 0) zips = assetZips(ownOut);
      log(`  synth (node bin/synth.js, warm) run ${i + 1}/${runs}: ${Math.round(ownRun.ms)} ms`);
      const coldRun = await runChild(process.execPath, [SYNTH, '--out', join(work, `cold-${i}`)], { cwd: ROOT, env: { ...environment, VLD_CACHE_DIR: mkdtempSync(join(work, 'cache-')) } });
      check(coldRun, 'node bin/synth.js (cold cache)');
      cold.push(coldRun);
      log(`  synth (node bin/synth.js, cold cache) run ${i + 1}/${runs}: ${Math.round(coldRun.ms)} ms`);
      if (cdktfUnavailable) continue;
      const cliOut = join(work, `cdktf-${i}`);
      const cliRun = await runChild(CDKTF, ['synth', '--output', cliOut], { cwd: ROOT, env: environment });
      check(cliRun, 'cdktf synth');
      cli.push(cliRun);
      log(`  synth (cdktf synth) run ${i + 1}/${runs}: ${Math.round(cliRun.ms)} ms`);
      if (i === 0) {
        const a = stackJson(ownOut);
        const b = stackJson(cliOut);
        identical = a !== undefined && a === b;
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const ownMedian = median(own.map((r) => r.ms));
  const coldMedian = median(cold.map((r) => r.ms));
  const cliMedian = cli.length > 0 ? median(cli.map((r) => r.ms)) : null;
  const ownTree = medianOf(own, 'treePeakRssBytes');
  const cliTree = medianOf(cli, 'treePeakRssBytes');
  return {
    runs,
    median_ms: ownMedian,
    samples_ms: own.map((r) => r.ms),
    peak_tree_rss_bytes: ownTree,
    peak_process_rss_bytes: medianOf(own, 'maxProcessRssBytes'),
    cdktf_synth_median_ms: cliMedian,
    cdktf_synth_samples_ms: cli.map((r) => r.ms),
    cdktf_synth_peak_tree_rss_bytes: cliTree,
    cdktf_synth_peak_process_rss_bytes: medianOf(cli, 'maxProcessRssBytes'),
    speedup: cliMedian === null ? null : cliMedian / ownMedian,
    memory_ratio: cliTree && ownTree ? cliTree / ownTree : null,
    outputs_identical: identical,
    own_command: 'node bin/synth.js --out DIR',
    cdktf_command: 'cdktf synth --output DIR (cdktf-cli 0.21.0; app: node bin/synth.js)',
    ...(cdktfUnavailable ? { cdktf_unavailable: cdktfUnavailable } : {}),
    cold_median_ms: coldMedian,
    cold_samples_ms: cold.map((r) => r.ms),
    cold_speedup: cliMedian === null ? null : cliMedian / coldMedian,
    asset_zip_bytes: zips,
  };
}
