import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compareVersions, newestReleased, releaseChangelog, unreleasedProblem } from '../../scripts/release/changelog';
import { packageProblems } from '../../scripts/release/package-check';
import { prepareRelease, preparedVersion } from '../../scripts/release';

const repoRoot = resolve(__dirname, '../..');

const CHANGELOG = [
  '# Changelog',
  '',
  '## Unreleased',
  '',
  '### Added',
  '',
  '- A thing.',
  '',
  '## 0.2.0 (2026-12-01)',
  '',
  '- Maps.',
  '',
  '## 0.1.0 (2026-11-25)',
  '',
  '- First.',
  '',
].join('\n');

describe('CHANGELOG.md at release', () => {
  test('"## Unreleased" becomes the version with its date; every other line stays as it was', () => {
    const released = releaseChangelog(CHANGELOG, '0.3.0', '2026-12-02');
    expect(released.moved).toBe(true);
    expect(released.text).toBe(CHANGELOG.replace('## Unreleased', '## 0.3.0 (2026-12-02)'));
    expect(newestReleased(released.text)).toBe('0.3.0');
    expect(unreleasedProblem(released.text, '0.3.0')).toBeUndefined();
  });

  test('a changelog already released at the version is taken as it is (prepare run twice, or by hand)', () => {
    const once = releaseChangelog(CHANGELOG, '0.3.0', '2026-12-02').text;
    expect(releaseChangelog(once, '0.3.0', '2026-12-03')).toEqual({ text: once, moved: false });
    const withEmptyUnreleased = once.replace('# Changelog\n', '# Changelog\n\n## Unreleased\n');
    expect(releaseChangelog(withEmptyUnreleased, '0.3.0', '2026-12-03').moved).toBe(false);
  });

  test.each([
    ['not X.Y.Z', '0.3', CHANGELOG, 'version "0.3" is not X.Y.Z (for example 0.3.0)'],
    ['a tag, not a version', 'v0.3.0', CHANGELOG, 'version "v0.3.0" is not X.Y.Z (for example 0.3.0)'],
    ['released already, with more under Unreleased', '0.2.1', CHANGELOG.replace('## 0.2.0', '## 0.2.1'), 'CHANGELOG.md has entries under "## Unreleased" and a "## 0.2.1" section already; move them under a later version'],
    ['older than the newest release', '0.1.5', CHANGELOG, 'version 0.1.5 is not after 0.2.0, the newest in CHANGELOG.md'],
    ['no Unreleased section', '0.3.0', CHANGELOG.replace('## Unreleased', '## Planned'), 'CHANGELOG.md has no "## Unreleased" section to release as 0.3.0, and no "## 0.3.0" section'],
    ['an empty Unreleased section', '0.3.0', CHANGELOG.replace('### Added\n\n- A thing.\n', ''), 'CHANGELOG.md: "## Unreleased" is empty; nothing to release as 0.3.0'],
  ])('refused in one line naming the input: %s', (_why, version, text, message) => {
    expect(() => releaseChangelog(text, version, '2026-12-02')).toThrow(message);
    expect(message).not.toContain('\n');
  });

  test('a date that is not a day is refused, naming --date', () => {
    for (const date of ['2026-13-02', '2026-02-30', 'tomorrow']) expect(() => releaseChangelog(CHANGELOG, '0.3.0', date)).toThrow(`--date "${date}" is not a date as YYYY-MM-DD`);
  });

  test('versions compare by number, not as text', () => {
    expect(compareVersions('0.10.0', '0.9.9')).toBe(1);
    expect(compareVersions('1.0.0', '1.0.0')).toBe(0);
    expect(newestReleased('## 0.9.0\n## 0.10.0 (2026-01-01)\n')).toBe('0.10.0');
  });

  test('the module step builds only a prepared version: a section for package.json\'s version and nothing left under "## Unreleased"', () => {
    expect(unreleasedProblem(CHANGELOG, '0.2.0')).toBe('CHANGELOG.md has entries under "## Unreleased" that 0.2.0 does not hold; run npm run release -- prepare <next version> first');
    expect(unreleasedProblem(CHANGELOG, '0.3.0')).toBe('CHANGELOG.md has no "## 0.3.0" section (package.json\'s version); run npm run release -- prepare <version> first');
  });
});

describe('npm run release -- prepare, on a copy of a project', () => {
  function project(changelog = CHANGELOG): string {
    const dir = mkdtempSync(join(tmpdir(), 'vld-release-project-'));
    writeFileSync(join(dir, 'CHANGELOG.md'), changelog);
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'p', version: '0.2.0', license: 'Apache-2.0' }, null, 2)}\n`);
    writeFileSync(join(dir, 'package-lock.json'), `${JSON.stringify({ name: 'p', version: '0.2.0', lockfileVersion: 3, packages: { '': { name: 'p', version: '0.2.0' } } }, null, 2)}\n`);
    return dir;
  }
  const read = (dir: string) => Object.fromEntries(['CHANGELOG.md', 'package.json', 'package-lock.json'].map((f) => [f, readFileSync(join(dir, f), 'utf8')]));

  test('moves "## Unreleased" under the version and sets it in package.json and both places of package-lock.json; the module step then accepts it', () => {
    const dir = project();
    expect(() => preparedVersion(dir)).toThrow('CHANGELOG.md has entries under "## Unreleased" that 0.2.0 does not hold');
    prepareRelease(dir, '0.3.0', '2026-12-02');
    const after = read(dir);
    expect(after['CHANGELOG.md']).toBe(CHANGELOG.replace('## Unreleased', '## 0.3.0 (2026-12-02)'));
    expect(JSON.parse(after['package.json']).version).toBe('0.3.0');
    const lock = JSON.parse(after['package-lock.json']);
    expect([lock.version, lock.packages[''].version]).toEqual(['0.3.0', '0.3.0']);
    expect(after['package.json'].endsWith('}\n')).toBe(true);
    expect(preparedVersion(dir)).toBe('0.3.0');
  });

  test('bad input writes nothing: all three files byte for byte as before', () => {
    const dir = project();
    const before = read(dir);
    expect(() => prepareRelease(dir, '0.1.9', '2026-12-02')).toThrow('version 0.1.9 is not after 0.2.0');
    expect(() => prepareRelease(dir, '0.3.0', '2026-12-32')).toThrow('--date "2026-12-32"');
    expect(read(dir)).toEqual(before);
  });

  test('the CLI says bad input in one line on stderr, exit 2', () => {
    const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
    for (const [args, message] of [
      [['prepare', '0.3'], 'release: version "0.3" is not X.Y.Z (for example 0.3.0)'],
      [['prepare', '0.3.0', '--date', '2026-02-30'], 'release: --date "2026-02-30" is not a date as YYYY-MM-DD'],
    ] as const) {
      const run = spawnSync(tsx, [join(repoRoot, 'scripts', 'release.ts'), ...args], { cwd: repoRoot, encoding: 'utf8' });
      expect([args.join(' '), run.status, run.stderr.trim(), run.stdout]).toEqual([args.join(' '), 2, message, '']);
    }
  });
});

describe("what npm publish would upload, judged", () => {
  const pkg = { main: 'lib/modules/index.js', types: 'lib/modules/index.d.ts', bin: { 'vpc-lambda-dynamodb': 'bin/vpc-lambda-dynamodb.js' } };
  const clean = ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'bin/vpc-lambda-dynamodb.js', 'lib/modules/index.js', 'lib/modules/index.d.ts', 'lib/modules/stacks/hcl/schema/aws-5.100.0.json', 'lib/analysis/report.js'];

  test('the compiled package with its entry points, README and LICENSE passes', () => {
    expect(packageProblems(clean, pkg)).toEqual([]);
  });

  test('tests, fixtures, sources, state, keys and local configuration are each named with why; a missing entry point too', () => {
    const bad = [
      '__tests__/unit/release.test.ts',
      'lib/__tests__/fixtures/legacy-modules/0.1.0/main.tf.json',
      'modules/index.ts',
      '.env',
      '.npmrc',
      'examples/complete/terraform.tfstate',
      'examples/complete/.terraform/providers/x',
      'deploy.pem',
      'lib/modules/index.js.map',
    ];
    const problems = packageProblems([...clean.filter((f) => f !== 'bin/vpc-lambda-dynamodb.js'), ...bad], pkg);
    expect(problems).toEqual([
      '__tests__/unit/release.test.ts: a test or fixture',
      'lib/__tests__/fixtures/legacy-modules/0.1.0/main.tf.json: a test or fixture',
      'modules/index.ts: a TypeScript source (the package ships compiled JavaScript and .d.ts)',
      '.env: local configuration that may hold credentials',
      '.npmrc: local configuration that may hold credentials',
      'examples/complete/terraform.tfstate: Terraform state, plans or variables',
      'examples/complete/.terraform/providers/x: Terraform state, plans or variables',
      'deploy.pem: a key or certificate',
      'lib/modules/index.js.map: a build by-product',
      'bin/vpc-lambda-dynamodb.js: named by package.json (or required) but not in the package',
    ]);
  });

  test('every file the exports map and typesVersions name must be shipped (the cdktn entry too)', () => {
    const withCdktn = {
      ...pkg,
      exports: { '.': { types: './lib/modules/index.d.ts', require: './lib/modules/index.js' }, './cdktn': { types: './lib/cdktn/constructs/index.d.ts', require: './lib/cdktn/constructs/index.js' }, './package.json': './package.json' },
      typesVersions: { '*': { cdktn: ['lib/cdktn/constructs/index.d.ts'] } },
    };
    expect(packageProblems([...clean, 'lib/cdktn/constructs/index.js'], withCdktn)).toEqual(['lib/cdktn/constructs/index.d.ts: named by package.json (or required) but not in the package']);
    expect(packageProblems([...clean, 'lib/cdktn/constructs/index.js', 'lib/cdktn/constructs/index.d.ts'], withCdktn)).toEqual([]);
  });

  test('a credential inside an allowed file is found by its content', () => {
    const root = mkdtempSync(join(tmpdir(), 'vld-release-pack-'));
    mkdirSync(join(root, 'lib', 'modules'), { recursive: true });
    for (const file of clean) {
      mkdirSync(join(root, file, '..'), { recursive: true });
      writeFileSync(join(root, file), '// nothing\n');
    }
    expect(packageProblems(clean, pkg, root)).toEqual([]);
    // An access key id in AWS's documented example shape (not a real key).
    writeFileSync(join(root, 'lib', 'analysis', 'report.js'), `const key = "AKIA${'IOSFODNN7EXAMPLE'}";\n`);
    expect(packageProblems(clean, pkg, root)).toEqual(['lib/analysis/report.js: holds an AWS access key id']);
  });
});
