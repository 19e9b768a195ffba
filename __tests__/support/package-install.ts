import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * What the package test needs from the outside world: npm and tar on PATH, the repo's tsx and
 * tsc. Where one is missing the test skips and says why, except under CI=true, where it fails.
 */
export const repoRoot = resolve(__dirname, '../..');
export const repoTsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
export const repoTsc = join(repoRoot, 'node_modules', '.bin', 'tsc');

/** The peer dependencies a user installs next to the package, at the versions this repo has installed. */
export const PEER_PACKAGES = ['cdktf', 'constructs', '@cdktf/provider-aws'] as const;

/** Why the package test cannot run here, or undefined when it can. */
export function missingPackageTools(): string | undefined {
  for (const [tool, args] of [['npm', ['--version']], ['tar', ['--version']]] as const) {
    const run = spawnSync(tool, [...args], { encoding: 'utf8' });
    if (run.error || run.status !== 0) return `${tool} is not on PATH`;
  }
  for (const bin of [repoTsx, repoTsc]) if (!existsSync(bin)) return `${bin} is missing (run npm ci)`;
  return undefined;
}

/**
 * The environment for npm and the user's app: no npm_* variables leaked from an enclosing
 * `npm test` (npm_config_local_prefix and friends would point npm back at this repo), and
 * CDKTF kept from calling home on an offline machine.
 */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key)) env[key] = value;
  return { ...env, CHECKPOINT_DISABLE: '1', CDKTF_DISABLE_PLUGIN_CACHE_ENV: '1' };
}

/** Runs a command; throws with its own output when it fails. */
export function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { cwd, env: cleanEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error || result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) failed: ${result.error?.message ?? `exit ${result.status}`}\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

/** `npm pack` of this repo (its prepack builds lib/) into a fresh folder: the tarball's path and its file list. */
export function packRepo(): { tarball: string; files: string[] } {
  const out = mkdtempSync(join(tmpdir(), 'vld-pack-'));
  run('npm', ['pack', '--pack-destination', out, '--no-fund', '--no-audit'], repoRoot);
  const tarballs = readdirSync(out).filter((name) => name.endsWith('.tgz'));
  if (tarballs.length !== 1) throw new Error(`npm pack wrote ${tarballs.length} tarballs into ${out}`);
  const tarball = join(out, tarballs[0]);
  const files = run('tar', ['-tzf', tarball], out).stdout.split('\n').filter(Boolean);
  return { tarball, files };
}

/** The version of a package installed in this repo's node_modules. */
export function installedVersion(name: string): string {
  return (JSON.parse(readFileSync(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * A fresh project outside the repo with the tarball and the peer dependencies installed from
 * npm's cache (which `npm ci` filled): `--offline` first, `--prefer-offline` when the cache
 * lacks a document npm wants (npm asks for full packuments when it checks peer ranges).
 */
export function scratchProjectWith(tarball: string): { dir: string; installLog: string } {
  const dir = mkdtempSync(join(tmpdir(), 'vld-user-app-'));
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'user-app', version: '0.0.0', private: true }, null, 2)}\n`);
  const specs = [tarball, ...PEER_PACKAGES.map((name) => `${name}@${installedVersion(name)}`)];
  const common = ['install', '--no-audit', '--no-fund', ...specs];
  const offline = spawnSync('npm', [...common, '--offline'], { cwd: dir, env: cleanEnv(), encoding: 'utf8' });
  if (!offline.error && offline.status === 0) return { dir, installLog: `npm install --offline: ${offline.stdout.trim()}` };
  const preferOffline = run('npm', [...common, '--prefer-offline'], dir);
  return { dir, installLog: `npm install --offline failed (${offline.stderr.split('\n').find((l) => /error/.test(l)) ?? 'no message'}); --prefer-offline: ${preferOffline.stdout.trim()}` };
}

/**
 * A fresh project outside the repo with the tarball alone: `npm install <tarball> --omit=peer`
 * (or other `flags`), as a pipeline installs the CLI (run-time dependencies from npm's cache, as above).
 */
export function scratchCliProject(tarball: string, flags: string[] = ['--omit=peer']): { dir: string; installLog: string } {
  const dir = mkdtempSync(join(tmpdir(), 'vld-cli-only-'));
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'pipeline', version: '0.0.0', private: true }, null, 2)}\n`);
  const common = ['install', tarball, ...flags, '--no-audit', '--no-fund'];
  const offline = spawnSync('npm', [...common, '--offline'], { cwd: dir, env: cleanEnv(), encoding: 'utf8' });
  if (!offline.error && offline.status === 0) return { dir, installLog: `npm install ${flags.join(' ')} --offline: ${offline.stdout.trim()}` };
  const preferOffline = run('npm', [...common, '--prefer-offline'], dir);
  return { dir, installLog: `npm install ${flags.join(' ')} --offline failed (${offline.stderr.split('\n').find((l) => /error/.test(l)) ?? 'no message'}); --prefer-offline: ${preferOffline.stdout.trim()}` };
}

/** Writes a file, creating its folder. */
export function writeFileIn(dir: string, path: string, text: string): void {
  const file = join(dir, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/**
 * Type-checks files of the user's project with the repo's tsc, the way a user's strict
 * TypeScript project would see the package: once resolving through `exports` (node16) and
 * once through `main`/`types` (node10). @types/node comes from the repo, as a user has their own.
 */
export function typeCheck(dir: string, files: string[]): void {
  for (const resolution of ['node16', 'node10']) {
    const config = `tsconfig.${resolution}.json`;
    writeFileSync(
      join(dir, config),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          target: 'es2022',
          module: resolution === 'node16' ? 'node16' : 'commonjs',
          moduleResolution: resolution,
          typeRoots: [join(repoRoot, 'node_modules', '@types')],
          types: ['node'],
        },
        files,
      }),
    );
    run(repoTsc, ['-p', config], dir);
  }
}
