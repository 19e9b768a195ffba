/**
 * The options that make a construct pass a scanner rule outright (a log KMS key, X-Ray
 * Active, Multi-AZ, enhanced monitoring, a customer managed key), and the suppressions the
 * constructs write where their default deliberately differs: present by default, gone once
 * the option is on.
 */
import { TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { ConfigError } from '../../modules/private/config-error';
import { DynamoDbTable } from '../../modules/constructs/dynamodb-table';
import { Network } from '../../modules/constructs/network';
import { PostgresDatabase, PostgresDatabaseProps } from '../../modules/constructs/postgres-database';
import { VpcFunction, VpcFunctionProps } from '../../modules/constructs/vpc-function';
import { synthWithSuppressions, TerraformJson } from '../support/synth';
import { functionProps, testNetwork } from './support';

const KEY = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';

function synth(build: (scope: Construct) => void): TerraformJson {
  const stack = new TerraformStack(Testing.app(), 'test');
  build(stack);
  return synthWithSuppressions(stack);
}

const only = (json: TerraformJson, type: string) => {
  const all = Object.values(json.resource?.[type] ?? {});
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
};
/** The scanner ids a resource's `//` suppressions name. */
const skipped = (block: Record<string, unknown>) =>
  ((block['//'] as { suppressions?: Array<{ checkov: string[]; trivy: string[] }> } | undefined)?.suppressions ?? []).flatMap((s) => [...s.checkov, ...s.trivy]);

const net = testNetwork;
const fnProps = functionProps;
const dbProps = (network: Network, extra: Partial<PostgresDatabaseProps> = {}): PostgresDatabaseProps => ({ namePrefix: 'n', vpcId: network.vpcId, subnets: network.privateSubnets, ...extra });

describe('VpcFunction: tracing and log encryption', () => {
  test('by default: PassThrough, no key, and the deliberate differences written with their reasons', () => {
    const json = synth((s) => new VpcFunction(s, 'api', fnProps(net(s))));
    const fn = only(json, 'aws_lambda_function');
    expect(fn.tracing_config).toEqual({ mode: 'PassThrough' });
    expect(skipped(fn)).toEqual(['CKV_AWS_272', 'CKV_AWS_116', 'CKV_AWS_173', 'CKV_AWS_115', 'AVD-AWS-0066']);
    expect(skipped(only(json, 'aws_cloudwatch_log_group'))).toEqual(['CKV_AWS_158', 'AVD-AWS-0017', 'CKV_AWS_338']);
    expect(skipped(only(json, 'aws_iam_role_policy'))).toEqual(['CKV_AWS_355', 'CKV_AWS_290']);
    const reasons = (fn['//'] as { suppressions: Array<{ reason: string }> }).suppressions.map((s) => s.reason);
    for (const r of reasons) expect(r).toMatch(/^[^\n]{20,}$/);
  });

  test('tracing Active: X-Ray writes in the role (the only other "*"), no tracing skip; a key and a year of logs: no log skips', () => {
    const json = synth((s) => new VpcFunction(s, 'api', fnProps(net(s), { tracing: 'Active', logKmsKeyArn: KEY, logRetentionInDays: 365, reservedConcurrency: 5 })));
    const fn = only(json, 'aws_lambda_function');
    expect(fn.tracing_config).toEqual({ mode: 'Active' });
    expect(skipped(fn)).toEqual(['CKV_AWS_272', 'CKV_AWS_116', 'CKV_AWS_173']);
    const group = only(json, 'aws_cloudwatch_log_group');
    expect(group.kms_key_id).toBe(KEY);
    expect(skipped(group)).toEqual([]);
    const statements = (JSON.parse(String(only(json, 'aws_iam_role_policy').policy)) as { Statement: Array<{ Sid?: string; Action: string[]; Resource: unknown }> }).Statement;
    expect(statements.find((s) => s.Sid === 'WriteTraces')).toEqual({ Sid: 'WriteTraces', Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' });
  });

  test.each<[string, Partial<VpcFunctionProps>, string]>([
    ['tracing', { tracing: 'On' as never }, 'functions.api.tracing: "On" is not a tracing mode; allowed: PassThrough, Active'],
    ['logKmsKeyArn', { logKmsKeyArn: 'alias/logs' }, 'functions.api.logKmsKeyArn: "alias/logs" is not a KMS key ARN (arn:aws:kms:...)'],
  ])('bad %s is refused by name', (_input, extra, message) => {
    expect(() => synth((s) => new VpcFunction(s, 'api', fnProps(net(s), extra)))).toThrow(new ConfigError(message.split(':')[0], message.slice(message.indexOf(':') + 2)));
  });
});

describe('PostgresDatabase: logs, Performance Insights, monitoring, Multi-AZ, key', () => {
  test('by default: postgresql and upgrade logs exported into groups with a retention, created first; Performance Insights 7 days; no monitoring role', () => {
    const json = synth((s) => new PostgresDatabase(s, 'database', dbProps(net(s))));
    const db = only(json, 'aws_db_instance');
    expect(db).toMatchObject({ enabled_cloudwatch_logs_exports: ['postgresql', 'upgrade'], performance_insights_enabled: true, performance_insights_retention_period: 7, monitoring_interval: 0, multi_az: false });
    expect(db.monitoring_role_arn).toBeUndefined();
    expect(db.performance_insights_kms_key_id).toBeUndefined();
    const groups = Object.entries(json.resource!.aws_cloudwatch_log_group);
    expect(groups.map(([, g]) => [g.name, g.retention_in_days])).toEqual([
      ['/aws/rds/instance/n-postgres/postgresql', 30],
      ['/aws/rds/instance/n-postgres/upgrade', 30],
    ]);
    expect(db.depends_on).toEqual(groups.map(([name]) => `aws_cloudwatch_log_group.${name}`));
    expect(json.resource!.aws_iam_role).toBeUndefined();
    expect(skipped(db)).toEqual(['CKV_AWS_157', 'CKV_AWS_118', 'CKV_AWS_354', 'AVD-AWS-0078']);
  });

  test('Multi-AZ, monitoring every 60 s, a key of yours: a monitoring role RDS can assume, the key on storage and Performance Insights, no skips left', () => {
    const json = synth((s) => new PostgresDatabase(s, 'database', dbProps(net(s), { multiAz: true, monitoringIntervalSeconds: 60, kmsKeyArn: KEY, logKmsKeyArn: KEY })));
    const db = only(json, 'aws_db_instance');
    const [roleName] = Object.keys(json.resource!.aws_iam_role);
    expect(db).toMatchObject({ multi_az: true, monitoring_interval: 60, kms_key_id: KEY, performance_insights_kms_key_id: KEY, monitoring_role_arn: `\${one(aws_iam_role.${roleName}[*].arn)}` });
    expect(skipped(db)).toEqual([]);
    const trust = JSON.parse(String(only(json, 'aws_iam_role').assume_role_policy)) as { Statement: Array<{ Principal: unknown }> };
    expect(trust.Statement[0].Principal).toEqual({ Service: 'monitoring.rds.amazonaws.com' });
    expect(only(json, 'aws_iam_role_policy_attachment').policy_arn).toBe('arn:${data.aws_partition.partition.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole');
    for (const g of Object.values(json.resource!.aws_cloudwatch_log_group)) expect([g.kms_key_id, skipped(g)]).toEqual([KEY, ['CKV_AWS_338']]);
  });

  test('Performance Insights off: no retention and no key sent (RDS refuses them), and no PI key skip', () => {
    const db = only(synth((s) => new PostgresDatabase(s, 'database', dbProps(net(s), { performanceInsights: false, kmsKeyArn: KEY }))), 'aws_db_instance');
    expect([db.performance_insights_enabled, db.performance_insights_retention_period, db.performance_insights_kms_key_id]).toEqual([false, undefined, undefined]);
    expect(skipped(db)).not.toContain('CKV_AWS_354');
  });

  test.each<[string, Partial<PostgresDatabaseProps>, RegExp]>([
    ['database.monitoringIntervalSeconds', { monitoringIntervalSeconds: 45 }, /45 is not an enhanced monitoring interval; allowed: 0, 1, 5, 10, 15, 30, 60/],
    ['database.logExports', { logExports: ['postgresql', 'audit' as never] }, /audit: not a PostgreSQL log type; allowed: postgresql, upgrade, iam-db-auth-error/],
    ['database.logRetentionInDays', { logRetentionInDays: 45 }, /45 days is not a CloudWatch Logs retention/],
    ['database.kmsKeyArn', { kmsKeyArn: 'alias/aws/rds' }, /"alias\/aws\/rds" is not a KMS key ARN/],
  ])('bad %s is refused by name', (input, extra, message) => {
    try {
      synth((s) => new PostgresDatabase(s, 'database', dbProps(net(s), extra)));
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toMatch(new RegExp(`^${input.replace('.', '\\.')}: ${message.source}`));
    }
  });
});

describe('DynamoDbTable: customer managed key', () => {
  test('without a key: the AWS managed key and the CMK skip; with one: the key, no skip', () => {
    const plain = only(synth((s) => new DynamoDbTable(s, 'orders', { tableName: 'orders', hashKey: 'id' })), 'aws_dynamodb_table');
    expect(plain.server_side_encryption).toEqual({ enabled: true });
    expect(skipped(plain)).toEqual(['CKV_AWS_119', 'AVD-AWS-0025']);
    const keyed = only(synth((s) => new DynamoDbTable(s, 'orders', { tableName: 'orders', hashKey: 'id', kmsKeyArn: KEY })), 'aws_dynamodb_table');
    expect(keyed.server_side_encryption).toEqual({ enabled: true, kms_key_arn: KEY });
    expect(skipped(keyed)).toEqual([]);
  });
});
