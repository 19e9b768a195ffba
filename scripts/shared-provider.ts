import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { goCollectorSettings } from './terraform-offline';

/**
 * One hashicorp/aws provider process from the mirror, started in debug mode so terraform
 * commands attach to it (`TF_REATTACH_PROVIDERS`, Terraform's documented way to run against
 * an already running provider) instead of starting the 600 MB binary and loading its schema
 * for every validate, plan and show: it halves a test file's terraform time. Same terraform,
 * same provider build. Provider configuration is per process, so one test file (whose
 * terraform commands run one after another) owns one server: never share it concurrently.
 */
export class SharedAwsProvider {
  private constructor(
    private readonly child: ChildProcess,
    /** The value for TF_REATTACH_PROVIDERS. */
    readonly reattach: string,
  ) {}

  /** Starts the mirrored provider; rejects with the reason when it cannot. */
  static async start(mirror: string, timeoutMs = 30000): Promise<SharedAwsProvider> {
    const binary = findProviderBinary(mirror);
    if (!binary) throw new Error(`no hashicorp/aws provider binary for this platform under ${mirror}`);
    // Its output goes to a file, never a pipe: terraform runs through spawnSync, which blocks
    // this event loop, and a pipe nobody drains would fill and freeze the provider mid-plan.
    const logFile = join(mkdtempSync(join(tmpdir(), 'tf-provider-')), 'provider.log');
    const log = openSync(logFile, 'w');
    // No custom CA bundle: offline plans never call AWS, and the provider refuses to wrap its
    // HTTP client a second time when it is configured again in the same process.
    // The collector settings terraform gets (terraform-offline.ts): the provider serializes its
    // whole schema for every command that attaches.
    const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1', ...goCollectorSettings() };
    delete env.AWS_CA_BUNDLE;
    const child = spawn(binary, ['-debug'], { stdio: ['ignore', log, log], env });
    closeSync(log);
    const started = Date.now();
    let reattach: string | undefined;
    while (!reattach) {
      if (child.exitCode !== null) throw new Error(`provider exited (${child.exitCode}) before it was ready:\n${readFileSync(logFile, 'utf8')}`);
      if (Date.now() - started > timeoutMs) {
        child.kill();
        throw new Error(`provider did not print its reattach settings within ${timeoutMs} ms:\n${readFileSync(logFile, 'utf8')}`);
      }
      await new Promise((r) => setTimeout(r, 50));
      reattach = /TF_REATTACH_PROVIDERS='([^']+)'/.exec(readFileSync(logFile, 'utf8'))?.[1];
    }
    child.unref();
    const server = new SharedAwsProvider(child, reattach);
    process.once('exit', () => server.stop());
    return server;
  }

  /** Ends the provider process. */
  stop(): void {
    if (this.child.exitCode === null && !this.child.killed) this.child.kill();
  }
}

/** `<mirror>/registry.terraform.io/hashicorp/aws/<version>/<os>_<arch>/terraform-provider-aws_*`. */
export function findProviderBinary(mirror: string): string | undefined {
  const arch = { x64: 'amd64', arm64: 'arm64', ia32: '386' }[process.arch as string] ?? process.arch;
  const base = join(mirror, 'registry.terraform.io', 'hashicorp', 'aws');
  if (!existsSync(base)) return undefined;
  for (const version of readdirSync(base).sort().reverse()) {
    const dir = join(base, version, `${process.platform}_${arch}`);
    if (!existsSync(dir)) continue;
    const binary = readdirSync(dir).find((f) => f.startsWith('terraform-provider-aws'));
    if (binary) return join(dir, binary);
  }
  return undefined;
}
