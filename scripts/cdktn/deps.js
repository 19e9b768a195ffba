// CDK Terrain for the cdktn test tier, installed on demand (CommonJS: jest.cdktn.config.js and
// .ci/run load it without a TypeScript loader).
//
// The repository's `npm ci` does not install cdktn: @cdktn/provider-aws is 476 MB unpacked,
// which would add a third to node_modules for every developer and every `npm test`. The tier
// (`npm run test:cdktn`) installs scripts/cdktn/deps/ (its own package.json and lockfile: cdktn,
// @cdktn/provider-aws, constructs at exact versions) with `npm ci` into a cache folder under
// the OS temp folder, keyed by the lockfile's hash, and reuses it while that lockfile is
// unchanged. An install goes to a sibling folder first and is renamed into place when done,
// so a cut-off install is never mistaken for a finished one.
const { spawnSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const SPEC = join(__dirname, 'deps');
const MARKER = '.vld-installed';

/** The exact versions the tier tests: { cdktn, '@cdktn/provider-aws', constructs }. */
function versions() {
  return JSON.parse(readFileSync(join(SPEC, 'package.json'), 'utf8')).dependencies;
}

/** The cache folder for this lockfile: $VLD_CDKTN_CACHE or <tmp>/vld-cdktn-deps-<hash>. */
function depsDir() {
  const hash = createHash('sha256').update(readFileSync(join(SPEC, 'package.json'))).update(readFileSync(join(SPEC, 'package-lock.json'))).digest('hex').slice(0, 12);
  return join(process.env.VLD_CDKTN_CACHE || tmpdir(), `vld-cdktn-deps-${hash}`);
}

/** The node_modules folder of an installed cache, or undefined when it is not (fully) installed. */
function installed() {
  const dir = depsDir();
  return existsSync(join(dir, MARKER)) ? join(dir, 'node_modules') : undefined;
}

/** npm's environment without the npm_* variables of an enclosing `npm run` (they would point npm at the repo). */
function npmEnv() {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key)) env[key] = value;
  return env;
}

/**
 * The cache's node_modules, installing it first when needed (`npm ci`, from npm's own cache
 * when it has the packages). Throws one line saying why when npm cannot install it.
 * @returns {{ nodeModules: string, installedNow: boolean, seconds: number }}
 */
function ensureDeps() {
  const ready = installed();
  if (ready) return { nodeModules: ready, installedNow: false, seconds: 0 };
  const started = Date.now();
  const dir = depsDir();
  const staging = `${dir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  for (const file of ['package.json', 'package-lock.json']) copyFileSync(join(SPEC, file), join(staging, file));
  // @cdktn/provider-aws declares node >= 22.11 (its jsii build); npm warns on Node 20 and installs.
  const run = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: staging, env: npmEnv(), encoding: 'utf8' });
  if (run.error || run.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    const why = run.error ? run.error.message : (run.stderr || run.stdout).trim().split('\n').filter(Boolean).pop() || `exit ${run.status}`;
    throw new Error(`could not install CDK Terrain (npm ci of scripts/cdktn/deps into ${dir}): ${why}`);
  }
  writeFileSync(join(staging, MARKER), `${new Date().toISOString()}\n`);
  try {
    renameSync(staging, dir);
  } catch (error) {
    // Another process finished the same install first: use it.
    rmSync(staging, { recursive: true, force: true });
    if (!installed()) throw error;
  }
  return { nodeModules: join(dir, 'node_modules'), installedNow: true, seconds: Math.round((Date.now() - started) / 1000) };
}

module.exports = { depsDir, ensureDeps, installed, versions };

if (require.main === module) {
  try {
    const deps = ensureDeps();
    console.log(deps.installedNow ? `cdktn deps: installed into ${deps.nodeModules} in ${deps.seconds} s` : `cdktn deps: ${deps.nodeModules}`);
  } catch (error) {
    console.error(`error: ${error.message}`);
    process.exit(1);
  }
}
