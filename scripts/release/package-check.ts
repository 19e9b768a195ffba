import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What `npm publish` would upload, judged before anyone publishes: only what a user of the
 * constructs or of `check` runs or reads, no tests or fixtures, no TypeScript sources, no
 * Terraform state, keys or local configuration, and no credentials inside any file.
 */

/** Paths no published package of this project may hold, each with why. */
const FORBIDDEN: ReadonlyArray<readonly [RegExp, string]> = [
  [/(^|\/)(__tests__|fixtures?|tests?|spec)\//, 'a test or fixture'],
  [/\.(test|spec)\.[cm]?[jt]s$/, 'a test'],
  [/(?<!\.d)\.[cm]?ts$/, 'a TypeScript source (the package ships compiled JavaScript and .d.ts)'],
  [/(^|\/)\.env(\..*)?$|(^|\/)\.npmrc$|(^|\/)\.netrc$|(^|\/)credentials$/, 'local configuration that may hold credentials'],
  [/\.(pem|key|p12|pfx|crt)$|(^|\/)id_(rsa|ed25519|ecdsa)/, 'a key or certificate'],
  [/\.tfstate(\.|$)|(^|\/)\.terraform(\/|\.lock\.hcl$)|\.tfplan$|(^|\/)terraform\.tfvars(\.json)?$/, 'Terraform state, plans or variables'],
  [/(^|\/)(node_modules|cdktf\.out|coverage|dist|bench|local|\.git)\//, 'a build, cache or development folder'],
  [/\.tsbuildinfo$|\.map$|\.log$|\.tgz$/, 'a build by-product'],
];

/** Content that is a credential wherever it appears. */
const SECRET_CONTENT: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/, 'an AWS access key id'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
  [/\bnpm_[A-Za-z0-9]{36}\b/, 'an npm token'],
  [/\bgh[pousr]_[A-Za-z0-9]{36}\b/, 'a GitHub token'],
];

/** A package.json's entry points, which the tarball must hold. */
interface PackageJson {
  main?: string;
  types?: string;
  bin?: string | Record<string, string>;
  /** Every file target of the exports map (`./lib/cdktn/constructs/index.js`) must be shipped. */
  exports?: unknown;
  /** And every file `typesVersions` maps a subpath to (what `moduleResolution: node10` reads). */
  typesVersions?: Record<string, Record<string, string[]>>;
}

/** The file paths among a package.json field's string leaves (exports conditions, nested). */
function fileTargets(value: unknown): string[] {
  if (typeof value === 'string') return value.startsWith('./') && !value.includes('*') ? [value] : [];
  if (value && typeof value === 'object') return Object.values(value).flatMap(fileTargets);
  return [];
}

/**
 * The problems with a package's file list (paths relative to the package root), one line each:
 * forbidden paths, missing entry points and README/LICENSE, and, when `root` is given (the
 * folder the files are packed from), credentials found in their content.
 */
export function packageProblems(files: readonly string[], pkg: PackageJson, root?: string): string[] {
  const problems: string[] = [];
  for (const file of files) {
    const hit = FORBIDDEN.find(([pattern]) => pattern.test(file));
    if (hit) problems.push(`${file}: ${hit[1]}`);
  }
  const typesVersions = Object.values(pkg.typesVersions ?? {}).flatMap((map) => Object.values(map).flat().filter((path) => !path.includes('*')));
  const bins = typeof pkg.bin === 'string' ? [pkg.bin] : Object.values(pkg.bin ?? {});
  const named = ['package.json', 'README.md', 'LICENSE', pkg.main, pkg.types, ...bins, ...fileTargets(pkg.exports), ...typesVersions];
  for (const path of new Set(named.filter((file): file is string => file !== undefined).map((file) => file.replace(/^\.\//, '')))) {
    if (!files.includes(path)) problems.push(`${path}: named by package.json (or required) but not in the package`);
  }
  if (root) {
    for (const file of files) {
      const path = join(root, file);
      if (!existsSync(path) || statSync(path).size > 5 * 1024 * 1024) continue;
      const text = readFileSync(path, 'latin1');
      const hit = SECRET_CONTENT.find(([pattern]) => pattern.test(text));
      if (hit) problems.push(`${file}: holds ${hit[1]}`);
    }
  }
  return problems;
}

/** npm's own warnings that are expected of a dry run: publishing is not attempted, so no login. */
const EXPECTED_WARNINGS = [/requires you to be logged in/];

/** `npm publish --dry-run` in `root` (its prepack builds lib/): the files it would upload and its warnings. */
export function publishDryRun(root: string, env: NodeJS.ProcessEnv = process.env): { name: string; version: string; files: string[]; warnings: string[] } {
  const run = spawnSync('npm', ['publish', '--dry-run', '--json', '--no-fund', '--no-audit'], { cwd: root, encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
  if (run.error || run.status !== 0) throw new Error(`npm publish --dry-run failed: ${(run.stderr || run.error?.message || '').trim().split('\n').pop()}`);
  // The JSON is the last thing on stdout (prepack's build output comes before it).
  const start = run.stdout.search(/^\{/m);
  if (start < 0) throw new Error('npm publish --dry-run printed no JSON');
  const parsed = JSON.parse(run.stdout.slice(start)) as Record<string, { name: string; version: string; files: Array<{ path: string }> }>;
  const details = Object.values(parsed)[0];
  const warnings = run.stderr
    .split('\n')
    .filter((line) => /^npm warn/i.test(line))
    .filter((line) => !EXPECTED_WARNINGS.some((p) => p.test(line)));
  return { name: details.name, version: details.version, files: details.files.map((f) => f.path).sort(), warnings };
}
