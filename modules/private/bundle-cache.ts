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
  /**
   * Which package.json fields name a package's entry, first found wins (esbuild's default for
   * node: `main`, then `module`). `['module', 'main']` takes the ES module builds (the AWS SDK's
   * `dist-es`), whose unused exports esbuild can drop; the CommonJS builds are one file each,
   * kept whole.
   */
  readonly mainFields?: string[];
  /**
   * Turn every `import()` into `Promise.resolve().then(() => require(...))`. The output is
   * CommonJS either way; without this, an `import()` of something not bundled (the SDK's ES
   * builds load `node:http` that way) stays a real dynamic import, which a CommonJS host
   * without ES module support (jest's VM) cannot run.
   */
  readonly dynamicImportAsRequire?: boolean;
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

/** Writes a file whole or not at all: a concurrent reader sees the old content or the new. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const temporary = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  writeFileSync(temporary, data);
  renameSync(temporary, file);
}

/**
 * Bundles `entry` with esbuild into one minified CommonJS file, unless the same entry was
 * bundled with the same options and esbuild version and none of the files it read (esbuild's
 * metafile inputs) changed since: then the kept bundle is returned and esbuild does not run.
 *
 * Safe when several processes bundle at once (jest workers): a bundle folder is named by its
 * own content and never changed or deleted once in place, and the record that points an entry
 * at its current folder (`<key>.json`, with the inputs' hashes) is replaced atomically. Only the
 * bundle folder is zipped and shipped, so the local source paths in the record never reach a
 * Lambda zip.
 */
export function bundleEntry(entry: string, options: BundleOptions): CachedBundle {
  const absolute = resolve(entry);
  const key = sha256(JSON.stringify({ entry: absolute, options, esbuild: esbuildVersion, format: 2 }));
  const bundles = join(cacheRoot(), 'bundles');
  const recordFile = join(bundles, `${key}.json`);
  if (existsSync(recordFile)) {
    try {
      const record = JSON.parse(readFileSync(recordFile, 'utf8')) as { dir: string; inputs: Record<string, string> };
      const index = join(record.dir, 'index.js');
      const unchanged = Object.entries(record.inputs).every(([file, hash]) => existsSync(file) && sha256(readFileSync(file)) === hash);
      if (unchanged && existsSync(index)) return { dir: record.dir, bytes: readFileSync(index).length, cached: true };
    } catch {
      // An unreadable record is rebuilt below.
    }
  }
  mkdirSync(bundles, { recursive: true });
  const staging = mkdtempSync(join(bundles, `${key}.tmp-`));
  try {
    const build: BuildOptions = {
      entryPoints: [absolute],
      outfile: join(staging, 'index.js'),
      bundle: true,
      platform: 'node',
      target: options.target,
      format: 'cjs',
      minify: options.minify,
      sourcemap: false,
      legalComments: 'none',
      external: options.external,
      ...(options.mainFields ? { mainFields: options.mainFields } : {}),
      ...(options.dynamicImportAsRequire ? { supported: { 'dynamic-import': false } } : {}),
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
    const code = readFileSync(join(staging, 'index.js'));
    const dir = join(bundles, `${key}-${sha256(code).slice(0, 16)}`);
    if (existsSync(dir)) {
      rmSync(staging, { recursive: true, force: true });
    } else {
      try {
        renameSync(staging, dir);
      } catch (error) {
        // Another process put the same bundle in place first: keep theirs.
        rmSync(staging, { recursive: true, force: true });
        if (!existsSync(join(dir, 'index.js'))) throw error;
      }
    }
    writeFileAtomic(recordFile, JSON.stringify({ dir, inputs }, null, 1));
    return { dir, bytes: code.length, cached: false };
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}
