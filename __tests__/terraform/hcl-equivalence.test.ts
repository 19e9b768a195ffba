import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { moduleHclFiles } from '../../modules/stacks/module/published-module';
import { zipFolderSync } from '../../modules/private/reproducible-zip';
import { fmtCheck, init, planJson, PlanJson, terraform, writeOfflineProvider } from '../../scripts/terraform-offline';
import { publishedModule, synthModule, testBundles } from '../support/synth';
import { mirroredSchema } from '../../scripts/provider-schema';
import { PRINTER_SCHEMA_FILE, readSchema } from '../../modules/stacks/hcl/schema';
import { describeWithTerraform, expectOk, planDeployStack, validateOnce, withOfflineZones } from '../support/terraform';

/**
 * The HCL the printer writes is the same configuration as the JSON CDKTF synthesizes: both
 * renderings are planned by real Terraform and their planned resource changes compared.
 * The one normalization: JSON documents (policies) are compared parsed, because the JSON
 * rendering keeps CDKTF's key order and `jsonencode` sorts keys; the documents are equal.
 */

/** Every planned change, by address: actions, planned values and which values are unknown. */
function changes(plan: PlanJson): Record<string, unknown> {
  return Object.fromEntries((plan.resource_changes ?? []).map((c) => [c.address, { actions: c.change.actions, after: documentsParsed(c.change.after), after_unknown: c.change.after_unknown }]));
}

function documentsParsed(v: unknown): unknown {
  if (typeof v === 'string' && /^\s*[{[]/.test(v)) {
    try {
      return { json: JSON.parse(v) as unknown };
    } catch {
      return v;
    }
  }
  if (Array.isArray(v)) return v.map(documentsParsed);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, documentsParsed(x)]));
  return v;
}

/** Two module calls: every default, and every option on (NAT per AZ, database hardened, table access, egress, streams, TTL, KMS, tracing). */
const CALLS = {
  defaults: {},
  everything: {
    name_prefix: 'all-on',
    nat_mode: 'per-az',
    flow_log_retention_days: 90,
    flow_log_kms_key_arn: 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555',
    database_enabled: true,
    database_deletion_protection: false,
    database_multi_az: true,
    database_monitoring_interval: 30,
    database_kms_key_arn: 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555',
    log_kms_key_arn: 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555',
    endpoint_policy: 'system-tables',
    tags: { Team: 'platform' },
    tables: {
      orders: { hash_key: 'id' },
      events: { hash_key: 'pk', range_key: 'sk', range_key_type: 'N', ttl_attribute: 'expires_at', stream_view_type: 'NEW_IMAGE', point_in_time_recovery: true },
    },
    functions: {
      api: { filename: '${path.module}/build/api.zip', handler: 'index.handler', table_access: { orders: ['dynamodb:GetItem', 'dynamodb:Query'] }, environment: { STAGE: 'dev' }, database_access: true, internet_egress: true, tracing_mode: 'Active' },
      audit: { filename: '${path.module}/build/api.zip', handler: 'index.handler', runtime: 'nodejs20.x', architecture: 'x86_64', table_access: { events: ['dynamodb:PutItem'] } },
    },
  },
};

describeWithTerraform('HCL and JSON are the same configuration: identical planned changes (offline)', (tool) => {
  /** A root calling a module folder with CALLS, planned. */
  async function planRoot(moduleDir: string): Promise<PlanJson> {
    const root = mkdtempSync(join(tmpdir(), 'vld-eq-root-'));
    writeOfflineProvider(root);
    mkdirSync(join(root, 'build'));
    writeFileSync(join(root, 'build', 'api.zip'), zipFolderSync(testBundles().products));
    const module = Object.fromEntries(Object.entries(CALLS).map(([name, args]) => [name, { source: moduleDir, ...withOfflineZones(args) }]));
    writeFileSync(join(root, 'main.tf.json'), JSON.stringify({ module }));
    expectOk(init(tool(), root), 'terraform init');
    const run = planJson(tool(), root);
    expectOk(run, 'terraform plan');
    return run.plan!;
  }

  test('the module: JSON (main.tf.json) and the printed .tf files plan the same changes, with defaults and with every option on', async () => {
    const json = synthModule() as Record<string, unknown>;
    const jsonDir = mkdtempSync(join(tmpdir(), 'vld-eq-json-'));
    writeFileSync(join(jsonDir, 'main.tf.json'), JSON.stringify(json));
    const hclDir = mkdtempSync(join(tmpdir(), 'vld-eq-hcl-'));
    for (const [file, text] of Object.entries(await moduleHclFiles(json))) writeFileSync(join(hclDir, file), text);
    const [fromJson, fromHcl] = [await planRoot(jsonDir), await planRoot(hclDir)];
    const a = changes(fromJson);
    expect(Object.keys(a).length).toBeGreaterThan(60);
    expect(Object.keys(a).filter((k) => k.startsWith('module.everything.aws_nat_gateway'))).toHaveLength(2);
    expect(changes(fromHcl)).toEqual(a);
  });

  test('the deploy stack: --hcl plans the same changes as the JSON, and validates without a warning', async () => {
    for (const config of [{}, { natMode: 'per-az' as const }]) {
      const { plan: fromJson } = await planDeployStack(tool(), config, { validate: false });
      const { plan: fromHcl, dir } = await planDeployStack(tool(), config, { hcl: true, validate: false });
      expectOk(fmtCheck(tool(), dir), 'terraform fmt -check (--hcl deploy stack)');
      const validate = await validateOnce(tool(), dir);
      expectOk(validate, 'terraform validate (--hcl deploy stack)');
      expect(validate.stdout + validate.stderr).not.toContain('Warning');
      expect(changes(fromHcl)).toEqual(changes(fromJson));
    }
  });

  test('the published module folder: terraform fmt -check -recursive (examples included) and validate (each example is validated and planned by module-examples.test.ts)', async () => {
    const dir = await publishedModule();
    expectOk(terraform(tool(), dir, ['fmt', '-check', '-recursive', '-diff']), 'terraform fmt -check -recursive (published module)');
    expectOk(init(tool(), dir), 'terraform init (published module)');
    expectOk(terraform(tool(), dir, ['validate']), 'terraform validate (published module)');
  });

  test("the printer's stored schema is what terraform providers schema -json says for the mirrored provider (else: tsx scripts/provider-schema.ts)", () => {
    expect(mirroredSchema(tool())).toEqual(readSchema(PRINTER_SCHEMA_FILE));
  });
});
