import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ensureDeps, versions } from '../../../scripts/cdktn/deps';
import { rewriteFrameworkImports } from '../../../scripts/cdktn/rewrite';
import { repoRoot, run } from '../../support/package-install';

/** The cache's node_modules with cdktn, @cdktn/provider-aws and constructs (scripts/cdktn/deps.js). */
export const cdktnModules = (): string => process.env.VLD_CDKTN_NODE_MODULES ?? ensureDeps().nodeModules;

/** The exact versions the tier installs. */
export const CDKTN_VERSIONS = versions();

/** The folders of modules/ the cdktn build ships (scripts/cdktn/build.ts). */
const FOLDERS = ['constructs', 'private'];

function tsFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => (statSync(join(dir, name)).isDirectory() ? tsFiles(join(dir, name)).map((f) => `${name}/${f}`) : /\.ts$/.test(name) ? [name] : []));
}

/**
 * modules/constructs and modules/private as TypeScript with the build's rewrite applied, in a
 * folder inside the cache (so `cdktn`, `@cdktn/provider-aws` and `constructs` resolve from its
 * node_modules), keyed by the sources' content. Throws when the rewrite leaves a cdktf module.
 * @returns the folder holding `modules/`
 */
export function rewrittenSourceTree(): string {
  const files = FOLDERS.flatMap((folder) => tsFiles(join(repoRoot, 'modules', folder)).map((file) => `modules/${folder}/${file}`));
  const hash = createHash('sha256');
  const texts = files.map((file) => {
    const text = readFileSync(join(repoRoot, file), 'utf8');
    hash.update(`${file}\0${text}\0`);
    return text;
  });
  const tree = join(dirname(cdktnModules()), 'trees', hash.digest('hex').slice(0, 12));
  if (existsSync(tree)) return tree;
  const staging = `${tree}.partial-${process.pid}`;
  files.forEach((file, index) => {
    const out = rewriteFrameworkImports(texts[index], file);
    if (out.leftovers.length) throw new Error(`${file}: the cdktn rewrite leaves ${out.leftovers.join(', ')}`);
    mkdirSync(dirname(join(staging, file)), { recursive: true });
    writeFileSync(join(staging, file), out.text);
  });
  try {
    renameSync(staging, tree);
  } catch {
    rmSync(staging, { recursive: true, force: true });
  }
  return tree;
}

/**
 * A fresh project outside the repo with the tarball and CDK Terrain (the tier's exact versions,
 * from npm's cache, which the tier's own install filled), as a cdktn user installs the package.
 */
export function scratchCdktnProject(tarball: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'vld-cdktn-app-'));
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'cdktn-app', version: '0.0.0', private: true }, null, 2)}\n`);
  const specs = [tarball, ...Object.entries(CDKTN_VERSIONS).map(([name, version]) => `${name}@${version}`)];
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...specs], dir);
  return dir;
}
