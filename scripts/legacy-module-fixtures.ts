/**
 * `npx tsx scripts/legacy-module-fixtures.ts`: rebuilds __tests__/fixtures/legacy-modules/,
 * the published module of each earlier release exactly as its own commit wrote it, for the
 * upgrade test (__tests__/terraform/module-upgrade.test.ts) to plan and to write a state from.
 *
 * No release was tagged before 0.3.0, so each version is the commit that was it: for each,
 * a scratch `git worktree` under the system temp folder, `npm ci` there (the registry, about a
 * minute), that commit's own `npm run synth:module`, and its `main.tf.json` copied out. The
 * fixture folder is written whole into a temporary sibling and renamed into place.
 * Needs git, npm and network access to the npm registry; the test itself needs none of them.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..');
export const LEGACY_MODULES_DIR = join(root, '__tests__', 'fixtures', 'legacy-modules');

/** The releases before tags, and the commit that was each. */
export const LEGACY_RELEASES = [
  {
    version: '0.1.0',
    commit: '6a38044ed6218d660586efd81dd2f85ca23da0a8',
    why: 'the last commit of 0.1.0 (2026-11-25) before the 0.2 work; its module has the same resource addresses as 8aba68b, the first publishable one',
  },
  {
    version: '0.2.0',
    commit: '23db896d1073bbd8c6ea22ecb49b33bc581f3f9f',
    why: '"Version 0.2.0"',
  },
] as const;

function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
  if (result.error || result.status !== 0) throw new Error(`${command} ${args.join(' ')} (in ${cwd}) failed: ${result.error?.message ?? `exit ${result.status}`}\n${result.stderr}`);
}

function main(): void {
  const staging = mkdtempSync(join(root, '__tests__', 'fixtures', '.legacy-modules-'));
  try {
    const readme = ['# Earlier releases of the published module', '', 'Written by `npx tsx scripts/legacy-module-fixtures.ts`; do not edit. Each `main.tf.json` is', "that commit's own `npm run synth:module` output, unchanged (its `assets/` are not kept: the", 'upgrade test gives the functions its own zips).', ''];
    for (const release of LEGACY_RELEASES) {
      const scratch = mkdtempSync(join(tmpdir(), `vld-legacy-${release.version}-`));
      const worktree = join(scratch, 'repo');
      try {
        console.log(`${release.version}: ${release.commit}`);
        run('git', ['worktree', 'add', '--detach', worktree, release.commit], root);
        run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], worktree);
        run('npx', ['tsx', 'scripts/synth-module.ts', '-o', join(scratch, 'module')], worktree);
        mkdirSync(join(staging, release.version));
        copyFileSync(join(scratch, 'module', 'main.tf.json'), join(staging, release.version, 'main.tf.json'));
        readme.push(`- \`${release.version}/\`: commit ${release.commit}, ${release.why}.`);
      } finally {
        if (existsSync(worktree)) run('git', ['worktree', 'remove', '--force', worktree], root);
        rmSync(scratch, { recursive: true, force: true });
      }
    }
    writeFileSync(join(staging, 'README.md'), `${readme.join('\n')}\n`);
    rmSync(LEGACY_MODULES_DIR, { recursive: true, force: true });
    renameSync(staging, LEGACY_MODULES_DIR);
    console.log(`wrote ${LEGACY_MODULES_DIR}`);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
