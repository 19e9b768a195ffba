import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { buildSync, BuildOptions, version as esbuildVersion } from 'esbuild';

/** How an entry is bundled: the options that change the output. */
export interface BundleOptions {
  /** Node.js version esbuild targets. */
  readonly target: string;
  /** Modules left out of the bundle. */
  readonly external: string[];
  /** Minify. */
  readonly minify: boolean;
}

/** A bundled entry: `dir/index.js`, whose `handler` export Lambda runs as `index.handler`. */
export interface CachedBundle {
  readonly dir: string;
  readonly bytes: number;
  /** True when nothing the bundle depends on changed and esbuild did not run. */
  readonly cached: boolean;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * Where bundles and zips are kept between runs: `VLD_CACHE_DIR`, else `node_modules/.cache/
 * vpc-lambda-dynamodb` of the nearest folder (from the working directory up) that has a
 * node_modules, else the system's temp folder.
 */
export function cacheRoot(): string {
  if (process.env.VLD_CACHE_DIR) return resolve(process.env.VLD_CACHE_DIR);
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules'))) return join(dir, 'node_modules', '.cache', 'vpc-lambda-dynamodb');
    if (dirname(dir) === dir) return join(tmpdir(), 'vpc-lambda-dynamodb-cache');
  }
}

/**
 * Bundles `entry` with esbuild into one minified CommonJS file, unless the same entry was
 * bundled with the same options and esbuild version and none of the files it read (esbuild's
 * metafile inputs) changed since: then the kept bundle is returned and esbuild does not run.
 * A bundle is written beside its final place and renamed in, so a crash never leaves half of one.
 */
export function bundleEntry(entry: string, options: BundleOptions): CachedBundle {
  const absolute = resolve(entry);
  const key = sha256(JSON.stringify({ entry: absolute, options, esbuild: esbuildVersion, format: 1 }));
  // <key>/inputs.json beside <key>/bundle/: only the bundle folder is zipped and shipped, so
  // the record of local source paths never reaches a Lambda zip (nor changes its hash).
  const entryDir = join(cacheRoot(), 'bundles', key);
  const dir = join(entryDir, 'bundle');
  const index = join(dir, 'index.js');
  const inputsFile = join(entryDir, 'inputs.json');
  if (existsSync(index) && existsSync(inputsFile)) {
    const inputs = JSON.parse(readFileSync(inputsFile, 'utf8')) as Record<string, string>;
    const unchanged = Object.entries(inputs).every(([file, hash]) => existsSync(file) && sha256(readFileSync(file)) === hash);
    if (unchanged) return { dir, bytes: readFileSync(index).length, cached: true };
  }
  mkdirSync(dirname(entryDir), { recursive: true });
  const staging = mkdtempSync(`${entryDir}.tmp-`);
  try {
    const build: BuildOptions = {
      entryPoints: [absolute],
      outfile: join(staging, 'bundle', 'index.js'),
      bundle: true,
      platform: 'node',
      target: options.target,
      format: 'cjs',
      minify: options.minify,
      sourcemap: false,
      legalComments: 'none',
      external: options.external,
      metafile: true,
      logLevel: 'silent',
      absWorkingDir: process.cwd(),
    };
    const result = buildSync(build);
    const inputs: Record<string, string> = {};
    for (const input of Object.keys(result.metafile!.inputs)) {
      const file = resolve(process.cwd(), input);
      inputs[file] = sha256(readFileSync(file));
    }
    writeFileSync(join(staging, 'inputs.json'), JSON.stringify(inputs, null, 1));
    rmSync(entryDir, { recursive: true, force: true });
    renameSync(staging, entryDir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  return { dir, bytes: readFileSync(index).length, cached: false };
}
