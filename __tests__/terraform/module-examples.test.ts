import { join } from 'node:path';
import { allFindings, analyze } from '../../analysis/analyze';
import { graphFromPlan, PlanInput } from '../../analysis/terraform-graph';
import { init, planJson, PlanJson, writeOfflineProviderOverride } from '../../scripts/terraform-offline';
import { configuredResources, createdByType, plannedOf } from '../support/plan';
import { publishedModule } from '../support/synth';
import { describeWithTerraform, expectOk } from '../support/terraform';

/**
 * The published module's examples, planned by real Terraform from their own folders inside
 * the module (`source = "../.."`), exactly as a registry user would run them; an override
 * file adds dummy credentials so nothing calls AWS.
 */
describeWithTerraform('published module examples: init, validate and plan from their own folders (offline)', (tool) => {
  let moduleDir: string;
  const examplePlans = new Map<PlanJson, string>();
  beforeAll(async () => {
    moduleDir = await publishedModule();
  });

  /**
   * `scannerFindings`: the VLD012-VLD022 findings the example asks for (`with-nat`'s internet
   * egress is VLD022, info). `externalSubnets`: the example passes subnet ids of an existing
   * VPC without reading their route tables, so those functions are unverified, and say why.
   */
  function planExample(name: string, functions: string[], scannerFindings: string[] = [], externalSubnets = false): PlanJson {
    const dir = join(moduleDir, 'examples', name);
    writeOfflineProviderOverride(dir, { backend: false });
    expectOk(init(tool(), dir), `terraform init (examples/${name})`);
    // Plan validates first (the validate graph walk of `terraform validate`) and fails on what
    // validate would: no separate validate, which would load the provider schema once more.
    const run = planJson(tool(), dir);
    expectOk(run, `terraform plan (examples/${name})`);
    examplePlans.set(run.plan!, dir);
    // npm run check evaluates the module's .tf files beside the plan: roles and the endpoint
    // policy are verified from configuration (their ARNs are known only at apply).
    const withSource = analyze(graphFromPlan(run.plan as unknown as PlanInput, { sourceDir: dir }));
    const reachable = withSource.reachability.functions.map((f) => [f.address, f.reachable || (externalSubnets && f.reasons.length === 0), f.tables.length > 0]);
    const expected = functions.map((key) => [`module.vpc_lambda_dynamodb.aws_lambda_function.function["${key}"]`, true, true]);
    expect([name, reachable, allFindings(withSource).filter((f) => f.severity === 'error').map((f) => f.id)]).toEqual([name, expected, externalSubnets ? ['VLD109', 'VLD109'] : []]);
    for (const fn of withSource.reachability.functions) {
      expect(fn.tables.every((t) => !t.roleUnknown && !t.endpointUnknown)).toBe(true);
      if (externalSubnets) expect(fn.unverified.every((u) => /the subnet is outside this configuration/.test(u))).toBe(true);
    }
    // The plan alone (no .tf files beside it): nothing unknown counts towards OK.
    const alone = analyze(graphFromPlan(run.plan as unknown as PlanInput));
    expect([name, alone.failed, alone.reachability.functions.some((f) => f.reachable)]).toEqual([name, true, false]);
    // The scanners' rules (VLD012-VLD022): passed, or suppressed by the module's own
    // #checkov:skip comments (read from its .tf files beside the plan), each with its reason.
    const scannerRule = (id: string) => Number(id.slice(3)) >= 12 && Number(id.slice(3)) <= 22;
    expect([name, allFindings(withSource).filter((f) => scannerRule(f.id)).map((f) => `${f.id} ${f.severity} ${f.resource}`)]).toEqual([name, scannerFindings]);
    const suppressed = (withSource.suppressed ?? []).filter((x) => scannerRule(x.finding.id));
    for (const s of suppressed) expect([s.inSource, s.source]).toEqual([true, expect.stringMatching(/\.tf:\d+$/)]);
    // The log groups' key is `var.log_kms_key_arn`, null in every example: found (the plan knows
    // it is null), then suppressed by the module's skip; not taken for "a variable sets it".
    expect(suppressed.filter((s) => s.finding.id === 'VLD020').length).toBeGreaterThan(0);
    return run.plan!;
  }

  /** The planned environment of a function, by key (unknown at plan when a value is: a created database's host). */
  const environmentOf = (plan: PlanJson, key: string) =>
    (plannedOf(plan, 'aws_lambda_function').find((f) => f.address.endsWith(`.function["${key}"]`))!.after.environment as Array<{ variables?: Record<string, string> }>)[0].variables;

  test('seed-system: the demo system through the maps: 2 functions, 2 tables, 1 database, a group each, 5432 for user-activity only', () => {
    const plan = planExample('seed-system', ['products', 'user-activity']);
    const created = createdByType(plan);
    expect(created).toMatchObject({
      aws_lambda_function: 2,
      aws_dynamodb_table: 2,
      aws_db_instance: 1,
      aws_security_group: 3, // one per function, one for the database
      aws_vpc_security_group_egress_rule: 3, // 443 to the prefix list per function, 5432 from user-activity
      aws_vpc_security_group_ingress_rule: 1, // the database admits user-activity
    });
    // least-privilege per function, connect-database for user-activity, the flow-log role's
    const policies = plannedOf(plan, 'aws_iam_role_policy').map((p) => p.address.replace('module.vpc_lambda_dynamodb.', ''));
    expect(policies.sort()).toEqual(['aws_iam_role_policy.function_database_policy["user-activity"]', 'aws_iam_role_policy.function_policy["products"]', 'aws_iam_role_policy.function_policy["user-activity"]', 'aws_iam_role_policy.flow_logs[0]'].sort());
    expect(plannedOf(plan, 'aws_dynamodb_table').map((t) => [t.after.name, t.after.hash_key, t.after.range_key ?? null])).toEqual([
      ['seed-products', 'id', null],
      ['seed-user-activity', 'userId', 'timestamp'],
    ]);
    expect(environmentOf(plan, 'products')).toEqual({ PRODUCTS_TABLE: 'seed-products', NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem' });
    // user-activity's environment holds the database host, known only after apply.
    expect(environmentOf(plan, 'user-activity')).toBeUndefined();
    const egress = plannedOf(plan, 'aws_vpc_security_group_egress_rule').map((r) => [r.address.replace('module.vpc_lambda_dynamodb.', ''), r.after.from_port]);
    expect(egress).toEqual([
      ['aws_vpc_security_group_egress_rule.function_dynamodb_https["products"]', 443],
      ['aws_vpc_security_group_egress_rule.function_dynamodb_https["user-activity"]', 443],
      ['aws_vpc_security_group_egress_rule.function_postgres["user-activity"]', 5432],
    ]);
    // The endpoint policy: GetItem and PutItem on both tables and their indexes (ARNs are known at apply).
    const [endpoint] = configuredResources(plan, 'aws_vpc_endpoint');
    expect(endpoint.expressions?.policy?.references).toEqual(expect.arrayContaining(['var.endpoint_policy', 'var.functions', 'local.function_table_access']));
    const records = plannedOf(plan, 'terraform_data').map((d) => d.after.input);
    expect(records).toEqual([
      { function_name: 'seed-products', table_environment: { PRODUCTS_TABLE: 'seed-products' }, database_access: false },
      { function_name: 'seed-user-activity', table_environment: { USER_ACTIVITY_TABLE: 'seed-user-activity' }, database_access: true },
    ]);
    const report = analyze(graphFromPlan(plan as unknown as PlanInput, { sourceDir: examplePlans.get(plan) }));
    expect(report.reachability.functions.map((f) => [f.name, f.tables.map((t) => t.table), f.database ? [f.database.egress, f.database.ingress] : null])).toEqual([
      ['seed-products', ['module.vpc_lambda_dynamodb.aws_dynamodb_table.table["products"]'], null],
      ['seed-user-activity', ['module.vpc_lambda_dynamodb.aws_dynamodb_table.table["user-activity"]'], [true, true]],
    ]);
  });

  test('complete: new VPC, NAT, database, three tables (indexes, a stream; provisioned with autoscaling), three functions (an index grant, bucket access, a stream consumer on Python with a layer and a statement), S3 and Secrets Manager endpoints', () => {
    const plan = planExample('complete', ['api', 'audit', 'projector'], ['VLD022 info module.vpc_lambda_dynamodb.aws_vpc_security_group_egress_rule.function_internet_https["api"]']);
    const created = createdByType(plan);
    // Subnets: two private, one public for the single NAT gateway.
    expect(created).toMatchObject({ aws_vpc: 1, aws_subnet: 3, aws_vpc_endpoint: 3, aws_lambda_function: 3, aws_dynamodb_table: 3, aws_iam_role: 4, aws_nat_gateway: 1, aws_db_instance: 1, aws_flow_log: 1, aws_appautoscaling_target: 2, aws_appautoscaling_policy: 2 });
    // Endpoints: the DynamoDB and S3 gateways, and the Secrets Manager interface endpoint.
    const bucketPolicy = plannedOf(plan, 'aws_iam_role_policy').find((p) => p.address.endsWith('function_bucket_policy["audit"]'))!;
    expect(JSON.parse(String(bucketPolicy.after.policy)).Statement).toEqual([{ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: ['arn:aws:s3:::orders-dev-audit-archive/*'] }]);
    const s3 = plannedOf(plan, 'aws_vpc_endpoint').find((e) => String(e.after.service_name).endsWith('.s3'))!;
    expect(JSON.parse(String(s3.after.policy)).Statement).toEqual([
      { Sid: 'SystemBucketsOnly', Effect: 'Allow', Principal: '*', Action: ['s3:GetObject', 's3:PutObject'], Resource: ['arn:aws:s3:::orders-dev-audit-archive', 'arn:aws:s3:::orders-dev-audit-archive/*'] },
    ]);
    const secrets = plannedOf(plan, 'aws_vpc_endpoint').find((e) => String(e.after.service_name).endsWith('.secretsmanager'))!;
    expect([secrets.after.vpc_endpoint_type, secrets.after.private_dns_enabled]).toEqual(['Interface', true]);
    expect(environmentOf(plan, 'api')).toEqual({ STAGE: 'dev', ORDERS_TABLE: 'orders-dev-orders', COUNTERS_TABLE: 'orders-dev-counters', NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem' });
    // The projector: a Python zip with its layer, reading the events stream, with its own statement.
    const projector = plannedOf(plan, 'aws_lambda_function').find((f) => f.address.endsWith('["projector"]'))!.after;
    expect([projector.runtime, projector.handler, (projector.layers as string[]).length, projector.s3_key]).toEqual(['python3.13', 'projector.handler', 1, 'projector/2026-12-01.zip']);
    const mapping = plannedOf(plan, 'aws_lambda_event_source_mapping');
    expect(mapping.map((m) => [m.address.replace('module.vpc_lambda_dynamodb.', ''), m.after.starting_position, m.after.bisect_batch_on_function_error])).toEqual([
      ['aws_lambda_event_source_mapping.function_stream["projector"]', 'LATEST', true],
    ]);
    const declared = plannedOf(plan, 'aws_iam_role_policy').find((p) => p.address.endsWith('function_declared_policy["projector"]'))!;
    expect(JSON.parse(String(declared.after.policy)).Statement).toEqual([
      { Sid: 'ReadWebhookKey', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: ['arn:aws:secretsmanager:us-east-1:123456789012:secret:orders-dev/webhook-AbCdEf'] },
    ]);
    // events: a global and a local index; counters: PROVISIONED, its capacity Auto Scaling's.
    const tables = Object.fromEntries(plannedOf(plan, 'aws_dynamodb_table').map((t) => [t.address.replace('module.vpc_lambda_dynamodb.', ''), t.after]));
    expect(Object.keys(tables).sort()).toEqual(['aws_dynamodb_table.autoscaled["counters"]', 'aws_dynamodb_table.table["events"]', 'aws_dynamodb_table.table["orders"]']);
    const events = tables['aws_dynamodb_table.table["events"]'] as Record<string, Array<Record<string, unknown>>>;
    expect([events.global_secondary_index.map((i) => i.name), events.local_secondary_index.map((i) => i.name)]).toEqual([['by-type'], ['by-created']]);
    expect(tables['aws_dynamodb_table.autoscaled["counters"]']).toMatchObject({ billing_mode: 'PROVISIONED', read_capacity: 5, write_capacity: 5, tags: { DataClass: 'internal', Name: 'orders-dev-counters' } });
    expect(plannedOf(plan, 'aws_appautoscaling_target').map((t) => [t.after.resource_id, t.after.scalable_dimension, t.after.min_capacity, t.after.max_capacity])).toEqual([
      ['table/orders-dev-counters', 'dynamodb:table:ReadCapacityUnits', 5, 100],
      ['table/orders-dev-counters', 'dynamodb:table:WriteCapacityUnits', 5, 50],
    ]);
    // check reads the index grant as a grant on that index: allowed by the role and the endpoint.
    const report = analyze(graphFromPlan(plan as unknown as PlanInput, { sourceDir: examplePlans.get(plan) }));
    const audit = report.reachability.functions.find((f) => f.name === 'orders-dev-audit')!;
    expect(audit.tables.map((t) => [t.table, t.actions, t.roleMissing, t.endpointDenied, t.roleUnknown || t.endpointUnknown])).toEqual([
      ['module.vpc_lambda_dynamodb.aws_dynamodb_table.table["events"]', ['dynamodb:PutItem'], [], [], false],
      ['module.vpc_lambda_dynamodb.aws_dynamodb_table.table["events"]/index/by-type', ['dynamodb:Query'], [], [], false],
    ]);
    const api = plannedOf(plan, 'aws_lambda_function').find((f) => f.address.endsWith('["api"]'))!.after;
    expect([api.memory_size, api.reserved_concurrent_executions, api.runtime, api.architectures, api.handler]).toEqual([512, 10, 'nodejs22.x', ['arm64'], 'index.handler']);
  });

  test('existing-vpc: no VPC, subnet, route table or database created; endpoint on the given route tables, existing database wired, table by ARN', () => {
    const plan = planExample('existing-vpc', ['ledger'], [], true);
    const created = createdByType(plan);
    for (const type of ['aws_vpc', 'aws_subnet', 'aws_route_table', 'aws_db_instance', 'aws_dynamodb_table']) expect([type, created[type]]).toEqual([type, undefined]);
    const [endpoint] = plannedOf(plan, 'aws_vpc_endpoint');
    expect(endpoint.after.service_name).toBe('com.amazonaws.eu-west-1.dynamodb');
    expect(endpoint.after.route_table_ids).toEqual(['rtb-0a1b2c3d4e5f60718', 'rtb-0a1b2c3d4e5f60719']);
    // Every ARN is known here, so the endpoint policy is too: exactly the granted actions on that table.
    const arn = 'arn:aws:dynamodb:eu-west-1:123456789012:table/payments-ledger';
    expect(JSON.parse(String(endpoint.after.policy))).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: 'SystemTablesOnly', Effect: 'Allow', Principal: '*', Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: [arn, `${arn}/index/*`] }],
    });
    expect(environmentOf(plan, 'ledger')).toEqual({
      PAYMENTS_LEDGER_TABLE: 'payments-ledger',
      NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem',
      DB_HOST: 'payments.c1a2b3c4d5e6.eu-west-1.rds.amazonaws.com',
      DB_PORT: '5432',
      DB_NAME: 'payments',
      DB_USER: 'app_lambda',
      DB_AUTH: 'iam',
    });
    // The existing database admits ledger on 5432 through a rule added to its group.
    const ingress = plannedOf(plan, 'aws_vpc_security_group_ingress_rule');
    expect(ingress.map((r) => [r.after.security_group_id, r.after.from_port])).toEqual([['sg-0a1b2c3d4e5f60718', 5432]]);
    const [connect] = plannedOf(plan, 'aws_iam_role_policy').filter((p) => p.address.includes('function_database_policy'));
    expect(JSON.parse(String(connect.after.policy)).Statement[0].Resource).toEqual(['arn:aws:rds-db:eu-west-1:123456789012:dbuser:db-ABCDEFGHIJKLMNOPQRSTUVWXY2/app_lambda']);
  });

  test('with-nat: one NAT gateway, its EIP and internet gateway, a default route per private table, internet egress for sync only', () => {
    const plan = planExample('with-nat', ['sync'], ['VLD022 info module.vpc_lambda_dynamodb.aws_vpc_security_group_egress_rule.function_internet_https["sync"]']);
    const created = createdByType(plan);
    expect([created.aws_nat_gateway, created.aws_eip, created.aws_internet_gateway]).toEqual([1, 1, 1]);
    const natRoutes = plannedOf(plan, 'aws_route').filter((r) => r.address.includes('aws_route.private_nat['));
    expect(natRoutes.map((r) => r.after.destination_cidr_block)).toEqual(['0.0.0.0/0', '0.0.0.0/0']);
    const internetEgress = plannedOf(plan, 'aws_vpc_security_group_egress_rule').filter((r) => r.after.cidr_ipv4 === '0.0.0.0/0');
    expect(internetEgress.map((r) => r.address)).toEqual(['module.vpc_lambda_dynamodb.aws_vpc_security_group_egress_rule.function_internet_https["sync"]']);
  });
});
