import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { ConfigError } from './config-error';

/** What `nodeModules` installs: the modules, and the app's package.json and lockfile they are pinned in. */
export interface NodeModulesInstall {
  readonly modules: string[];
  readonly packageJson: string;
  readonly lockfile: string;
}

/** Lockfiles of other package managers: named when no package-lock.json is found. */
const OTHER_LOCKFILES = ['yarn.lock', 'pnpm-lock.yaml', 'bun.lock', 'bun.lockb'];

/** The nearest folder at or above `from` holding `name`, or undefined. */
function findUp(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, name))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The app's folder: the nearest one above the entry with a package.json, else the entry's own. */
export function appFolder(entry: string): string {
  return findUp('package.json', dirname(entry)) ?? dirname(entry);
}

interface PackageJson {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

interface Lockfile {
  lockfileVersion?: number;
  packages?: Record<string, { version?: string; resolved?: string; link?: boolean; [key: string]: unknown }>;
}

/** A dependency's spec as the app's package.json gives it, or undefined. */
function dependencySpec(pkg: PackageJson, name: string): string | undefined {
  return pkg.dependencies?.[name] ?? pkg.optionalDependencies?.[name] ?? pkg.devDependencies?.[name];
}

/**
 * Finds what `nodeModules` needs, as AWS CDK's NodejsFunction does: the app's package.json (the
 * nearest above the entry) naming each module as a dependency, and npm's package-lock.json
 * beside it pinning the version. Throws a {@link ConfigError} on `input` naming what is missing.
 */
export function findNodeModulesInstall(input: string, entry: string, modules: string[]): NodeModulesInstall {
  const appDir = findUp('package.json', dirname(entry));
  if (!appDir) throw new ConfigError(input, `installs from the app's package.json, and there is none in ${dirname(entry)} or above`);
  const packageJson = join(appDir, 'package.json');
  const lockfile = ['package-lock.json', 'npm-shrinkwrap.json'].map((name) => join(appDir, name)).find((file) => existsSync(file));
  if (!lockfile) {
    const other = OTHER_LOCKFILES.find((name) => existsSync(join(appDir, name)));
    throw new ConfigError(input, `installs with npm ci from the package-lock.json beside ${packageJson}, and there is none${other ? ` (there is a ${other}; only npm's lockfile is read)` : ''}: run npm install there`);
  }
  const pkg = JSON.parse(readFileSync(packageJson, 'utf8')) as PackageJson;
  const lock = JSON.parse(readFileSync(lockfile, 'utf8')) as Lockfile;
  if (!lock.packages) throw new ConfigError(input, `${lockfile} is lockfile version ${lock.lockfileVersion ?? 1}; npm 7 or later writes the version this reads (run npm install)`);
  for (const name of modules) {
    if (dependencySpec(pkg, name) === undefined) throw new ConfigError(input, `"${name}" is not a dependency in ${packageJson}: npm install ${name} first`);
    const locked = lock.packages[`node_modules/${name}`];
    if (!locked) throw new ConfigError(input, `"${name}" is not in ${lockfile}: run npm install to update it`);
    if (locked.link) throw new ConfigError(input, `"${name}" is a link to a folder (a file: folder or a workspace); nodeModules installs packages from the registry or from tarballs`);
  }
  return { modules: [...modules], packageJson, lockfile };
}

/** A relative `file:` spec made absolute against `base` (the installer runs elsewhere); other specs as they are. */
function absoluteFileSpec(spec: string, base: string): string {
  if (!spec.startsWith('file:')) return spec;
  const path = spec.slice('file:'.length);
  return isAbsolute(path) ? spec : `file:${resolve(base, path)}`;
}

/**
 * Installs `install.modules` into `dir/node_modules` as NodejsFunction does: a package.json
 * listing only those modules (at the app's specs) beside a copy of the app's lockfile, then
 * `npm ci`, which installs exactly the locked versions of them and their dependencies and
 * nothing else. Relative `file:` specs are made absolute first (the install runs outside the
 * app), and the app's `.npmrc` is copied beside them. What only the install needed is removed
 * after, so the folder (and the zip) holds no path or setting of this machine: the package.json,
 * lockfile and `.npmrc`, npm's hidden lockfile and the `.bin` links. Throws a {@link ConfigError} on `code.nodeModules` with npm's own first error line.
 */
export function installNodeModules(dir: string, install: NodeModulesInstall): void {
  const appDir = dirname(install.packageJson);
  const pkg = JSON.parse(readFileSync(install.packageJson, 'utf8')) as PackageJson;
  const lock = JSON.parse(readFileSync(install.lockfile, 'utf8')) as Lockfile;
  const dependencies = Object.fromEntries(install.modules.map((name) => [name, absoluteFileSpec(dependencySpec(pkg, name)!, appDir)]));
  const packages: NonNullable<Lockfile['packages']> = {};
  for (const [path, entry] of Object.entries(lock.packages ?? {})) {
    packages[path] = entry.resolved ? { ...entry, resolved: absoluteFileSpec(entry.resolved, appDir) } : entry;
  }
  // The root entry is this install's package.json, so npm ci finds the two in step.
  packages[''] = { name: 'bundle', dependencies };
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bundle', private: true, dependencies }, null, 2));
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ ...lock, name: 'bundle', packages }, null, 2));
  // The app's own npm settings (a private registry, its auth) apply as they would in the app.
  if (existsSync(join(appDir, '.npmrc'))) copyFileSync(join(appDir, '.npmrc'), join(dir, '.npmrc'));
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const run = spawnSync(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, shell: process.platform === 'win32' });
  if (run.error) throw new ConfigError('code.nodeModules', `are installed with npm ci, and npm could not be run (${run.error.message}): is npm on PATH?`);
  if (run.status !== 0) {
    const lines = `${run.stderr}\n${run.stdout}`.split('\n').map((line) => line.trim()).filter(Boolean);
    const first = lines.find((line) => /error/i.test(line) && !/A complete log/i.test(line)) ?? lines[0] ?? `exit ${run.status}`;
    throw new ConfigError('code.nodeModules', `npm ci of ${install.modules.join(', ')} from ${install.lockfile} failed: ${first}`);
  }
  for (const path of ['package.json', 'package-lock.json', '.npmrc', join('node_modules', '.package-lock.json'), join('node_modules', '.bin')]) {
    rmSync(join(dir, path), { recursive: true, force: true });
  }
}
