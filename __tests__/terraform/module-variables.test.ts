import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init, planJson, terraform, writeOfflineProvider } from '../../scripts/terraform-offline';
import { configuredResources, createdByType, plannedOf } from '../support/plan';
import { publishedModule } from '../support/synth';
import { PLAN_REJECTIONS, routeTables, subnets, vpcId } from '../support/rejected-inputs';
import { describeWithTerraform, expectEndpointOnEveryPrivateRouteTable, expectOk, withOfflineZones } from '../support/terraform';



const badValues = PLAN_REJECTIONS;

describeWithTerraform('the module envelope: choices switch at plan, validations reject bad values', (tool) => {
  let moduleDir: string;
  beforeAll(async () => {
    moduleDir = await publishedModule();
  });

  /** A root calling the module (each call an entry of `calls`), with an offline provider; `zips` are written beside it. */
  function rootWith(calls: Record<string, Record<string, unknown>>, extra: Record<string, unknown> = {}, source = moduleDir): string {
    const root = mkdtempSync(join(tmpdir(), 'vld-root-'));
    writeOfflineProvider(root);
    mkdirSync(join(root, 'build'));
    for (const zip of ['api.zip', 'audit.zip']) copyFileSync(join(moduleDir, 'assets', 'products.zip'), join(root, 'build', zip));
    const module = Object.fromEntries(Object.entries(calls).map(([name, args]) => [name, { source, ...withOfflineZones(args) }]));
    writeFileSync(join(root, 'main.tf.json'), JSON.stringify({ module, ...extra }));
    expectOk(init(tool(), root), 'terraform init');
    return root;
  }

  test('the default call plans the private network, endpoint and flow logs, and nothing else; variables switch NAT and adoption at plan', () => {
    const adopted = { existing_vpc_id: vpcId, existing_private_subnet_ids: subnets, existing_private_route_table_ids: routeTables, account_id: '123456789012' };
    const root = rootWith({
      defaults: {},
      nat_single: { name_prefix: 'nat-single', nat_mode: 'single' },
      nat_per_az: { name_prefix: 'nat-per-az', nat_mode: 'per-az' },
      adopted: { name_prefix: 'adopted', ...adopted },
      // No provider block inside is what makes for_each (and count) legal on the module.
      per_env: { for_each: '${toset(["dev", "prod"])}', name_prefix: 'env-${each.key}' },
    });
    // Plan validates first (the validate graph walk of `terraform validate`): no separate validate.
    const run = planJson(tool(), root);
    expectOk(run, 'terraform plan');
    const plan = run.plan!;
    const createdIn = (call: string) => createdByType({ ...plan, resource_changes: (plan.resource_changes ?? []).filter((c) => c.module_address === `module.${call}`) });

    expect(createdIn('defaults')).toEqual({
      aws_vpc: 1,
      aws_default_security_group: 1,
      aws_subnet: 2,
      aws_route_table: 2,
      aws_route_table_association: 2,
      aws_vpc_endpoint: 2, // DynamoDB and S3, both gateways
      aws_flow_log: 1,
      aws_cloudwatch_log_group: 1,
      aws_iam_role: 1, // the flow logs' role: no function role
      aws_iam_role_policy: 1,
    });
    const [endpoint, s3] = plannedOf(plan, 'aws_vpc_endpoint').filter((e) => e.address.startsWith('module.defaults.'));
    // system-tables with no table access declared: nothing passes the endpoint.
    expect(JSON.parse(String(endpoint.after.policy))).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: 'NoTableAccessDeclared', Effect: 'Deny', Principal: '*', Action: ['dynamodb:*'], Resource: ['*'] }],
    });
    // Nor the S3 one with no bucket access declared.
    expect([s3.address, JSON.parse(String(s3.after.policy)).Statement]).toEqual([
      'module.defaults.aws_vpc_endpoint.s3[0]',
      [{ Sid: 'NoBucketAccessDeclared', Effect: 'Deny', Principal: '*', Action: ['s3:*'], Resource: ['*'] }],
    ]);

    const expected = { defaults: 0, nat_single: 1, nat_per_az: 2 } as const;
    for (const [call, gateways] of Object.entries(expected)) {
      const created = createdIn(call);
      expect([call, created.aws_nat_gateway ?? 0, created.aws_eip ?? 0]).toEqual([call, gateways, gateways]);
      expect([call, created.aws_internet_gateway ?? 0]).toEqual([call, gateways > 0 ? 1 : 0]);
      const defaultRoutes = plannedOf(plan, 'aws_route').filter((r) => r.address.startsWith(`module.${call}.`) && r.address.includes('aws_route.private_nat['));
      expect([call, defaultRoutes.length]).toEqual([call, gateways > 0 ? 2 : 0]);
      // The DynamoDB and the S3 gateway endpoints (s3_gateway_endpoint: on for a created VPC).
      expect([call, created.aws_vpc_endpoint]).toEqual([call, 2]);
    }
    expectEndpointOnEveryPrivateRouteTable(plan, 'aws_route_table.private');

    const adoptedCreated = createdIn('adopted');
    for (const type of ['aws_vpc', 'aws_subnet', 'aws_route_table']) expect([type, adoptedCreated[type]]).toEqual([type, undefined]);
    const adoptedEndpoint = plannedOf(plan, 'aws_vpc_endpoint').find((e) => e.address.startsWith('module.adopted.'))!;
    expect(adoptedEndpoint.after.vpc_id).toBe(vpcId);
    expect(adoptedEndpoint.after.route_table_ids).toEqual(routeTables);

    // for_each: one network per key, nothing else.
    for (const key of ['dev', 'prod']) {
      const created = createdIn(`per_env["${key}"]`);
      expect([key, created.aws_vpc, created.aws_lambda_function, created.aws_dynamodb_table, created.aws_db_instance]).toEqual([key, 1, undefined, undefined, undefined]);
    }
  });

  test('two tables and two functions of the caller: each role allows exactly its table_access, each group only 443 to the prefix list, the endpoint the union', () => {
    // Table and log group ARNs are computed at apply, so the plan shows neither the role
    // policies nor the endpoint policy. A copy of the module swaps those two ARNs for their
    // documented shape (arn:aws:dynamodb:<region>:<account>:table/<name>, ...:log-group:<name>)
    // so the plan computes every document; nothing else in the copy differs.
    const copy = join(mkdtempSync(join(tmpdir(), 'vld-module-copy-')), 'module');
    cpSync(moduleDir, copy, { recursive: true });
    const tableArn = 'local.tables_by_key[split("/index/", t)[0]].arn';
    const logArn = 'aws_cloudwatch_log_group.function_log_group[each.key].arn';
    const files = readdirSync(copy).filter((f) => f.endsWith('.tf'));
    const all = files.map((f) => readFileSync(join(copy, f), 'utf8')).join('\n');
    expect([all.includes(tableArn), all.includes(logArn)]).toEqual([true, true]);
    for (const file of files) {
      const text = readFileSync(join(copy, file), 'utf8');
      writeFileSync(
        join(copy, file),
        text
          .split(tableArn)
          .join('format("arn:aws:dynamodb:us-east-1:123456789012:table/%s", local.tables_by_key[split("/index/", t)[0]].name)')
          .split(logArn)
          .join('format("arn:aws:logs:us-east-1:123456789012:log-group:%s", aws_cloudwatch_log_group.function_log_group[each.key].name)'),
      );
    }
    const shared = 'arn:aws:dynamodb:us-east-1:123456789012:table/shared-customers';
    const alerts = 'arn:aws:sns:us-east-1:123456789012:orders-alerts';
    const outputs = Object.fromEntries(['function_names', 'function_arns', 'function_role_arns', 'lambda_security_group_ids', 'function_log_group_names', 'table_arns', 'table_names'].map((o) => [o, { value: `\${module.orders.${o}}` }]));
    const root = rootWith(
      {
        orders: {
          name_prefix: 'orders-dev',
          tables: { orders: { hash_key: 'id' }, events: { hash_key: 'pk', range_key: 'sk', range_key_type: 'N', ttl_attribute: 'expires_at' } },
          functions: {
            api: {
              filename: '${path.module}/build/api.zip',
              handler: 'index.handler',
              table_access: { orders: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'] },
              environment: { STAGE: 'dev' },
              application_log_level: 'DEBUG',
              failure_queue_enabled: true,
              maximum_retry_attempts: 1,
            },
            audit: { filename: '${path.module}/build/audit.zip', handler: 'index.handler', table_access: { events: ['dynamodb:PutItem'], [shared]: ['dynamodb:GetItem'] }, on_failure_destination_arn: alerts },
          },
        },
      },
      { output: outputs },
      copy,
    );
    const run = planJson(tool(), root);
    expectOk(run, 'terraform plan');
    const plan = run.plan!;
    const arn = (name: string) => `arn:aws:dynamodb:us-east-1:123456789012:table/orders-dev-${name}`;
    const logs = (key: string) => `arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/orders-dev-${key}:*`;

    expect(plannedOf(plan, 'aws_iam_role').map((r) => r.after.name).sort()).toEqual(['orders-dev-api-role', 'orders-dev-audit-role', 'orders-dev-flow-logs'].sort());
    const policy = (key: string) => JSON.parse(String(plannedOf(plan, 'aws_iam_role_policy').find((p) => p.address.endsWith(`function_policy["${key}"]`))!.after.policy));
    const eni = { Sid: 'ManageFunctionEnis', Effect: 'Allow', Action: expect.arrayContaining(['ec2:CreateNetworkInterface']), Resource: '*' };
    expect(policy('api').Statement).toEqual([
      { Sid: 'WriteOwnLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: [logs('api')] },
      eni,
      // Query reads indexes: the index ARNs come with it, for Query alone (no write on an index).
      { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'], Resource: [arn('orders')] },
      { Effect: 'Allow', Action: ['dynamodb:Query'], Resource: [`${arn('orders')}/index/*`] },
    ]);
    expect(policy('audit').Statement).toEqual([
      { Sid: 'WriteOwnLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: [logs('audit')] },
      eni,
      // An ARN key is used as is; map keys come in Terraform's (lexical) order.
      { Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: [shared] },
      { Effect: 'Allow', Action: ['dynamodb:PutItem'], Resource: [arn('events')] },
    ]);
    expect(plannedOf(plan, 'aws_iam_role_policy').filter((p) => p.address.includes('function_database_policy'))).toEqual([]);

    // Lambda's logging and async-failure controls: levels per function, a created encrypted
    // queue for api (its ARN is known at apply), the caller's SNS topic for audit, retries.
    const lambda = (key: string) => plannedOf(plan, 'aws_lambda_function').find((f) => f.address.endsWith(`["${key}"]`))!.after;
    expect(lambda('api').logging_config).toEqual([expect.objectContaining({ log_format: 'JSON', application_log_level: 'DEBUG', system_log_level: 'WARN' })]);
    expect(lambda('audit').logging_config).toEqual([expect.objectContaining({ log_format: 'JSON', application_log_level: 'INFO', system_log_level: 'WARN' })]);
    expect(plannedOf(plan, 'aws_sqs_queue').map((q) => [q.after.name, q.after.sqs_managed_sse_enabled, q.after.message_retention_seconds])).toEqual([['orders-dev-api-failed-events', true, 1209600]]);
    const invokeConfig = (key: string) => plannedOf(plan, 'aws_lambda_function_event_invoke_config').find((c) => c.address.endsWith(`["${key}"]`))!.after;
    expect(invokeConfig('api').maximum_retry_attempts).toBe(1);
    expect(invokeConfig('audit')).toMatchObject({ maximum_retry_attempts: 2, destination_config: [{ on_failure: [{ destination: alerts }] }] });
    const sendPolicy = plannedOf(plan, 'aws_iam_role_policy').find((p) => p.address.endsWith('function_failure_destination_policy["audit"]'))!;
    expect(JSON.parse(String(sendPolicy.after.policy)).Statement).toEqual([{ Sid: 'SendFailedEvents', Effect: 'Allow', Action: ['sns:Publish'], Resource: [alerts] }]);
    expect(plannedOf(plan, 'aws_iam_role_policy').filter((p) => p.address.includes('function_failure_destination_policy')).map((p) => p.address.replace('module.orders.', ''))).toEqual([
      'aws_iam_role_policy.function_failure_destination_policy["api"]',
      'aws_iam_role_policy.function_failure_destination_policy["audit"]',
    ]);

    // Two function groups, no ingress, each with only the 443 rule to the endpoint's prefix list.
    expect(plannedOf(plan, 'aws_security_group').map((g) => g.after.name)).toEqual(['orders-dev-api-lambda', 'orders-dev-audit-lambda']);
    expect(plannedOf(plan, 'aws_security_group').map((g) => g.after.ingress ?? [])).toEqual([[], []]);
    expect(plannedOf(plan, 'aws_vpc_security_group_ingress_rule')).toEqual([]);
    const egress = plannedOf(plan, 'aws_vpc_security_group_egress_rule');
    expect(egress.map((r) => [r.address.replace('module.orders.', ''), r.after.ip_protocol, r.after.from_port, r.after.to_port, r.after.cidr_ipv4 ?? null])).toEqual([
      ['aws_vpc_security_group_egress_rule.function_dynamodb_https["api"]', 'tcp', 443, 443, null],
      ['aws_vpc_security_group_egress_rule.function_dynamodb_https["audit"]', 'tcp', 443, 443, null],
    ]);
    const [rule] = configuredResources(plan, 'aws_vpc_security_group_egress_rule');
    expect(rule.expressions?.prefix_list_id?.references).toContain('aws_vpc_endpoint.dynamodb');

    const [endpoint] = plannedOf(plan, 'aws_vpc_endpoint');
    expect(JSON.parse(String(endpoint.after.policy))).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'SystemTablesOnly',
          Effect: 'Allow',
          Principal: '*',
          Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
          Resource: [arn('orders'), `${arn('orders')}/index/*`, shared, `${shared}/index/*`, arn('events'), `${arn('events')}/index/*`],
        },
      ],
    });

    const env = (key: string) => (plannedOf(plan, 'aws_lambda_function').find((f) => f.address.endsWith(`["${key}"]`))!.after.environment as Array<{ variables: Record<string, string> }>)[0].variables;
    expect(env('api')).toEqual({ STAGE: 'dev', ORDERS_TABLE: 'orders-dev-orders', NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem' });
    expect(env('audit')).toEqual({ EVENTS_TABLE: 'orders-dev-events', SHARED_CUSTOMERS_TABLE: 'shared-customers', NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem' });
    const events = plannedOf(plan, 'aws_dynamodb_table').find((t) => t.after.name === 'orders-dev-events')!.after;
    expect([events.attribute, events.ttl, events.billing_mode, events.deletion_protection_enabled]).toEqual([
      [{ name: 'pk', type: 'S' }, { name: 'sk', type: 'N' }],
      [{ attribute_name: 'expires_at', enabled: true }],
      'PAY_PER_REQUEST',
      true,
    ]);

    // Outputs are maps keyed like the variables (values known at apply are still keyed at plan).
    const changes = (plan as unknown as { output_changes: Record<string, { after?: Record<string, unknown>; after_unknown?: boolean | Record<string, unknown> }> }).output_changes;
    const keys = (name: string) => Object.keys({ ...(changes[name].after ?? {}), ...(typeof changes[name].after_unknown === 'object' ? changes[name].after_unknown : {}) }).sort();
    for (const name of ['function_names', 'function_arns', 'function_role_arns', 'lambda_security_group_ids', 'function_log_group_names']) expect([name, keys(name)]).toEqual([name, ['api', 'audit']]);
    for (const name of ['table_arns', 'table_names']) expect([name, keys(name)]).toEqual([name, ['events', 'orders']]);
    expect(changes.function_names.after).toEqual({ api: 'orders-dev-api', audit: 'orders-dev-audit' });
    expect(changes.table_names.after).toEqual({ events: 'orders-dev-events', orders: 'orders-dev-orders' });
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
    const modules: Record<string, Record<string, unknown>> = { defaults: { source: moduleDir, ...withOfflineZones({}) } };
    for (const [name, args] of cases) modules[name] = { source: moduleDir, ...withOfflineZones(args) };
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

  test('validate: bad log levels, retries and failure destinations are rejected with messages naming the function', () => {
    // Kept out of PLAN_REJECTIONS (and so out of docs/rejected-inputs.md's generated table) until that table is regenerated.
    const fn = (extra: Record<string, unknown>) => ({ functions: { api: { s3_bucket: 'b', s3_key: 'k.zip', handler: 'index.handler', ...extra } } });
    const cases: typeof badValues = [
      ['application_log_level_unknown', fn({ application_log_level: 'VERBOSE' }), 'functions.api: application_log_level must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL', 'validate'],
      ['system_log_level_unknown', fn({ system_log_level: 'ERROR' }), 'functions.api: system_log_level must be one of DEBUG, INFO, WARN', 'validate'],
      ['retries_over_two', fn({ maximum_retry_attempts: 3 }), 'functions.api: maximum_retry_attempts must be a whole number from 0 to 2', 'validate'],
      ['destination_not_sqs_or_sns', fn({ on_failure_destination_arn: 'arn:aws:s3:::bucket' }), 'functions.api: on_failure_destination_arn must be an SQS queue or SNS topic ARN', 'validate'],
      ['queue_and_destination', fn({ failure_queue_enabled: true, on_failure_destination_arn: 'arn:aws:sqs:us-east-1:123456789012:q' }), 'functions.api: failure_queue_enabled and on_failure_destination_arn both name a destination; give one', 'validate'],
    ];
    const run = terraform(tool(), rootCalling(cases), ['validate', '-json']);
    expect(run.ok).toBe(false);
    expectEachRejected(cases, errorsByCall((JSON.parse(run.stdout) as { diagnostics: Diagnostic[] }).diagnostics));
  });
});
