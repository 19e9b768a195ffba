/**
 * `npm run release -- <step>`: the release, scripted (docs/releasing.md).
 *
 *   prepare <X.Y.Z> [--date YYYY-MM-DD]  CHANGELOG's "## Unreleased" becomes "## X.Y.Z (date)";
 *                                        package.json and package-lock.json take X.Y.Z. Commit it.
 *   npm                                  `npm publish --dry-run`, and what it would upload judged:
 *                                        no tests, fixtures, sources, state or credentials.
 *   module [--repo <git url>] [--out <dir>] [--branch main] [--allow-dirty]
 *                                        the Terraform module as its own repository, committed and
 *                                        tagged vX.Y.Z (package.json's version), pushed to --repo.
 *
 * Exit 0 done, 1 a step failed, 2 bad input (one line naming it). Nothing is half-written:
 * `prepare` writes its three files only once all three are computed, each by rename; `module`
 * works in a temporary folder renamed into place at the end.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { ReleaseInputError, releaseChangelog, releaseDate, releaseVersion, unreleasedProblem } from './release/changelog';
import { gitIdentity, releaseModuleRepository, remoteHasTag } from './release/module-repository';
import { packageProblems, publishDryRun } from './release/package-check';

const root = resolve(__dirname, '..');

/** Replaces a file by writing a sibling and renaming it over the original. */
function replaceFile(path: string, text: string): void {
  const temporary = `${path}.release-${process.pid}`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

/**
 * The files `prepare` rewrites for `version`, computed from `project`: CHANGELOG.md with
 * "## Unreleased" moved under the version, package.json and package-lock.json with it.
 * Throws {@link ReleaseInputError} before anything is written.
 */
export function preparedFiles(project: string, version: string, date: string): Record<string, string> {
  const changelog = releaseChangelog(readFileSync(join(project, 'CHANGELOG.md'), 'utf8'), version, date);
  const pkg = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as { version: string };
  const lock = JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8')) as { version?: string; packages?: Record<string, { version?: string }> };
  pkg.version = version;
  lock.version = version;
  if (lock.packages?.['']) lock.packages[''].version = version;
  return {
    'CHANGELOG.md': changelog.text,
    'package.json': `${JSON.stringify(pkg, null, 2)}\n`,
    'package-lock.json': `${JSON.stringify(lock, null, 2)}\n`,
  };
}

/** `prepare`: writes {@link preparedFiles} into `project`. Returns what it did, for the log. */
export function prepareRelease(project: string, version: string, date: string): string[] {
  const files = preparedFiles(project, releaseVersion(version), releaseDate(date));
  const before = readFileSync(join(project, 'CHANGELOG.md'), 'utf8');
  for (const [file, text] of Object.entries(files)) replaceFile(join(project, file), text);
  return [before === files['CHANGELOG.md'] ? `CHANGELOG.md already has ${version}` : `CHANGELOG.md: "## Unreleased" is now "## ${version} (${date})"`, `package.json, package-lock.json: ${version}`];
}

/** package.json's version, checked against CHANGELOG.md: what `module` releases. */
export function preparedVersion(project: string): string {
  const version = (JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as { version: string }).version;
  releaseVersion(version);
  const problem = unreleasedProblem(readFileSync(join(project, 'CHANGELOG.md'), 'utf8'), version);
  if (problem) throw new ReleaseInputError(problem);
  return version;
}

/** The commit the release is built from, and whether the working tree differs from it. */
function sourceState(project: string): { commit: string; dirty: boolean } {
  const head = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: project, encoding: 'utf8' });
  const status = spawnSync('git', ['status', '--porcelain'], { cwd: project, encoding: 'utf8' });
  if (head.status !== 0 || status.status !== 0) throw new ReleaseInputError(`${project} is not a git checkout; a release records the commit it is built from`);
  return { commit: head.stdout.trim(), dirty: status.stdout.trim() !== '' };
}

async function moduleStep(options: { repo?: string; out: string; branch: string; allowDirty?: boolean }): Promise<void> {
  const version = preparedVersion(root);
  const source = sourceState(root);
  if (source.dirty && !options.allowDirty) throw new ReleaseInputError('the working tree has uncommitted changes (git status); commit them, or pass --allow-dirty');
  const identity = gitIdentity(root);
  // Before minutes of building: a tag the remote has is never released again.
  if (options.repo && remoteHasTag(options.repo, `v${version}`)) throw new ReleaseInputError(`${options.repo} already has the tag v${version}; a released version is never moved (release a later version)`);
  // Loaded here: prepare and npm need neither the constructs nor esbuild.
  const { bundleAll } = await import('../functions/bundle');
  const { writePublishedModule, PUBLISHED_MODULE_NAME } = await import('../modules/stacks/module/published-module');
  // The module is built in a scratch folder; releaseModuleRepository writes --out whole.
  const scratch = mkdtempSync(join(tmpdir(), 'vld-release-module-'));
  try {
    const built = bundleAll();
    const moduleDir = await writePublishedModule(join(scratch, PUBLISHED_MODULE_NAME), {
      bundles: { products: built.products.dir, userActivity: built['user-activity'].dir },
      examplesDir: join(root, 'examples'),
      testsDir: join(root, 'module-tests'),
      changelog: join(root, 'CHANGELOG.md'),
      upgrading: join(root, 'UPGRADING.md'),
      license: join(root, 'LICENSE'),
      version,
    });
    const release = releaseModuleRepository({
      moduleDir,
      version,
      repo: options.repo,
      branch: options.branch,
      out: options.out,
      identity,
      builtFrom: `vpc-lambda-dynamodb ${source.commit}${source.dirty ? ' with uncommitted changes' : ''}`,
    });
    console.log(`module ${version}: commit ${release.commit.slice(0, 12)} tagged ${release.tag} in ${release.dir}${release.pushed ? `, pushed to ${release.pushed}` : ' (not pushed: no --repo)'}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function npmStep(): number {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Parameters<typeof packageProblems>[1];
  const dry = publishDryRun(root);
  const problems = [...packageProblems(dry.files, pkg, root), ...dry.warnings.map((w) => `npm: ${w}`)];
  if (problems.length > 0) {
    console.error(`npm publish --dry-run: ${dry.name}@${dry.version} is not clean:`);
    for (const problem of problems) console.error(`  ${problem}`);
    return 1;
  }
  console.log(`npm publish --dry-run: ${dry.name}@${dry.version}, ${dry.files.length} files, clean (no tests, fixtures, sources, state or credentials)`);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const fail = (error: unknown) => {
    if (error instanceof ReleaseInputError) {
      console.error(`release: ${error.message}`);
      code = 2;
    } else {
      console.error(`release: ${error instanceof Error ? error.message : String(error)}`);
      code = 1;
    }
  };
  const program = new Command().name('npm run release --').description('Release the module and the npm package (docs/releasing.md).').exitOverride();
  program
    .command('prepare')
    .description('move CHANGELOG.md\'s "## Unreleased" under <version> and set package.json/package-lock.json to it')
    .argument('<version>', 'the release, X.Y.Z')
    .option('--date <YYYY-MM-DD>', 'release date (default: today, UTC)', new Date().toISOString().slice(0, 10))
    .action((version: string, opts: { date: string }) => {
      try {
        for (const line of prepareRelease(root, version, opts.date)) console.log(line);
      } catch (error) {
        fail(error);
      }
    });
  program
    .command('npm')
    .description('npm publish --dry-run, and the file list judged: only what a user needs')
    .action(() => {
      try {
        code = npmStep();
      } catch (error) {
        fail(error);
      }
    });
  program
    .command('module')
    .description("write the Terraform module as its own repository, commit and tag v<package.json's version>, push to --repo")
    .option('--repo <git url>', 'module repository to push the branch and tag to (file:///..., git@github.com:...)')
    .option('--out <dir>', "where the module repository's working copy is left", join(root, 'dist', 'release', 'terraform-aws-vpc-lambda-dynamodb'))
    .option('--branch <name>', 'branch the release commit goes on', 'main')
    .option('--allow-dirty', 'build from a working tree with uncommitted changes (recorded in the commit message)')
    .action(async (opts: { repo?: string; out: string; branch: string; allowDirty?: boolean }) => {
      try {
        await moduleStep({ ...opts, out: resolve(opts.out) });
      } catch (error) {
        fail(error);
      }
    });
  try {
    await program.parseAsync(argv);
  } catch (error) {
    const exit = (error as { exitCode?: number }).exitCode;
    return exit === undefined ? 2 : exit === 0 ? 0 : 2;
  }
  return code;
}

if (require.main === module) {
  main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
