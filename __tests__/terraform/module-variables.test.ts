import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init, planJson, terraform, writeOfflineProvider } from '../../scripts/terraform-offline';
import { createdByType, plannedOf } from '../support/plan';
import { publishedModule } from '../support/synth';
import { describeWithTerraform, expectEndpointOnEveryPrivateRouteTable, expectOk } from '../support/terraform';

const vpcId = 'vpc-0123456789abcdef0';
const subnets = ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'];
const routeTables = ['rtb-0123456789abcdef0'];
const tableArn = (name: string) => `arn:aws:dynamodb:us-east-1:123456789012:table/${name}`;
const database = {
  security_group_id: 'sg-0123456789abcdef0',
  host: 'orders.abc123.us-east-1.rds.amazonaws.com',
  database_name: 'app',
  resource_id: 'db-ABCDEFGHIJKLMNOP',
  instance_arn: 'arn:aws:rds:us-east-1:123456789012:db:orders',
};

/**
 * One module call per rejected value: [call name, its arguments, the message it must get,
 * when Terraform catches it]. `terraform validate` checks a variable on its own; a
 * validation that refers to another variable runs at `plan`, once all values are known.
 */
const badValues: Array<[string, Record<string, unknown>, string, 'validate' | 'plan']> = [
  ['name_prefix_capitals', { name_prefix: 'My_App' }, 'name_prefix must be 2 to 32 lowercase letters', 'validate'],
  ['region_not_a_region', { region: 'useast1' }, 'region must be an AWS region name like us-east-1.', 'validate'],
  ['one_availability_zone', { availability_zones: ['us-east-1a'] }, 'availability_zones needs 2 to 6 zones.', 'validate'],
  ['availability_zone_twice', { availability_zones: ['us-east-1a', 'us-east-1a'] }, 'availability_zones lists a zone twice.', 'validate'],
  ['availability_zone_outside_region', { availability_zones: ['us-east-1a', 'us-west-2a'] }, 'availability_zones must all be in region', 'plan'],
  ['vpc_cidr_not_a_cidr', { vpc_cidr: 'banana' }, 'vpc_cidr must be an IPv4 network address with prefix /16 to /24', 'validate'],
  ['vpc_cidr_host_bits', { vpc_cidr: '10.0.1.0/16' }, 'vpc_cidr must be an IPv4 network address with prefix /16 to /24', 'validate'],
  ['vpc_cidr_too_big', { vpc_cidr: '10.0.0.0/8' }, 'vpc_cidr must be an IPv4 network address with prefix /16 to /24', 'validate'],
  ['private_subnets_count', { private_subnet_cidrs: ['10.0.0.0/20'] }, 'private_subnet_cidrs must have one block per availability zone.', 'plan'],
  ['private_subnet_not_a_cidr', { private_subnet_cidrs: ['10.0.0.0/20', 'nope'] }, 'private_subnet_cidrs must hold IPv4 network addresses', 'validate'],
  ['private_subnet_outside_vpc', { private_subnet_cidrs: ['10.0.0.0/20', '10.1.0.0/20'] }, 'private_subnet_cidrs must lie inside vpc_cidr.', 'plan'],
  ['private_subnets_overlap', { private_subnet_cidrs: ['10.0.0.0/20', '10.0.8.0/21'] }, 'private_subnet_cidrs must not overlap each other.', 'validate'],
  ['public_overlaps_derived_private', { public_subnet_cidrs: ['10.0.0.0/24', '10.0.200.0/24'] }, 'public_subnet_cidrs and private_subnet_cidrs (given, or derived when null) must not overlap.', 'plan'],
  ['existing_vpc_id_malformed', { existing_vpc_id: 'vpc-xyz', existing_private_subnet_ids: subnets, existing_private_route_table_ids: routeTables, account_id: '123456789012' }, 'existing_vpc_id must be a VPC id', 'validate'],
  ['existing_vpc_without_route_tables', { existing_vpc_id: vpcId, existing_private_subnet_ids: subnets, account_id: '123456789012' }, 'existing_private_route_table_ids must list the private route tables when existing_vpc_id is set', 'plan'],
  ['existing_vpc_one_subnet', { existing_vpc_id: vpcId, existing_private_subnet_ids: [subnets[0]], existing_private_route_table_ids: routeTables, account_id: '123456789012' }, 'existing_private_subnet_ids needs at least 2 subnets when existing_vpc_id is set.', 'plan'],
  ['existing_subnet_malformed', { existing_vpc_id: vpcId, existing_private_subnet_ids: ['subnet-1', 'subnet-2'], existing_private_route_table_ids: routeTables, account_id: '123456789012' }, 'existing_private_subnet_ids must hold subnet ids', 'validate'],
  ['existing_route_table_malformed', { existing_vpc_id: vpcId, existing_private_subnet_ids: subnets, existing_private_route_table_ids: ['rtb-1'], account_id: '123456789012' }, 'existing_private_route_table_ids must hold route table ids', 'validate'],
  ['nat_mode_unknown', { nat_mode: 'gateway' }, 'nat_mode must be one of none, single, per-az.', 'validate'],
  ['nat_on_existing_vpc', { nat_mode: 'single', existing_vpc_id: vpcId, existing_private_subnet_ids: subnets, existing_private_route_table_ids: routeTables, account_id: '123456789012' }, 'nat_mode must be none when existing_vpc_id is set', 'plan'],
  ['retention_not_accepted', { flow_log_retention_days: 45 }, 'flow_log_retention_days must be one of 1, 3, 5, 7, 14, 30', 'validate'],
  ['retention_never_expire', { flow_log_retention_days: 0 }, 'flow_log_retention_days must be one of 1, 3, 5, 7, 14, 30', 'validate'],
  ['kms_key_not_an_arn', { flow_log_kms_key_arn: 'alias/flow-logs' }, 'flow_log_kms_key_arn must be a KMS key ARN', 'validate'],
  ['account_id_malformed', { account_id: '1234' }, 'account_id must be a 12-digit AWS account id.', 'validate'],
  ['existing_vpc_flow_logs_without_account', { existing_vpc_id: vpcId, existing_private_subnet_ids: subnets, existing_private_route_table_ids: routeTables }, 'account_id is required when existing_vpc_id is set and flow_logs_enabled is true', 'plan'],
  ['memory_below_lambda_minimum', { function_memory_size: 64 }, 'function_memory_size must be a whole number of MB from 128 to 10240.', 'validate'],
  ['memory_fractional', { function_memory_size: 256.5 }, 'function_memory_size must be a whole number of MB from 128 to 10240.', 'validate'],
  ['timeout_over_900', { function_timeout: 901 }, 'function_timeout must be a whole number of seconds from 1 to 900.', 'validate'],
  ['architecture_unknown', { function_architecture: 'arm' }, 'function_architecture must be one of arm64, x86_64.', 'validate'],
  ['reserved_concurrency_negative', { function_reserved_concurrency: -1 }, 'function_reserved_concurrency must be null or a whole number from 0.', 'validate'],
  ['function_retention_not_accepted', { function_log_retention_days: 45 }, 'function_log_retention_days must be one of 1, 3, 5, 7, 14, 30', 'validate'],
  ['internet_egress_without_nat', { function_allow_internet_egress: true }, 'function_allow_internet_egress needs nat_mode single or per-az', 'plan'],
  ['no_tables_at_all', { create_tables: false }, "existing_tables must give both tables' name and ARN when create_tables is false.", 'plan'],
  ['existing_table_arn_malformed', { create_tables: false, existing_tables: { products: { name: 'p', arn: 'products' }, user_activity: { name: 'u', arn: tableArn('u') } } }, 'existing_tables ARNs must be DynamoDB table ARNs', 'validate'],
  ['endpoint_policy_unknown', { endpoint_policy: 'closed' }, 'endpoint_policy must be one of system-tables, open.', 'validate'],
  ['existing_database_sg_malformed', { existing_database: { ...database, security_group_id: 'db-sg' } }, 'existing_database.security_group_id must be a security group id', 'validate'],
  ['existing_database_without_iam_ids', { existing_database: { ...database, resource_id: 'mydb' } }, 'existing_database needs resource_id (db-...) and instance_arn', 'validate'],
  ['existing_database_but_disabled', { existing_database: database, database_enabled: false }, 'existing_database is set but database_enabled is false', 'plan'],
  ['instance_class_malformed', { database_instance_class: 't4g.micro' }, 'database_instance_class must be an RDS instance class like db.t4g.micro.', 'validate'],
];

describeWithTerraform('the module envelope: choices switch at plan, validations reject bad values', (tool) => {
  let moduleDir: string;
  beforeAll(async () => {
    moduleDir = await publishedModule();
  });

  test('variables switch resources at plan time: one module source, called six times and with for_each, no synth', () => {
    const root = mkdtempSync(join(tmpdir(), 'vld-root-'));
    writeOfflineProvider(root);
    const adopted = { existing_vpc_id: vpcId, existing_private_subnet_ids: subnets, existing_private_route_table_ids: routeTables, account_id: '123456789012' };
    writeFileSync(
      join(root, 'main.tf.json'),
      JSON.stringify({
        module: {
          nat_none: { source: moduleDir, name_prefix: 'nat-none', nat_mode: 'none' },
          nat_single: { source: moduleDir, name_prefix: 'nat-single', nat_mode: 'single' },
          nat_per_az: { source: moduleDir, name_prefix: 'nat-per-az', nat_mode: 'per-az' },
          adopted: { source: moduleDir, name_prefix: 'adopted', ...adopted },
          existing_data: {
            source: moduleDir,
            name_prefix: 'existing-data',
            create_tables: false,
            existing_tables: { products: { name: 'products', arn: tableArn('products') }, user_activity: { name: 'user-activity', arn: tableArn('user-activity') } },
            existing_database: database,
            endpoint_policy: 'open',
          },
          // No provider block inside is what makes for_each (and count) legal on the module.
          per_env: { source: moduleDir, for_each: '${toset(["dev", "prod"])}', name_prefix: 'env-${each.key}', database_enabled: false },
        },
      }),
    );
    expectOk(init(tool(), root), 'terraform init');
    expectOk(terraform(tool(), root, ['validate']), 'terraform validate');
    const run = planJson(tool(), root);
    expectOk(run, 'terraform plan');
    const plan = run.plan!;
    const createdIn = (call: string) => createdByType({ ...plan, resource_changes: (plan.resource_changes ?? []).filter((c) => c.module_address === `module.${call}`) });

    const expected = { nat_none: 0, nat_single: 1, nat_per_az: 2 } as const;
    for (const [call, gateways] of Object.entries(expected)) {
      const created = createdIn(call);
      expect([call, created.aws_nat_gateway ?? 0, created.aws_eip ?? 0]).toEqual([call, gateways, gateways]);
      expect([call, created.aws_internet_gateway ?? 0]).toEqual([call, gateways > 0 ? 1 : 0]);
      const defaultRoutes = plannedOf(plan, 'aws_route').filter((r) => r.address.startsWith(`module.${call}.`) && r.address.includes('private_nat_route'));
      expect([call, defaultRoutes.length]).toEqual([call, gateways > 0 ? 2 : 0]);
      expect([call, created.aws_vpc_endpoint]).toEqual([call, 1]);
    }
    expectEndpointOnEveryPrivateRouteTable(plan);

    const adoptedCreated = createdIn('adopted');
    expect(adoptedCreated.aws_vpc).toBeUndefined();
    expect(adoptedCreated.aws_subnet).toBeUndefined();
    expect(adoptedCreated.aws_route_table).toBeUndefined();
    const endpoint = plannedOf(plan, 'aws_vpc_endpoint').find((e) => e.address.startsWith('module.adopted.'))!;
    expect(endpoint.after.vpc_id).toBe(vpcId);
    expect(endpoint.after.route_table_ids).toEqual(routeTables);

    // Existing tables and database: none created, the functions told their names and host,
    // 5432 opened into the given security group.
    const existingData = createdIn('existing_data');
    expect([existingData.aws_dynamodb_table, existingData.aws_db_instance, existingData.aws_lambda_function]).toEqual([undefined, undefined, 2]);
    const envOf = (name: string) => (plannedOf(plan, 'aws_lambda_function').find((f) => f.address === `module.existing_data.aws_lambda_function.${name}`)!.after.environment as Array<{ variables: Record<string, string> }>)[0].variables;
    expect(envOf('system_products_function').PRODUCTS_TABLE).toBe('products');
    expect(envOf('system_user_activity_function')).toMatchObject({ USER_ACTIVITY_TABLE: 'user-activity', DB_HOST: database.host, DB_AUTH: 'iam' });
    const ingress = plannedOf(plan, 'aws_vpc_security_group_ingress_rule').filter((r) => r.address.startsWith('module.existing_data.'));
    expect(ingress.map((r) => [r.after.security_group_id, r.after.from_port])).toEqual([[database.security_group_id, 5432]]);

    // for_each: one full system per key.
    for (const key of ['dev', 'prod']) {
      const created = createdIn(`per_env["${key}"]`);
      expect([key, created.aws_vpc, created.aws_lambda_function, created.aws_db_instance]).toEqual([key, 1, 2, undefined]);
    }
  });

  type Diagnostic = { severity: string; detail?: string; summary: string; snippet?: { context?: string } };

  /** Error details per module call, from `validate -json` (one document) or `plan -json` (a stream of lines). */
  function errorsByCall(diagnostics: Diagnostic[]): Map<string, string[]> {
    const byCall = new Map<string, string[]>();
    for (const d of diagnostics.filter((x) => x.severity === 'error')) {
      // The call is named by the snippet, or, for a defaulted variable, by the module's install path.
      const call =
        /^module[. ]"?([a-z0-9_]+)"?$/.exec(d.snippet?.context ?? '')?.[1] ??
        /\.terraform\/modules\/([a-z0-9_]+)\//.exec(d.detail ?? '')?.[1] ??
        '(outside any module call)';
      byCall.set(call, [...(byCall.get(call) ?? []), d.detail ?? d.summary]);
    }
    return byCall;
  }

  function rootCalling(cases: typeof badValues): string {
    const root = mkdtempSync(join(tmpdir(), 'vld-bad-'));
    writeOfflineProvider(root);
    const modules: Record<string, Record<string, unknown>> = { defaults: { source: moduleDir } };
    for (const [name, args] of cases) modules[name] = { source: moduleDir, ...args };
    writeFileSync(join(root, 'main.tf.json'), JSON.stringify({ module: modules }));
    expectOk(init(tool(), root), 'terraform init');
    return root;
  }

  function expectEachRejected(cases: typeof badValues, errors: Map<string, string[]>): void {
    expect(errors.get('defaults')).toBeUndefined();
    for (const [name, , message] of cases) {
      expect([name, (errors.get(name) ?? []).some((e) => e.includes(message))]).toEqual([name, true]);
    }
    // Nothing else failed: every error belongs to one of the bad calls.
    expect([...errors.keys()].sort()).toEqual(cases.map(([name]) => name).sort());
  }

  test('validate: each single-variable validation rejects its bad value with its message, defaults pass', () => {
    const cases = badValues.filter((c) => c[3] === 'validate');
    const run = terraform(tool(), rootCalling(cases), ['validate', '-json']);
    expect(run.ok).toBe(false);
    expectEachRejected(cases, errorsByCall((JSON.parse(run.stdout) as { diagnostics: Diagnostic[] }).diagnostics));
  });

  test('plan: each cross-variable validation rejects its bad value with its message, defaults pass', () => {
    const cases = badValues.filter((c) => c[3] === 'plan');
    const root = rootCalling(cases);
    expectOk(terraform(tool(), root, ['validate']), 'terraform validate (cross-variable checks wait for plan)');
    const run = terraform(tool(), root, ['plan', '-json', '-input=false', '-lock=false']);
    expect(run.ok).toBe(false);
    const diagnostics = run.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { type: string; diagnostic?: Diagnostic })
      .filter((m) => m.type === 'diagnostic')
      .map((m) => m.diagnostic!);
    expectEachRejected(cases, errorsByCall(diagnostics));
  });
});
