import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, Stats, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { BuildOptions } from 'esbuild';
import { appFolder, installNodeModules, NodeModulesInstall } from './node-modules';

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
  /**
   * Write `index.js.map` beside the bundle, its sources relative to the app's folder (the
   * nearest one above the entry with a package.json), so the map holds no path of this machine.
   */
  readonly sourcemap?: boolean;
  /** Modules installed into the bundle's `node_modules` from the app's lockfile (they must also be in `external`). */
  readonly nodeModules?: NodeModulesInstall;
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
 * esbuild's version, from its package.json: what its `version` export is, without loading
 * esbuild's JavaScript API (and the child_process/worker plumbing it sets up), which a synth
 * whose bundles are all kept never calls.
 */
let esbuildVersion: string | undefined;
const esbuildPackageVersion = () => (esbuildVersion ??= (require('esbuild/package.json') as { version: string }).version);

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

/** The parts of a file's stat that say whether it was written. */
interface FileStat {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
}

/** What the record keeps of one input: its content hash, and the stat that hash was taken at. */
interface InputRecord extends FileStat {
  readonly sha256: string;
}

/** `<key>.json`: the entry's current bundle folder and what its inputs were when last checked. */
interface BundleRecord {
  readonly dir: string;
  /** `Date.now()` just before the inputs' stats were taken. */
  readonly checkedAt: number;
  readonly inputs: Record<string, InputRecord>;
}

/**
 * How much older than the check a file's times must be before its stat alone is believed:
 * more than any file system's time granularity (FAT's is 2 s), so a write after the check
 * always gives the file a later mtime or ctime than the one recorded.
 */
const STAT_TRUST_MARGIN_MS = 3000;

const fileStat = (stat: Stats): FileStat => ({ size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino });
const inputRecord = (stat: Stats, hash: string): InputRecord => ({ sha256: hash, ...fileStat(stat) });

/**
 * True when `stat` is the recorded one and the file had not been written for a while when it
 * was recorded: then its content is the hashed one without reading it. ctime is set by the
 * kernel on every write and every time change (touch, cp -p, tar, git checkout), so a file
 * whose mtime was put back still fails here and is hashed.
 */
function statUnchanged(stat: Stats, recorded: FileStat, checkedAt: number): boolean {
  return (
    stat.size === recorded.size &&
    stat.mtimeMs === recorded.mtimeMs &&
    stat.ctimeMs === recorded.ctimeMs &&
    stat.ino === recorded.ino &&
    recorded.mtimeMs < checkedAt - STAT_TRUST_MARGIN_MS &&
    recorded.ctimeMs < checkedAt - STAT_TRUST_MARGIN_MS
  );
}

/** `folders/<hash of the path>.json`: a folder's content hash and the stats of its files when it was taken. */
interface FolderRecord {
  readonly checkedAt: number;
  readonly hash: string;
  readonly files: Record<string, FileStat>;
}

/**
 * SHA-256 over a folder's files in name order (`name\0content\0` each): what the zip cache is
 * keyed by. Kept per folder with its files' stats, so an unchanged folder (a bundle, on every
 * warm synth) is listed and statted, not read; the same trust rule as the bundle cache's
 * inputs, and any file added, removed or with another stat means the whole folder is read.
 */
export function folderContentHash(dir: string): string {
  const names = readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
  const stats = new Map<string, Stats>();
  for (const name of names) {
    const stat = statSync(join(dir, name));
    if (stat.isFile()) stats.set(name, stat);
  }
  const recordFile = join(cacheRoot(), 'folders', `${sha256(resolve(dir))}.json`);
  try {
    const record = JSON.parse(readFileSync(recordFile, 'utf8')) as FolderRecord;
    const recorded = Object.keys(record.files);
    if (
      recorded.length === stats.size &&
      recorded.every((name) => {
        const stat = stats.get(name);
        return stat !== undefined && statUnchanged(stat, record.files[name], record.checkedAt);
      })
    ) {
      return record.hash;
    }
  } catch {
    // No record yet, or an unreadable one: hashed below.
  }
  const checkedAt = Date.now();
  const hash = createHash('sha256');
  const files: Record<string, FileStat> = {};
  for (const [name, stat] of stats) {
    // The stats were taken before the reads: a write in between leaves a stat that differs next time.
    hash.update(`${name}\0`).update(readFileSync(join(dir, name))).update('\0');
    files[name] = fileStat(stat);
  }
  const digest = hash.digest('hex');
  try {
    mkdirSync(dirname(recordFile), { recursive: true });
    writeFileAtomic(recordFile, JSON.stringify({ checkedAt, hash: digest, files } satisfies FolderRecord));
  } catch {
    // A read-only cache only costs the next synth a re-read.
  }
  return digest;
}

/**
 * Stats already taken in one batch of checks: entries bundled together share most inputs (the
 * two handlers share 617 of ~650 files, the AWS SDK's core), so each is statted once. Only for
 * calls made together, as one instant: a later call takes fresh stats.
 */
export type StatsSeen = Map<string, Stats | undefined>;

/**
 * The kept bundle of `recordFile` when none of its inputs changed, else undefined. Inputs whose
 * stat is the recorded one (and old enough to trust) are not read; any other is hashed, and
 * when every hash still matches the record is rewritten with the new stats, so the next check
 * is stat-only again.
 */
function keptBundle(recordFile: string, stats: StatsSeen): CachedBundle | undefined {
  if (!existsSync(recordFile)) return undefined;
  try {
    const record = JSON.parse(readFileSync(recordFile, 'utf8')) as BundleRecord;
    const index = join(record.dir, 'index.js');
    if (typeof record.checkedAt !== 'number' || !existsSync(index)) return undefined;
    const checkedAt = Date.now();
    const inputs: Record<string, InputRecord> = {};
    let statOnly = true;
    for (const [file, recorded] of Object.entries(record.inputs)) {
      // The stat is taken before the content is read: a write in between leaves a stat that differs next time.
      const stat = stats.has(file) ? stats.get(file) : statSync(file, { throwIfNoEntry: false });
      stats.set(file, stat);
      if (!stat) return undefined;
      if (statUnchanged(stat, recorded, record.checkedAt)) {
        inputs[file] = recorded;
        continue;
      }
      statOnly = false;
      if (sha256(readFileSync(file)) !== recorded.sha256) return undefined;
      inputs[file] = inputRecord(stat, recorded.sha256);
    }
    if (!statOnly) writeFileAtomic(recordFile, JSON.stringify({ dir: record.dir, checkedAt, inputs }, null, 1));
    return { dir: record.dir, bytes: statSync(index).size, cached: true };
  } catch {
    // An unreadable record is rebuilt.
    return undefined;
  }
}

/**
 * Bundles `entry` with esbuild into one CommonJS file (with its source map, and the
 * `nodeModules` installed beside it, when asked), unless the same entry was
 * bundled with the same options and esbuild version and none of the files it read (esbuild's
 * metafile inputs) changed since: then the kept bundle is returned and esbuild does not run.
 * "Changed" is decided by content hash; a file whose size, mtime, ctime and inode are the
 * recorded ones, and were already seconds old when recorded, is taken as unchanged without
 * reading it (as git's index does), so a warm synth stats the ~1,300 inputs instead of hashing
 * ~4.5 MB.
 *
 * Safe when several processes bundle at once (jest workers): a bundle folder is named by its
 * own content and never changed or deleted once in place, and the record that points an entry
 * at its current folder (`<key>.json`, with the inputs' hashes and stats) is replaced
 * atomically. Only the bundle folder is zipped and shipped, so the local source paths in the
 * record never reach a Lambda zip. `stats` is shared by entries checked together ({@link StatsSeen}).
 */
export function bundleEntry(entry: string, options: BundleOptions, stats: StatsSeen = new Map()): CachedBundle {
  const absolute = resolve(entry);
  // format 4: esbuild's paths are relative to the app's folder (were: to the working folder).
  const key = sha256(JSON.stringify({ entry: absolute, options, esbuild: esbuildPackageVersion(), format: 4 }));
  const bundles = join(cacheRoot(), 'bundles');
  const recordFile = join(bundles, `${key}.json`);
  const kept = keptBundle(recordFile, stats);
  if (kept) return kept;
  mkdirSync(bundles, { recursive: true });
  const staging = mkdtempSync(join(bundles, `${key}.tmp-`));
  const app = appFolder(absolute);
  try {
    const build: BuildOptions = {
      entryPoints: [absolute],
      outfile: join(staging, 'index.js'),
      bundle: true,
      platform: 'node',
      target: options.target,
      format: 'cjs',
      minify: options.minify,
      sourcemap: options.sourcemap ?? false,
      legalComments: 'none',
      external: options.external,
      ...(options.mainFields ? { mainFields: options.mainFields } : {}),
      ...(options.dynamicImportAsRequire ? { supported: { 'dynamic-import': false } } : {}),
      metafile: true,
      logLevel: 'silent',
      // Paths esbuild writes (unminified code's comments, the metafile) are relative to the app's
      // folder, not to where synth runs: the same app bundles to the same bytes from anywhere.
      absWorkingDir: app,
    };
    const checkedAt = Date.now();
    const { buildSync } = require('esbuild') as typeof import('esbuild');
    const result = buildSync(build);
    if (options.sourcemap) relativizeSourceMap(join(staging, 'index.js.map'), app);
    // The lockfile and package.json decide what is installed: a change to either rebuilds.
    const installInputs = options.nodeModules ? [options.nodeModules.packageJson, options.nodeModules.lockfile] : [];
    if (options.nodeModules) installNodeModules(staging, options.nodeModules);
    const inputs: Record<string, InputRecord> = {};
    for (const input of [...Object.keys(result.metafile!.inputs), ...installInputs]) {
      const file = resolve(app, input);
      // Stat first: a write after it makes the recorded stat differ next time.
      const stat = statSync(file);
      inputs[file] = inputRecord(stat, sha256(readFileSync(file)));
    }
    const code = readFileSync(join(staging, 'index.js'));
    // Named by the content of everything in it (the map and installed modules too).
    const dir = join(bundles, `${key}-${(options.sourcemap || options.nodeModules ? filesHash(staging) : sha256(code)).slice(0, 16)}`);
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
    writeFileAtomic(recordFile, JSON.stringify({ dir, checkedAt, inputs } satisfies BundleRecord, null, 1));
    return { dir, bytes: code.length, cached: false };
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

/** SHA-256 over a folder's files in name order (`name\0content\0` each), read whole: for a folder just written. */
function filesHash(dir: string): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    if (statSync(join(dir, name)).isFile()) hash.update(`${name}\0`).update(readFileSync(join(dir, name))).update('\0');
  }
  return hash.digest('hex');
}

/**
 * Rewrites a source map's `sources` (esbuild writes them relative to the bundle's folder, here
 * a cache folder) relative to the app's folder: the map resolves them against its own place,
 * so in the function they read `/var/task/src/api.ts`, and no path of this machine reaches the zip.
 */
function relativizeSourceMap(mapFile: string, app: string): void {
  const map = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources: string[] };
  map.sources = map.sources.map((source) => relative(app, resolve(dirname(mapFile), source)).split(sep).join('/'));
  writeFileSync(mapFile, JSON.stringify(map));
}
