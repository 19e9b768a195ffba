import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { init, ResourceChange, TerraformToolchain, writeOfflineProvider } from '../../scripts/terraform-offline';
import { newestReleased, releaseChangelog, unreleasedProblem } from '../../scripts/release/changelog';
import { releaseModuleRepository } from '../../scripts/release/module-repository';
import { PUBLISHED_MODULE_NAME, writePublishedModule } from '../../modules/stacks/module/published-module';
import { planWithoutRefresh } from '../support/legacy-state';
import { testBundles } from '../support/synth';
import { describeWithTerraform, expectOk } from '../support/terraform';

/**
 * docs/releasing.md, end to end and offline: the module released as its own repository into a
 * local bare repository (standing in for GitHub), tagged vX.Y.Z, then used the way a user
 * does, `source = "git::file:///...?ref=vX.Y.Z"`, through `terraform init` and a plan.
 */
const repoRoot = resolve(__dirname, '../..');
const identity = { name: 'Release Test', email: 'release-test@example.invalid' };
const gitMissing = spawnSync('git', ['--version']).status === 0 ? undefined : 'git is not on PATH';

function git(args: string[], cwd: string): string {
  const run = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${run.stderr}`);
  return run.stdout.trim();
}

/**
 * The version `npm run release -- module` would publish from this checkout: package.json's
 * when CHANGELOG.md is prepared for it, else the next minor with "## Unreleased" moved under it
 * (what `prepare` would write). Either way the changelog text to ship.
 */
function releaseUnderTest(): { version: string; changelog: string } {
  const text = readFileSync(join(repoRoot, 'CHANGELOG.md'), 'utf8');
  const current = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
  if (!unreleasedProblem(text, current)) return { version: current, changelog: text };
  const [major, minor] = (newestReleased(text) ?? current).split('.').map(Number);
  const version = `${major}.${minor + 1}.0`;
  return { version, changelog: releaseChangelog(text, version, '2026-12-02').text };
}

const name = 'the module released as its own repository, tagged, and used by git::file://...?ref=vX.Y.Z';

if (gitMissing && process.env.CI === 'true') {
  describe(name, () => {
    test('git is available under CI', () => {
      throw new Error(`CI=true but ${gitMissing}`);
    });
  });
} else if (gitMissing) {
  console.warn(`skipping "${name}": ${gitMissing}`);
  describe.skip(`${name} (skipped: ${gitMissing})`, () => {
    test('release', () => undefined);
  });
} else {
  describeWithTerraform(name, releaseTests);
}

function releaseTests(tool: () => TerraformToolchain): void {
  const work = mkdtempSync(join(tmpdir(), 'vld-release-'));
  const bare = join(work, `${PUBLISHED_MODULE_NAME}.git`);
  const url = `file://${bare}`;
  const { version, changelog } = releaseUnderTest();
  const tag = `v${version}`;
  let moduleDir: string;

  beforeAll(async () => {
    git(['init', '--bare', '--quiet', bare], work);
    writeFileSync(join(work, 'CHANGELOG.md'), changelog);
    moduleDir = await writePublishedModule(join(work, 'build', PUBLISHED_MODULE_NAME), {
      bundles: testBundles(),
      examplesDir: join(repoRoot, 'examples'),
      testsDir: join(repoRoot, 'module-tests'),
      changelog: join(work, 'CHANGELOG.md'),
      upgrading: join(repoRoot, 'UPGRADING.md'),
      license: join(repoRoot, 'LICENSE'),
      version,
    });
  }, 120000);

  /** A root calling the module from the bare repository at `ref`, initialized offline. */
  function rootAt(ref: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'vld-release-root-'));
    writeOfflineProvider(dir);
    writeFileSync(join(dir, 'main.tf'), `module "vld" {\n  source             = "git::${url}?ref=${ref}"\n  name_prefix        = "released"\n  availability_zones = ["us-east-1a", "us-east-1b"]\n}\n`);
    expectOk(init(tool(), dir), `terraform init from ${ref}`);
    return dir;
  }

  test(`release ${version}: one commit and an annotated tag pushed; the repository is the module at its root, examples, tests, CHANGELOG, UPGRADING, LICENSE, README`, () => {
    const release = releaseModuleRepository({ moduleDir, version, repo: url, out: join(work, 'out', PUBLISHED_MODULE_NAME), identity, builtFrom: 'the release test' });
    expect([release.tag, release.pushed]).toEqual([tag, url]);
    expect(git(['rev-list', '--count', 'main'], bare)).toBe('1');
    expect(git(['cat-file', '-t', tag], bare)).toBe('tag');
    expect(git(['rev-parse', `${tag}^{commit}`], bare)).toBe(release.commit);
    const files = git(['ls-tree', '-r', '--name-only', tag], bare).split('\n');
    for (const file of ['versions.tf', 'variables.tf', 'outputs.tf', 'moved.tf', 'README.md', 'CHANGELOG.md', 'UPGRADING.md', 'LICENSE', 'VERSION', '.gitignore', 'examples/complete/main.tf', 'examples/seed-system/main.tf', 'assets/products.zip']) {
      expect([file, files.includes(file)]).toEqual([file, true]);
    }
    expect(files.filter((f) => f.startsWith('tests/') && f.endsWith('.tftest.hcl')).length).toBeGreaterThan(0);
    expect(files.filter((f) => /(^|\/)\.terraform|\.tfstate|\.tf\.json$|\.ts$/.test(f))).toEqual([]);
    expect(git(['show', `${tag}:VERSION`], bare)).toBe(version);
    expect(git(['log', '-1', '--format=%an <%ae>%n%s', tag], bare)).toBe(`Release Test <release-test@example.invalid>\nvpc-lambda-dynamodb ${version}`);
    // The working copy is left at --out, clean; no temporary folder beside it.
    expect(git(['status', '--porcelain'], release.dir)).toBe('');
    expect(readdirSync(join(work, 'out'))).toEqual([PUBLISHED_MODULE_NAME]);
  });

  test(`terraform init of source = "git::file://...?ref=${tag}" fetches that release offline, and it plans`, () => {
    const dir = rootAt(tag);
    const fetched = join(dir, '.terraform', 'modules', 'vld');
    expect(readFileSync(join(fetched, 'VERSION'), 'utf8').trim()).toBe(version);
    expect(readFileSync(join(fetched, 'CHANGELOG.md'), 'utf8').split('\n').find((l) => l.startsWith('## '))).toMatch(new RegExp(`^## ${version.replace(/\./g, '\\.')} \\(\\d{4}-\\d{2}-\\d{2}\\)$`));
    const run = planWithoutRefresh(tool(), dir);
    expectOk(run, 'terraform plan of the released module');
    const created = (run.plan!.resource_changes ?? []).filter((c: ResourceChange) => c.change.actions.join(',') === 'create').map((c) => c.address);
    expect(created).toEqual(expect.arrayContaining(['module.vld.aws_vpc.this[0]', 'module.vld.aws_vpc_endpoint.dynamodb', 'module.vld.aws_subnet.private[1]']));
  });

  test('the same version again is refused before anything is written: a released tag never moves', () => {
    const before = git(['ls-remote', url], work);
    expect(() => releaseModuleRepository({ moduleDir, version, repo: url, out: join(work, 'again', PUBLISHED_MODULE_NAME), identity })).toThrow(
      `${url} already has the tag ${tag}; a released version is never moved (release a later version)`,
    );
    expect(git(['ls-remote', url], work)).toBe(before);
    expect(existsSync(join(work, 'again'))).toBe(false);
  });

  test('a push the repository refuses leaves no working copy and no temporary folder; a repository that is not there is named', () => {
    // A remote whose pre-receive hook declines every push: everything is built and committed, then the push fails.
    const refusing = join(work, 'refusing.git');
    git(['init', '--bare', '--quiet', refusing], work);
    writeFileSync(join(refusing, 'hooks', 'pre-receive'), '#!/bin/sh\necho "declined by the release test" >&2\nexit 1\n', { mode: 0o755 });
    expect(() => releaseModuleRepository({ moduleDir, version, repo: `file://${refusing}`, out: join(work, 'failed', PUBLISHED_MODULE_NAME), identity })).toThrow(
      `git push failed: error: failed to push some refs to 'file://${refusing}'`,
    );
    expect(readdirSync(join(work, 'failed'))).toEqual([]);
    expect(git(['ls-remote', `file://${refusing}`], work)).toBe('');
    const missing = join(work, 'missing.git');
    expect(() => releaseModuleRepository({ moduleDir, version, repo: `file://${missing}`, out: join(work, 'failed', PUBLISHED_MODULE_NAME), identity })).toThrow(
      `git ls-remote failed: fatal: '${missing}' does not appear to be a git repository`,
    );
  });

  test('the next release goes on top: two commits on main, each tag still fetches its own version', () => {
    const [major, minor, patch] = version.split('.').map(Number);
    const next = `${major}.${minor}.${patch + 1}`;
    const nextDir = join(work, 'next', PUBLISHED_MODULE_NAME);
    cpSync(moduleDir, nextDir, { recursive: true });
    writeFileSync(join(nextDir, 'VERSION'), `${next}\n`);
    releaseModuleRepository({ moduleDir: nextDir, version: next, repo: url, out: join(work, 'out-next', PUBLISHED_MODULE_NAME), identity });
    expect(git(['rev-list', '--count', 'main'], bare)).toBe('2');
    expect(git(['rev-parse', 'main~1'], bare)).toBe(git(['rev-parse', `${tag}^{commit}`], bare));
    expect(readFileSync(join(rootAt(tag), '.terraform', 'modules', 'vld', 'VERSION'), 'utf8').trim()).toBe(version);
    expect(readFileSync(join(rootAt(`v${next}`), '.terraform', 'modules', 'vld', 'VERSION'), 'utf8').trim()).toBe(next);
  });
}
