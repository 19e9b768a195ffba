import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ReleaseInputError, releaseVersion } from './changelog';

/**
 * The published module as its own git repository, the way the Terraform Registry and a
 * `git::` source read it: the module at the root (what `npm run synth:module` writes:
 * `*.tf`, README, CHANGELOG, UPGRADING, LICENSE, VERSION, `examples/`, `tests/`, `assets/`),
 * one commit per release on a branch, and an annotated tag `vX.Y.Z` on it.
 */

/** What a module repository ignores: Terraform's working files in the examples and tests. */
export const MODULE_GITIGNORE = ['.terraform/', '.terraform.lock.hcl', '*.tfstate', '*.tfstate.*', '*.tfplan', 'crash.log', 'override.tf', 'override.tf.json', '*_override.tf', '*_override.tf.json', ''].join('\n');

/** Who signs the release commit and tag. */
export interface GitIdentity {
  readonly name: string;
  readonly email: string;
}

export interface ModuleReleaseOptions {
  /** A folder holding the module as `npm run synth:module` writes it. */
  readonly moduleDir: string;
  /** X.Y.Z; the tag is `vX.Y.Z`. */
  readonly version: string;
  /** A git URL to push the branch and the tag to (`file:///...`, `git@github.com:...`); none: a local repository only. */
  readonly repo?: string;
  /** Branch the release commit goes on (default `main`). */
  readonly branch?: string;
  /** Where the module repository's working copy is left (replaced whole at the end). */
  readonly out: string;
  readonly identity: GitIdentity;
  /** What the release was built from, for the commit message (`abc123`, `abc123 with uncommitted changes`). */
  readonly builtFrom?: string;
}

export interface ModuleRelease {
  readonly tag: string;
  /** The release commit's id. */
  readonly commit: string;
  /** The working copy (`out`). */
  readonly dir: string;
  /** Where the branch and tag were pushed, if anywhere. */
  readonly pushed?: string;
}

/** A git failure, in one line with git's own last words. */
function git(args: string[], cwd: string, identity?: GitIdentity): string {
  const config = identity ? ['-c', `user.name=${identity.name}`, '-c', `user.email=${identity.email}`] : [];
  const run = spawnSync('git', [...config, ...args], {
    cwd,
    encoding: 'utf8',
    // No prompts (a push needing credentials fails instead of waiting), no user hooks or templates.
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1' },
  });
  if (run.error || run.status !== 0) {
    const lines = (run.stderr || run.stdout || run.error?.message || '').trim().split('\n').filter(Boolean);
    const said = lines.find((l) => /^(fatal|error):/.test(l)) ?? lines.pop() ?? `exit ${run.status}`;
    throw new Error(`git ${args[0]} failed: ${said}`);
  }
  return run.stdout.trim();
}

/** Whether `repo` already has the tag (read with `git ls-remote`, before anything is built or written). */
export function remoteHasTag(repo: string, tag: string): boolean {
  return git(['ls-remote', '--tags', repo, `refs/tags/${tag}`], process.cwd()) !== '';
}

/** The git identity configured where the release is run (`git config user.name/user.email`), or a one-line error. */
export function gitIdentity(cwd: string): GitIdentity {
  const read = (key: string) => spawnSync('git', ['config', key], { cwd, encoding: 'utf8' }).stdout?.trim() ?? '';
  const name = read('user.name');
  const email = read('user.email');
  if (!name || !email) throw new ReleaseInputError('git has no user.name and user.email to sign the release commit and tag with (git config --global user.email you@example.com)');
  return { name, email };
}

/**
 * Commits the module at `moduleDir` as release `version` of the module repository and tags
 * it `vX.Y.Z`: on top of `repo`'s `branch` when `repo` is given (cloned; an empty repository
 * starts the branch), else in a new local repository. The branch and the tag are pushed in
 * one atomic push. All of it happens in a temporary sibling of `out`, renamed to `out` only
 * once done; a tag the remote already has is refused before anything is built.
 */
export function releaseModuleRepository(options: ModuleReleaseOptions): ModuleRelease {
  const version = releaseVersion(options.version);
  const tag = `v${version}`;
  const branch = options.branch ?? 'main';
  if (!existsSync(join(options.moduleDir, 'versions.tf'))) throw new ReleaseInputError(`module folder ${options.moduleDir} has no versions.tf (write it with npm run synth:module)`);
  if (options.repo && remoteHasTag(options.repo, tag)) throw new ReleaseInputError(`${options.repo} already has the tag ${tag}; a released version is never moved (release a later version)`);

  const out = resolve(options.out);
  mkdirSync(dirname(out), { recursive: true });
  const work = mkdtempSync(join(dirname(out), `.${basename(out)}-`));
  try {
    if (options.repo) {
      git(['clone', '--quiet', '--no-checkout', options.repo, work], dirname(out));
      const remoteBranch = git(['ls-remote', '--heads', 'origin', `refs/heads/${branch}`], work);
      const anyBranch = git(['ls-remote', '--heads', 'origin'], work);
      if (remoteBranch) git(['checkout', '--quiet', '-B', branch, `origin/${branch}`], work);
      else if (anyBranch) throw new ReleaseInputError(`${options.repo} has no branch ${branch} (pass --branch with the one it releases on)`);
      else git(['symbolic-ref', 'HEAD', `refs/heads/${branch}`], work);
    } else {
      git(['init', '--quiet', `--initial-branch=${branch}`, work], dirname(out));
    }
    // The release is the module folder, whole: what an earlier release had and this one has not goes.
    for (const entry of readdirSync(work)) if (entry !== '.git') rmSync(join(work, entry), { recursive: true, force: true });
    cpSync(options.moduleDir, work, { recursive: true });
    writeFileSync(join(work, '.gitignore'), MODULE_GITIGNORE);
    git(['add', '--all'], work);
    const message = [`vpc-lambda-dynamodb ${version}`, '', `Built by npm run release${options.builtFrom ? ` from ${options.builtFrom}` : ''}.`].join('\n');
    git(['commit', '--quiet', '--no-verify', '--allow-empty', '-m', message], work, options.identity);
    git(['tag', '--annotate', tag, '-m', `vpc-lambda-dynamodb ${version}`], work, options.identity);
    const commit = git(['rev-parse', 'HEAD'], work);
    if (options.repo) git(['push', '--atomic', '--quiet', 'origin', `HEAD:refs/heads/${branch}`, `refs/tags/${tag}`], work);
    rmSync(out, { recursive: true, force: true });
    renameSync(work, out);
    return { tag, commit, dir: out, ...(options.repo ? { pushed: options.repo } : {}) };
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    throw error;
  }
}
