import { readdirSync, statSync } from 'node:fs';
import { DeployConfigInput } from '../../modules/stacks/deploy/deploy-config';
import { init, planJson, PlanJson, terraform, TerraformRun, TerraformToolchain, terraformToolchain, useReattachedProvider, writeOfflineProviderOverride } from '../../scripts/terraform-offline';
import { SharedAwsProvider } from '../../scripts/shared-provider';
import { configuredResources, plannedOf } from './plan';
import { contentHash, oncePerRun } from './run-cache';
import { writeDeployStack } from './synth';

/**
 * The first `registry.terraform.io` folder within three levels of `/`, its parent the mirror
 * (as `.ci/run` finds it). The tests' own fallback when `TF_PLUGIN_MIRROR` is unset, never
 * `npm run plan`'s: that one uses a mirror only when it is named.
 */
export function discoverMirror(): string | undefined {
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

/** The tests' Terraform: always offline from a mirror, with an empty CLI configuration. */
export type TestToolchain = TerraformToolchain & { readonly mirror: string };

/**
 * terraform with the mirror `TF_PLUGIN_MIRROR` names, else the one {@link discoverMirror}
 * finds; or why there is none. The CLI configuration is an empty file (isolated).
 */
export function testToolchain(env: NodeJS.ProcessEnv = process.env): TestToolchain | { missing: string } {
  const found = terraformToolchain(env);
  if ('missing' in found) return found;
  const mirror = found.mirror ?? discoverMirror();
  if (!mirror) return { missing: 'no provider mirror (set TF_PLUGIN_MIRROR to the folder holding registry.terraform.io)' };
  return { ...found, mirror, isolated: true };
}

/**
 * Terraform tests need terraform and the provider mirror. Where they are missing the
 * suite skips and says why, except under CI=true, where a missing tool is a failure
 * (docs/architecture.md: CI must really run validate and plan).
 */
export function describeWithTerraform(name: string, body: (tool: () => TestToolchain) => void, options: { sharedProvider?: boolean } = {}): void {
  const found = testToolchain();
  if ('missing' in found) {
    if (process.env.CI === 'true') {
      describe(name, () => {
        test('terraform toolchain is available under CI', () => {
          throw new Error(`CI=true but ${found.missing}`);
        });
      });
    } else {
      console.warn(`skipping "${name}": ${found.missing}`);
      describe.skip(`${name} (skipped: ${found.missing})`, () => body(() => found as never));
    }
    return;
  }
  if (options.sharedProvider === false) {
    // For files whose terraform runs in child processes (they start their own provider).
    describe(name, () => body(() => found));
    return;
  }
  describe(name, () => {
    // One provider process for the file's terraform commands (they run one at a time).
    let provider: SharedAwsProvider | undefined;
    beforeAll(async () => {
      provider = await SharedAwsProvider.start(found.mirror);
      useReattachedProvider(provider.reattach);
    }, 60000);
    afterAll(() => {
      useReattachedProvider(undefined);
      provider?.stop();
    });
    body(() => found);
  });
}

/** Fails with terraform's own words when a run did not succeed. */
export function expectOk(run: { ok: boolean; stdout: string; stderr: string }, what: string): void {
  if (!run.ok) throw new Error(`${what} failed:\n${run.stdout}\n${run.stderr}`);
}

/**
 * Synthesizes the deploy stack, then runs terraform init and plan on it offline. Plan
 * validates: before planning it walks the same validate graph `terraform validate` does
 * (TF_LOG shows "Building and walking validate graph") and fails on what validate would,
 * so a separate validate only costs another load of the provider schema.
 * `validate: true` still runs it first, for a caller that wants validate's own verdict.
 */
export async function planDeployStack(tool: TerraformToolchain, config: DeployConfigInput, options: { hcl?: boolean; validate?: boolean } = {}): Promise<{ plan: PlanJson; dir: string }> {
  const synthesized = await writeDeployStack(config, options.hcl ?? false);
  // Files that synthesize the same stack share one plan per run (run-cache.ts): the folder
  // returned is the one planned, initialized, with this same content.
  const validate = options.validate ?? false;
  return oncePerRun(`deploy stack plan${validate ? ' after validate' : ''} of ${contentHash(synthesized)}`, () => {
    const dir = synthesized;
    writeOfflineProviderOverride(dir);
    expectOk(init(tool, dir), 'terraform init');
    if (validate) expectOk(terraform(tool, dir, ['validate']), 'terraform validate');
    const result = planJson(tool, dir);
    expectOk(result, 'terraform plan');
    return { plan: result.plan!, dir };
  });
}

/**
 * `terraform validate` in an initialized folder, once per run for its content (run-cache.ts):
 * the deploy-stack and HCL-equivalence files validate the same --hcl stack.
 */
export function validateOnce(tool: TerraformToolchain, dir: string): Promise<TerraformRun> {
  return oncePerRun(`terraform validate of ${contentHash(dir)}`, () => terraform(tool, dir, ['validate']));
}

/** The plan has the DynamoDB gateway endpoint, configured on every private route table. */
export function expectEndpointOnEveryPrivateRouteTable(plan: PlanJson, routeTableAddress = 'aws_route_table.system_network_private_route_table'): void {
  // The DynamoDB one: the S3 gateway endpoint sits beside it (on the same route tables).
  const endpoint = plannedOf(plan, 'aws_vpc_endpoint').find((e) => /\.dynamodb$/.test(String(e.after.service_name)))!;
  expect(endpoint.after.vpc_endpoint_type).toBe('Gateway');
  expect(String(endpoint.after.service_name)).toMatch(/^com\.amazonaws\.[a-z0-9-]+\.dynamodb$/);
  const config = configuredResources(plan, 'aws_vpc_endpoint').find((c) => endpoint.address.endsWith(c.address))!;
  expect(config.expressions?.route_table_ids?.references).toContain(routeTableAddress);
}

/** Zones of the offline provider's region (us-east-1) for a module call. */
export const OFFLINE_ZONES = ['us-east-1a', 'us-east-1b'] as const;

/**
 * A module call's arguments as planned offline: without zones the module reads
 * `data "aws_availability_zones"`, which calls EC2, so a call that creates a VPC and gives
 * none gets the two us-east-1 zones the module defaulted to before 0.3 (module-tests/
 * region.tftest.hcl covers the derived zones with a mocked provider).
 */
export function withOfflineZones(args: Record<string, unknown>): Record<string, unknown> {
  if ('availability_zones' in args || 'existing_vpc_id' in args) return args;
  return { availability_zones: [...OFFLINE_ZONES], ...args };
}
