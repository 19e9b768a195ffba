import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/**
 * Runs real Terraform with no network: providers come from the filesystem mirror on the
 * machine (docs/architecture.md, "Terraform offline"). Shared by `npm run plan`, the tests and CI.
 */

/** The provider block tests and CI add: dummy keys and no AWS calls. Never deployed. */
export const OFFLINE_PROVIDER_SETTINGS = {
  access_key: 'offline-plan',
  secret_key: 'offline-plan',
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: true,
} as const;

/** Where terraform and the provider mirror are, or why they are not usable. */
export interface TerraformToolchain {
  readonly terraform: string;
  readonly mirror: string;
}

/** The terraform binary on PATH, or undefined. */
export function findTerraform(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'terraform');
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * The provider mirror: `TF_PLUGIN_MIRROR`, else the parent of the first
 * `registry.terraform.io` folder within three levels of `/` (as `.ci/run` finds it).
 */
export function findMirror(): string | undefined {
  const fromEnv = process.env.TF_PLUGIN_MIRROR;
  if (fromEnv) return existsSync(join(fromEnv, 'registry.terraform.io')) ? fromEnv : undefined;
  const isDir = (p: string) => {
    try {
      return statSync(p).isDirectory();
    } catch {
      return false;
    }
  };
  const list = (p: string) => {
    try {
      return readdirSync(p);
    } catch {
      return [];
    }
  };
  const skip = new Set(['proc', 'sys', 'dev', 'run', 'tmp']);
  for (const a of list('/')) {
    if (skip.has(a) || !isDir(`/${a}`)) continue;
    for (const b of list(`/${a}`)) {
      if (b === 'registry.terraform.io') return `/${a}`;
      if (!isDir(`/${a}/${b}`)) continue;
      if (list(`/${a}/${b}`).includes('registry.terraform.io')) return `/${a}/${b}`;
    }
  }
  return undefined;
}

/** Both, or a reason that names what is missing. */
export function terraformToolchain(): TerraformToolchain | { missing: string } {
  const terraform = findTerraform();
  if (!terraform) return { missing: 'terraform is not on PATH' };
  const mirror = findMirror();
  if (!mirror) return { missing: 'no provider mirror (set TF_PLUGIN_MIRROR to the folder holding registry.terraform.io)' };
  return { terraform, mirror };
}

let cliConfig: string | undefined;
let reattach: string | undefined;

/**
 * Go garbage-collector settings for terraform and the provider: every command decodes the
 * AWS provider's whole schema (thousands of types), and at Go's default (GOGC=100) the heap
 * is collected over and over while it grows. Collecting only near a 512 MiB ceiling cuts a
 * plan's CPU time by about a third (`show -json` likewise) and bounds memory all the same.
 * Settings already in the environment win.
 */
export function goCollectorSettings(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  if (env.GOGC !== undefined || env.GOMEMLIMIT !== undefined) return {};
  return { GOGC: 'off', GOMEMLIMIT: '512MiB' };
}

/** Attach later terraform commands to a running provider (shared-provider.ts); undefined detaches. */
export function useReattachedProvider(value: string | undefined): void {
  reattach = value;
}

function environment(): NodeJS.ProcessEnv {
  if (!cliConfig) {
    // An empty CLI config: silences the warning about a missing ~/.terraformrc and keeps
    // the user's own settings (credentials helpers, caches) out of offline runs.
    cliConfig = join(mkdtempSync(join(tmpdir(), 'tf-cli-')), 'terraformrc');
    writeFileSync(cliConfig, '');
  }
  return {
    ...process.env,
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    ...goCollectorSettings(),
    ...(reattach ? { TF_REATTACH_PROVIDERS: reattach } : {}),
  };
}

/** Result of one terraform command. */
export interface TerraformRun {
  readonly ok: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `terraform <args>` in `dir`, never throwing: the caller reads `ok` and the output. */
export function terraform(tool: TerraformToolchain, dir: string, args: string[]): TerraformRun {
  const run = spawnSync(tool.terraform, [...args, '-no-color'], {
    cwd: dir,
    env: environment(),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return { ok: run.status === 0, stdout: run.stdout ?? '', stderr: run.stderr ?? '' };
}

/**
 * Makes a synthesized root module plannable offline with an override file: Terraform merges
 * it into the root's provider block (dummy keys, no AWS calls) and swaps any backend for a
 * local state file, so a configured S3 backend is never contacted. `backend: false` for a
 * root module that declares no backend (an override may only change what exists).
 */
export function writeOfflineProviderOverride(dir: string, options: { backend?: boolean } = {}): void {
  const override = {
    provider: { aws: OFFLINE_PROVIDER_SETTINGS },
    ...(options.backend === false ? {} : { terraform: { backend: { local: { path: 'offline.tfstate' } } } }),
  };
  writeFileSync(join(dir, 'offline_override.tf.json'), JSON.stringify(override, null, 2));
}

/** A provider block for a root module that has none (one that calls the published module). */
export function writeOfflineProvider(dir: string, region = 'us-east-1'): void {
  writeFileSync(join(dir, 'offline_provider.tf.json'), JSON.stringify({ provider: { aws: { region, ...OFFLINE_PROVIDER_SETTINGS } } }, null, 2));
}

/** `init` with providers from the mirror only. */
export function init(tool: TerraformToolchain, dir: string): TerraformRun {
  return terraform(tool, dir, ['init', '-input=false', `-plugin-dir=${tool.mirror}`]);
}

/** `plan -out`, then the plan as JSON (`terraform show -json`). */
export function planJson(tool: TerraformToolchain, dir: string, vars: Record<string, string> = {}): TerraformRun & { plan?: PlanJson } {
  const varArgs = Object.entries(vars).flatMap(([k, v]) => ['-var', `${k}=${v}`]);
  const planFile = `plan-${process.pid}-${Date.now()}.bin`;
  const plan = terraform(tool, dir, ['plan', '-input=false', '-lock=false', `-out=${planFile}`, ...varArgs]);
  if (!plan.ok) return plan;
  const shown = spawnSync(tool.terraform, ['show', '-json', planFile], { cwd: dir, env: environment(), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (shown.status !== 0) return { ok: false, stdout: shown.stdout, stderr: shown.stderr };
  return { ...plan, plan: JSON.parse(shown.stdout) as PlanJson };
}

/** The parts of `terraform show -json` this project reads. */
export interface PlanJson {
  readonly format_version: string;
  readonly resource_changes?: ResourceChange[];
  readonly planned_values?: { root_module: PlannedModule };
  readonly configuration?: unknown;
  readonly variables?: Record<string, { value: unknown }>;
}

/** One planned resource instance. */
export interface ResourceChange {
  readonly address: string;
  readonly module_address?: string;
  readonly type: string;
  readonly name: string;
  readonly index?: number | string;
  readonly change: { actions: string[]; after: Record<string, unknown> | null; after_unknown?: Record<string, unknown> };
}

/** A module in `planned_values`. */
export interface PlannedModule {
  readonly resources?: Array<{ address: string; type: string; values: Record<string, unknown> }>;
  readonly child_modules?: PlannedModule[];
}

/** `terraform fmt -check` on a folder: true when the files are already formatted. */
export function fmtCheck(tool: TerraformToolchain, dir: string): TerraformRun {
  return terraform(tool, dir, ['fmt', '-check', '-diff']);
}

/** The terraform version line, for reports. */
export function terraformVersion(tool: TerraformToolchain): string {
  return execFileSync(tool.terraform, ['version'], { encoding: 'utf8', env: environment() }).split('\n')[0];
}
