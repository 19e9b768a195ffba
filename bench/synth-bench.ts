/**
 * Synth of the default deploy stack, two ways, on the same app (main.ts) in the same run:
 * - this project's way: `tsx main.ts --out DIR` (what `npm run synth` runs, without npm's own startup);
 * - `cdktf synth --output DIR` (cdktf-cli, which runs cdktf.json's `app`: `npx tsx main.ts`).
 * Each run is a fresh process tree; runs alternate so machine load drifts evenly on both.
 * Both include bundling the two functions with esbuild and zipping them into the output.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { median, runChild, ChildRun } from './measure';

const ROOT = resolve(__dirname, '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
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
  /** Size of each function's archive.zip as TerraformAsset wrote it into the synthesized stack. */
  readonly asset_zip_bytes: Record<string, number>;
}

/** The Lambda zips TerraformAsset (cdktf's bundled archiver) wrote: `assets/<id>/<hash>/archive.zip`. */
function assetZips(out: string): Record<string, number> {
  const assets = join(out, 'stacks', STACK, 'assets');
  const sizes: Record<string, number> = {};
  if (!existsSync(assets)) return sizes;
  for (const id of readdirSync(assets)) {
    const name = id.includes('user_activity') ? 'user-activity' : id.includes('products') ? 'products' : id;
    for (const hash of readdirSync(join(assets, id))) {
      const zip = join(assets, id, hash, 'archive.zip');
      if (existsSync(zip)) sizes[name] = statSync(zip).size;
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

/** Runs both ways `runs` times each, alternating. */
export async function benchSynth(runs: number, log: (line: string) => void = () => undefined): Promise<SynthResult> {
  const work = mkdtempSync(join(tmpdir(), 'vld-bench-synth-'));
  const own: ChildRun[] = [];
  const cli: ChildRun[] = [];
  const cdktfUnavailable = existsSync(CDKTF) ? undefined : 'cdktf-cli is not installed (node_modules/.bin/cdktf missing)';
  let identical: boolean | null = null;
  let zips: Record<string, number> = {};
  try {
    for (let i = 0; i < runs; i++) {
      const ownOut = join(work, `own-${i}`);
      const ownRun = await runChild(TSX, ['main.ts', '--out', ownOut], { cwd: ROOT, env: environment });
      check(ownRun, 'tsx main.ts');
      own.push(ownRun);
      if (i === 0) zips = assetZips(ownOut);
      log(`  synth (tsx main.ts) run ${i + 1}/${runs}: ${Math.round(ownRun.ms)} ms`);
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
    own_command: 'tsx main.ts --out DIR',
    cdktf_command: 'cdktf synth --output DIR (cdktf-cli 0.21.0; app: npx tsx main.ts)',
    ...(cdktfUnavailable ? { cdktf_unavailable: cdktfUnavailable } : {}),
    asset_zip_bytes: zips,
  };
}
