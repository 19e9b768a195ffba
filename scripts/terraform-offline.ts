import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

/**
 * Runs real Terraform for `npm run plan`, the tests, CI and the benches (docs/architecture.md,
 * "Terraform offline"). Providers come from the user's own Terraform configuration (the
 * registry, their CLI config, their plugin cache), or from a filesystem mirror only when
 * `TF_PLUGIN_MIRROR` names one: nothing here looks for a mirror on its own.
 */

/** The provider block tests and CI add: dummy keys and no AWS calls. Never deployed. */
export const OFFLINE_PROVIDER_SETTINGS = {
  access_key: 'offline-plan',
  secret_key: 'offline-plan',
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: true,
} as const;

/** The terraform binary and where providers come from. */
export interface TerraformToolchain {
  readonly terraform: string;
  /**
   * A filesystem provider mirror (the folder holding `registry.terraform.io`), passed to
   * `init -plugin-dir`; undefined: Terraform installs providers as the user's configuration says.
   */
  readonly mirror?: string;
  /**
   * An empty CLI configuration instead of the user's (tests: a run must not depend on a
   * developer's ~/.terraformrc); false or absent: the user's own, untouched.
   */
  readonly isolated?: boolean;
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
 * The mirror `TF_PLUGIN_MIRROR` names: `{}` when it is unset or empty (no mirror), the reason
 * when it names a folder that holds no `registry.terraform.io`.
 */
export function namedMirror(env: NodeJS.ProcessEnv = process.env): { mirror?: string } | { missing: string } {
  const value = env.TF_PLUGIN_MIRROR;
  if (!value) return {};
  if (!existsSync(join(value, 'registry.terraform.io'))) {
    return { missing: `TF_PLUGIN_MIRROR: ${value} holds no registry.terraform.io folder (name the folder that holds it, or unset TF_PLUGIN_MIRROR to install providers as your Terraform configuration says)` };
  }
  return { mirror: resolve(value) };
}

/** terraform from PATH with the mirror `TF_PLUGIN_MIRROR` names (if any), or why it cannot run. */
export function terraformToolchain(env: NodeJS.ProcessEnv = process.env): TerraformToolchain | { missing: string } {
  const terraform = findTerraform();
  if (!terraform) return { missing: 'terraform is not on PATH' };
  const named = namedMirror(env);
  if ('missing' in named) return named;
  return { terraform, ...named };
}

let emptyCliConfig: string | undefined;
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

function environment(tool: TerraformToolchain): NodeJS.ProcessEnv {
  if (tool.isolated && !emptyCliConfig) {
    // An empty CLI config for the tests: a developer's settings (credentials helpers, caches,
    // a TF_CLI_CONFIG_FILE naming a missing file) stay out of their runs.
    emptyCliConfig = join(mkdtempSync(join(tmpdir(), 'tf-cli-')), 'terraformrc');
    writeFileSync(emptyCliConfig, '');
  }
  return {
    ...process.env,
    ...(tool.isolated ? { TF_CLI_CONFIG_FILE: emptyCliConfig } : {}),
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
    env: environment(tool),
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

/** `init`: providers from the mirror only when the toolchain names one, else as Terraform's own configuration says. */
export function init(tool: TerraformToolchain, dir: string): TerraformRun {
  return terraform(tool, dir, ['init', '-input=false', ...(tool.mirror ? [`-plugin-dir=${tool.mirror}`] : [])]);
}

/** `plan -out`, then the plan as JSON (`terraform show -json`). */
export function planJson(tool: TerraformToolchain, dir: string, vars: Record<string, string> = {}): TerraformRun & { plan?: PlanJson } {
  const varArgs = Object.entries(vars).flatMap(([k, v]) => ['-var', `${k}=${v}`]);
  const planFile = `plan-${process.pid}-${Date.now()}.bin`;
  const plan = terraform(tool, dir, ['plan', '-input=false', '-lock=false', `-out=${planFile}`, ...varArgs]);
  if (!plan.ok) return plan;
  const shown = spawnSync(tool.terraform, ['show', '-json', planFile], { cwd: dir, env: environment(tool), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
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
  return execFileSync(tool.terraform, ['version'], { encoding: 'utf8', env: environment(tool) }).split('\n')[0];
}
