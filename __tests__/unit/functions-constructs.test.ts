import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DeployConfigInput, parseDeployConfig } from '../../modules/stacks/deploy/deploy-config';
import { DeployStack } from '../../modules/stacks/deploy/deploy-stack';
import { PolicyStatement } from '../../modules/private/iam-statements';
import { PlainIdStack } from '../../modules/stacks/plain-id-stack';
import { VpcFunction } from '../../modules/constructs/vpc-function';
import { VpcLambdaDynamoDb } from '../../modules/constructs/vpc-lambda-dynamodb';
import { FunctionCode } from '../../modules/constructs/function-code';
import { resourceNamed, resourcesOf, synthDeploy, testBundles, TerraformJson } from '../support/synth';

const json = synthDeploy();
const policyOf = (block: Record<string, unknown>) => JSON.parse(String(block.policy)) as { Statement: PolicyStatement[] };
const asList = (v: unknown) => (Array.isArray(v) ? v : [v]) as string[];

describe('the two functions', () => {
  const functions = resourcesOf(json, 'aws_lambda_function');

  test('run in the private subnets, nodejs22.x on arm64, 30 s, JSON logs to their own group', () => {
    expect(Object.keys(functions).sort()).toEqual(['system_products_function', 'system_user_activity_function']);
    for (const fn of Object.values(functions)) {
      expect(fn.runtime).toBe('nodejs22.x');
      expect(fn.architectures).toEqual(['arm64']);
      expect(fn.timeout).toBe(30);
      expect(fn.handler).toBe('index.handler');
      expect((fn.vpc_config as { subnet_ids: string }).subnet_ids).toBe('${aws_subnet.system_network_private[*].id}');
      expect((fn.logging_config as { log_format: string }).log_format).toBe('JSON');
      expect(fn.replace_security_groups_on_destroy).toBe(true);
    }
  });

  test('logging_config: JSON, application INFO and system WARN by default, to their own group; no failure destination unless asked', () => {
    for (const fn of Object.values(functions)) {
      expect(fn.logging_config).toMatchObject({ log_format: 'JSON', application_log_level: 'INFO', system_log_level: 'WARN' });
      expect(String((fn.logging_config as { log_group: string }).log_group)).toMatch(/^\$\{aws_cloudwatch_log_group\./);
    }
    expect(resourcesOf(json, 'aws_sqs_queue')).toEqual({});
    expect(resourcesOf(json, 'aws_lambda_function_event_invoke_config')).toEqual({});
  });

  test('log levels, an encrypted failure queue and the retry count are settings; the role may send to the queue', () => {
    const custom = synthDeploy({ functions: { applicationLogLevel: 'DEBUG', systemLogLevel: 'INFO', failureQueueEnabled: true, maximumRetryAttempts: 1 } });
    for (const fn of Object.values(resourcesOf(custom, 'aws_lambda_function'))) {
      expect(fn.logging_config).toMatchObject({ log_format: 'JSON', application_log_level: 'DEBUG', system_log_level: 'INFO' });
    }
    const queues = resourcesOf(custom, 'aws_sqs_queue');
    expect(Object.values(queues).map((q) => [q.name, q.sqs_managed_sse_enabled, q.message_retention_seconds]).sort()).toEqual([
      ['vpc-lambda-dynamodb-products-failed-events', true, 1209600],
      ['vpc-lambda-dynamodb-user-activity-failed-events', true, 1209600],
    ]);
    const configs = Object.values(resourcesOf(custom, 'aws_lambda_function_event_invoke_config'));
    expect(configs).toHaveLength(2);
    for (const c of configs) {
      expect(c.maximum_retry_attempts).toBe(1);
      expect(String((c.destination_config as { on_failure: { destination: string } }).on_failure.destination)).toMatch(/^\$\{aws_sqs_queue\..*\.arn\}$/);
    }
    const policy = policyOf(resourceNamed(custom, 'aws_iam_role_policy', 'system_products_role_policy'));
    expect(policy.Statement).toContainEqual({ Sid: 'SendFailedEvents', Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: ['${aws_sqs_queue.system_products_failure_queue.arn}'] });
  });

  test('log levels and retries outside what Lambda accepts are refused at synth', () => {
    expect(() => synthDeploy({ functions: { maximumRetryAttempts: 3 } })).toThrow('maximumRetryAttempts: 3 is outside Lambda\'s limits; allowed 0 to 2 retries');
    const fn = (extra: object) => () =>
      new VpcFunction(new PlainIdStack(Testing.app(), 's'), 'f', {
        functionName: 'f',
        code: FunctionCode.fromS3('b', 'k'),
        subnets: { subnetIds: ['subnet-1'], public: false } as never,
        vpcId: 'vpc-1',
        dynamoDbPrefixListId: 'pl-1',
        ...extra,
      });
    expect(fn({ applicationLogLevel: 'VERBOSE' })).toThrow('applicationLogLevel: "VERBOSE" is not a Lambda log level; allowed: TRACE, DEBUG, INFO, WARN, ERROR, FATAL');
    expect(fn({ systemLogLevel: 'ERROR' })).toThrow('systemLogLevel: "ERROR" is not a Lambda log level; allowed: DEBUG, INFO, WARN');
    expect(fn({ failureQueueEnabled: true, onFailureDestinationArn: 'arn:aws:sqs:us-east-1:123456789012:q' })).toThrow('failureQueueEnabled: and onFailureDestinationArn both name a destination');
  });

  test('the zip is referenced under ${path.module}; source_code_hash is the base64 SHA-256 of that zip, stable across checkouts', () => {
    const products = functions.system_products_function;
    expect(String(products.filename)).toMatch(/^\$\{path\.module\}\/assets\/system_products_code\/[0-9A-F]{32}\/[0-9a-f]{64}\.zip$/);
    // The same bundle copied elsewhere (a fresh checkout) gives the same zip and hash.
    const copy = mkdtempSync(join(tmpdir(), 'vld-copy-'));
    cpSync(testBundles().products, copy, { recursive: true });
    const stack = new PlainIdStack(Testing.app(), 'copy');
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    const code = FunctionCode.fromBundleDir(copy).bind(stack, 'code');
    expect(code.sourceCodeHash).toBe(products.source_code_hash);
  });

  test('table names come from the environment; no credential is in any environment', () => {
    const env = (name: string) => (functions[name].environment as { variables: Record<string, string> }).variables;
    expect(env('system_products_function').PRODUCTS_TABLE).toBe('${aws_dynamodb_table.system_tables_products_table.name}');
    expect(env('system_user_activity_function')).toMatchObject({
      USER_ACTIVITY_TABLE: '${aws_dynamodb_table.system_tables_user_activity_table.name}',
      DB_AUTH: 'iam',
      DB_USER: 'app_lambda',
      NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem',
    });
    for (const fn of Object.values(functions)) {
      expect(Object.keys((fn.environment as { variables: object }).variables).join(' ')).not.toMatch(/PASSWORD|SECRET_VALUE/);
    }
  });
});

describe('least privilege', () => {
  const policies = resourcesOf(json, 'aws_iam_role_policy');

  test('no wildcard action anywhere, and Resource "*" only for the ENI actions IAM cannot scope', () => {
    for (const [name, block] of Object.entries(policies)) {
      for (const s of policyOf(block).Statement) {
        for (const action of s.Action) expect([name, action]).not.toEqual([name, expect.stringContaining('*')]);
        if (asList(s.Resource).includes('*')) expect([name, s.Action.every((a) => a.startsWith('ec2:'))]).toEqual([name, true]);
      }
    }
  });

  test('products may GetItem and PutItem on the products table only', () => {
    const dynamo = policyOf(policies.system_products_role_policy).Statement.filter((s) => s.Action.some((a) => a.startsWith('dynamodb:')));
    expect(dynamo).toEqual([{ Effect: 'Allow', Action: ['dynamodb:PutItem', 'dynamodb:GetItem'], Resource: ['${aws_dynamodb_table.system_tables_products_table.arn}'] }]);
  });

  test('user-activity may PutItem and GetItem (idempotency records) on user-activity only, and connect as its IAM database user', () => {
    const dynamo = policyOf(policies.system_user_activity_role_policy).Statement.filter((s) => s.Action.some((a) => a.startsWith('dynamodb:')));
    expect(dynamo).toEqual([{ Effect: 'Allow', Action: ['dynamodb:PutItem', 'dynamodb:GetItem'], Resource: ['${aws_dynamodb_table.system_tables_user_activity_table.arn}'] }]);
    const connect = policyOf(policies.system_user_activity_user_activity_connect_database).Statement;
    expect(connect).toEqual([{ Sid: 'ConnectAsIamDatabaseUser', Effect: 'Allow', Action: ['rds-db:connect'], Resource: ['${local.system_database_user_activity_db_user_arn}'] }]);
  });

  test('the endpoint policy allows only the functions\' actions on the system tables', () => {
    const policy = JSON.parse(String(resourceNamed(json, 'aws_vpc_endpoint', 'system_dynamodb_endpoint').policy));
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0].Action).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']);
    expect(policy.Statement[0].Resource).toEqual([
      '${aws_dynamodb_table.system_tables_products_table.arn}',
      '${aws_dynamodb_table.system_tables_products_table.arn}/index/*',
      '${aws_dynamodb_table.system_tables_user_activity_table.arn}',
      '${aws_dynamodb_table.system_tables_user_activity_table.arn}/index/*',
    ]);
  });
});

describe('security groups', () => {
  const egress = Object.values(resourcesOf(json, 'aws_vpc_security_group_egress_rule'));
  const ingress = Object.values(resourcesOf(json, 'aws_vpc_security_group_ingress_rule'));

  test('functions: 443 to the DynamoDB prefix list; no 0.0.0.0/0 egress with NAT off; no ingress', () => {
    const https = egress.filter((r) => r.from_port === 443);
    expect(https).toHaveLength(2);
    for (const r of https) expect(r.prefix_list_id).toBe('${aws_vpc_endpoint.system_dynamodb_endpoint.prefix_list_id}');
    expect(egress.filter((r) => r.cidr_ipv4 !== undefined)).toEqual([]);
    for (const sg of Object.values(resourcesOf(json, 'aws_security_group'))) expect(sg.ingress).toBeUndefined();
    expect(ingress.every((r) => String(r.security_group_id).includes('system_database_security_group'))).toBe(true);
  });

  test('5432 from user-activity to the database only, both ways; products gets none', () => {
    const postgres = egress.filter((r) => r.from_port === 5432);
    expect(postgres).toHaveLength(1);
    expect(postgres[0].security_group_id).toBe('${aws_security_group.system_user_activity_security_group_security_group.id}');
    expect(postgres[0].referenced_security_group_id).toBe('${aws_security_group.system_database_security_group[0].id}');
    expect(ingress).toHaveLength(1);
    expect(ingress[0]).toMatchObject({ from_port: 5432, to_port: 5432, referenced_security_group_id: '${aws_security_group.system_user_activity_security_group_security_group.id}' });
  });

  test('internet egress exists only when asked for, and only with NAT', () => {
    const withNat = synthDeploy({ natMode: 'single', functions: { allowInternetEgress: true } });
    const internet = Object.values(resourcesOf(withNat, 'aws_vpc_security_group_egress_rule')).filter((r) => r.cidr_ipv4 === '0.0.0.0/0');
    expect(internet).toHaveLength(2);
    const natOnly = synthDeploy({ natMode: 'single' });
    expect(Object.values(resourcesOf(natOnly, 'aws_vpc_security_group_egress_rule')).filter((r) => r.cidr_ipv4)).toEqual([]);
  });
});

describe('tables and database', () => {
  test('tables: on-demand, point-in-time recovery, encryption, the seed\'s keys', () => {
    const products = resourceNamed(json, 'aws_dynamodb_table', 'system_tables_products_table');
    const activity = resourceNamed(json, 'aws_dynamodb_table', 'system_tables_user_activity_table');
    for (const t of [products, activity]) {
      expect(t.billing_mode).toBe('PAY_PER_REQUEST');
      expect(t.point_in_time_recovery).toEqual({ enabled: true });
      expect(t.server_side_encryption).toEqual({ enabled: true });
    }
    expect([products.hash_key, products.range_key]).toEqual(['id', undefined]);
    expect([activity.hash_key, activity.range_key]).toEqual(['userId', 'timestamp']);
  });

  test('database: private, encrypted, IAM auth, password managed by RDS, never in config or state', () => {
    const db = resourceNamed(json, 'aws_db_instance', 'system_database_instance');
    expect(db).toMatchObject({ publicly_accessible: false, storage_encrypted: true, iam_database_authentication_enabled: true, manage_master_user_password: true, engine: 'postgres' });
    expect(db.password).toBeUndefined();
    expect(resourceNamed(json, 'aws_db_subnet_group', 'system_database_subnet_group').subnet_ids).toBe('${aws_subnet.system_network_private[*].id}');
  });

  test('no plaintext secret anywhere in the synthesized JSON', () => {
    const text = JSON.stringify(json);
    expect(text).not.toMatch(/"password"\s*:/i);
    expect(text).not.toMatch(/"master_password"/);
    expect(text).not.toMatch(/DB_PASSWORD/);
  });

  test.each([
    ['default', {}],
    ['NAT per-az with internet egress', { natMode: 'per-az', functions: { allowInternetEgress: true } }],
    ['existing tables', { tables: { create: false, existing: { products: { name: 'products', arn: 'arn:aws:dynamodb:us-east-1:123456789012:table/products' }, userActivity: { name: 'activity', arn: 'arn:aws:dynamodb:us-east-1:123456789012:table/activity' } } } }],
    ['existing database', { database: { existing: { securityGroupId: 'sg-0123456789abcdef0', host: 'db.internal', databaseName: 'app', resourceId: 'db-ABC', instanceArn: 'arn:aws:rds:us-east-1:123456789012:db:x' } } }],
  ] as Array<[string, DeployConfigInput]>)('no token left unresolved (%s)', (_name, config) => {
    expect(JSON.stringify(synthDeploy(config))).not.toContain('unresolved-token');
  });

  test('database off: no instance, and user-activity gets no 5432 rule', () => {
    const off = synthDeploy({ database: { enabled: false } });
    expect(resourcesOf(off, 'aws_db_instance')).toEqual({});
    expect(Object.values(resourcesOf(off, 'aws_vpc_security_group_egress_rule')).filter((r) => r.from_port === 5432)).toEqual([]);
  });
});

// The rejected function inputs are rows of SYNTH_REJECTIONS (support/rejected-inputs.ts), run by bad-input.test.ts.
describe('bad function placement is refused at synth', () => {
  test('a function placed in public subnets is refused', () => {
    const stack = new PlainIdStack(Testing.app(), 'test');
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    const system = new VpcLambdaDynamoDb(stack, 'system', { region: 'us-east-1', availabilityZones: ['us-east-1a', 'us-east-1b'], natMode: 'single' });
    expect(
      () =>
        new VpcFunction(stack, 'exposed', {
          functionName: 'exposed',
          description: 'x',
          code: FunctionCode.fromBundleDir(testBundles().products),
          subnets: system.nat.publicSubnets,
          vpcId: system.network.vpcId,
          dynamoDbPrefixListId: system.endpoint.prefixListId,
        }),
    ).toThrow('subnets: are public subnets (their route table sends 0.0.0.0/0 to an internet gateway)');
  });

  test('functions enabled but not bundled is refused before anything is built', () => {
    expect(() => new DeployStack(Testing.app(), parseDeployConfig({}))).toThrow('functions: are enabled but no bundles were given');
  });
});

export type { TerraformJson };
