import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describeWithTerraform } from '../support/terraform';

/**
 * `npm run plan` (scripts/plan.ts) runs Terraform as the user has it: their CLI configuration
 * decides where providers come from, and a filesystem mirror is used only when
 * `TF_PLUGIN_MIRROR` names one. Each run is a child process with its own environment, on a
 * one-resource stack so the provider loads once per plan.
 */
const root = resolve(__dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

describeWithTerraform(
  'npm run plan: the user\'s Terraform configuration, a mirror only when TF_PLUGIN_MIRROR names one',
  (tool) => {
    let work = '';
    let stack = '';
    beforeAll(() => {
      work = mkdtempSync(join(tmpdir(), 'vld-plan-script-'));
      stack = join(work, 'stack');
      mkdirSync(stack);
      // The shape cdktf synthesizes: a local backend, the provider, one resource.
      writeFileSync(
        join(stack, 'cdk.tf.json'),
        JSON.stringify({
          terraform: { backend: { local: { path: 'terraform.tfstate' } }, required_providers: { aws: { source: 'hashicorp/aws', version: '5.100.0' } } },
          provider: { aws: [{ region: 'eu-west-1' }] },
          resource: { aws_vpc: { main: { cidr_block: '10.0.0.0/16' } } },
        }),
      );
    });
    afterAll(() => rmSync(work, { recursive: true, force: true }));

    /** `tsx scripts/plan.ts --stack <stack>` with no AWS credentials and the given CLI config and mirror. */
    function plan(cliConfig: string, mirror: string | undefined) {
      const config = join(work, `terraformrc-${Math.random().toString(36).slice(2)}`);
      writeFileSync(config, cliConfig);
      const env: NodeJS.ProcessEnv = { ...process.env, TF_CLI_CONFIG_FILE: config, CHECKPOINT_DISABLE: '1' };
      for (const key of ['TF_PLUGIN_MIRROR', 'TF_PLUGIN_CACHE_DIR', 'AWS_ACCESS_KEY_ID', 'AWS_PROFILE', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'TF_REATTACH_PROVIDERS']) delete env[key];
      if (mirror !== undefined) env.TF_PLUGIN_MIRROR = mirror;
      const run = spawnSync(tsx, [join(root, 'scripts', 'plan.ts'), '--stack', stack], { cwd: work, env, encoding: 'utf8' });
      return { status: run.status, stdout: run.stdout, stderr: run.stderr };
    }

    test('TF_PLUGIN_MIRROR unset: providers come from the CLI configuration (here a filesystem_mirror in it), and the plan succeeds', () => {
      const run = plan(`provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(tool().mirror)}\n  }\n}\n`, undefined);
      expect([run.status, run.stderr]).toEqual([0, '']);
      expect(run.stdout).toContain('(providers from your Terraform configuration): 1 to create');
    });

    test("TF_PLUGIN_MIRROR unset: no mirror is looked for; Terraform's own installation error when the configured source is unreachable", () => {
      // A network mirror nothing listens on: what an offline laptop sees from the registry.
      const run = plan('provider_installation {\n  network_mirror {\n    url = "https://127.0.0.1:9/providers/"\n  }\n}\n', undefined);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('Error: Failed to query available provider packages');
      expect(run.stderr).toContain('127.0.0.1:9');
      expect(run.stderr).not.toMatch(/no provider mirror/);
    });

    test('TF_PLUGIN_MIRROR set: init -plugin-dir from it, offline, whatever the CLI configuration says', () => {
      const run = plan('provider_installation {\n  network_mirror {\n    url = "https://127.0.0.1:9/providers/"\n  }\n}\n', tool().mirror);
      expect([run.status, run.stderr]).toEqual([0, '']);
      expect(run.stdout).toContain(`(providers from the mirror ${tool().mirror}): 1 to create`);
    });

    test('TF_PLUGIN_MIRROR naming a folder without registry.terraform.io: one line naming it, nothing run', () => {
      const run = plan('', join(work, 'no-mirror-here'));
      expect(run.status).toBe(1);
      expect(run.stderr.trim().split('\n')).toEqual([
        `error: TF_PLUGIN_MIRROR: ${join(work, 'no-mirror-here')} holds no registry.terraform.io folder (name the folder that holds it, or unset TF_PLUGIN_MIRROR to install providers as your Terraform configuration says)`,
      ]);
    });
  },
  { sharedProvider: false },
);
