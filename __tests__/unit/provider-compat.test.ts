import { MODULE_REQUIRED_AWS_PROVIDER } from '../../modules/stacks/module/module-stack';
import { missingFrom, usedNames } from '../../modules/stacks/hcl/schema-usage';
import { LOWER_BOUND_SCHEMA_FILE, PRINTER_SCHEMA_FILE, readSchema, V6_SCHEMA_FILE } from '../../modules/stacks/hcl/schema';
import { synthDeploy, synthModule } from '../support/synth';

/**
 * AWS provider 5 and 6: every resource type, attribute and block the module and the deploy
 * stack use exists in the 5.100.0 schema (terraform providers schema -json of the mirror) and
 * in the 6.x one (from the generated bindings of @cdktf/provider-aws 21.22.1, aws 6.25.0).
 */
const v5 = readSchema(PRINTER_SCHEMA_FILE);
const v6 = readSchema(V6_SCHEMA_FILE);
/** The lower bound, 5.51.0, from @cdktf/provider-aws 19.20.0's bindings. */
const lowerBound = readSchema(LOWER_BOUND_SCHEMA_FILE);

const stacks: Array<[string, () => Record<string, unknown>]> = [
  ['module', () => synthModule() as Record<string, unknown>],
  ['deploy stack (defaults)', () => synthDeploy() as Record<string, unknown>],
  ['deploy stack (per-AZ NAT, flow-log KMS)', () => synthDeploy({ natMode: 'per-az', flowLogs: { enabled: true, kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555' } }) as Record<string, unknown>],
  ['deploy stack (adopted VPC, no database)', () => synthDeploy({ existingVpc: { vpcId: 'vpc-0123456789abcdef0', privateSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'], privateRouteTableIds: ['rtb-0123456789abcdef0', 'rtb-0123456789abcdef1'] }, accountId: '123456789012', database: { enabled: false } }) as Record<string, unknown>],
];

describe('AWS provider 5.x and 6.x schemas', () => {
  test('the stored schemas are the versions they say', () => {
    expect([lowerBound.version, v5.version, v6.version.split('.')[0]]).toEqual(['5.51.0', '5.100.0', '6']);
  });

  test.each(stacks)('%s: every resource, attribute and block exists in 5.51 (the lower bound), 5.100 and 6.x', (_name, synth) => {
    const json = synth();
    expect(usedNames(json).length).toBeGreaterThan(100);
    expect(missingFrom(json, lowerBound)).toEqual([]);
    expect(missingFrom(json, v5)).toEqual([]);
    expect(missingFrom(json, v6)).toEqual([]);
  });

  test('the lower bound is not arbitrary: an attribute added after 5.51 fails it (aws_cloudwatch_log_group.deletion_protection_enabled)', () => {
    const json = synthModule() as { resource: Record<string, Record<string, Record<string, unknown>>> };
    json.resource.aws_cloudwatch_log_group.flow_logs.deletion_protection_enabled = true;
    expect(missingFrom(json, lowerBound)).toEqual(['aws_cloudwatch_log_group.flow_logs: deletion_protection_enabled']);
    expect(missingFrom(json, v6)).toEqual([]);
  });

  test('fails for an attribute 6.x removed: aws_eip.vpc (6.0 replaced it by domain), aws_flow_log.log_group_name', () => {
    const json = synthModule() as { resource: Record<string, Record<string, Record<string, unknown>>> };
    json.resource.aws_eip.nat.vpc = true;
    json.resource.aws_flow_log.this.log_group_name = 'x';
    expect(missingFrom(json, v5)).toEqual([]);
    expect(missingFrom(json, v6)).toEqual(['aws_eip.nat: vpc', 'aws_flow_log.this: log_group_name']);
  });

  test('fails for a resource type, a block or a nested attribute either schema lacks', () => {
    const json = { resource: { aws_lambda_function: { f: { function_name: 'f', vpc_config: { subnet_ids: [], colour: 'x' }, snap_strt: { apply_on: 'x' } } }, aws_made_up: { m: {} } } };
    expect(missingFrom(json, v6)).toEqual(['aws_lambda_function.f: snap_strt', 'aws_lambda_function.f: vpc_config.colour', 'aws_made_up.m: type aws_made_up']);
  });

  test('the module admits both major lines, from the justified 5.51 up to, not including, 7.0', () => {
    expect(MODULE_REQUIRED_AWS_PROVIDER).toBe('>= 5.51, < 7.0');
    const admits = (v: string) => {
      const n = (s: string) => s.split('.').map(Number).reduce((acc, x, i) => acc + x * 1000 ** (2 - i), 0);
      return MODULE_REQUIRED_AWS_PROVIDER.split(',').every((c) => {
        const [, op, ver] = /^\s*(>=|<)\s*([\d.]+)\s*$/.exec(c)!;
        return op === '>=' ? n(v) >= n(ver) : n(v) < n(ver);
      });
    };
    expect(['5.50.0', '5.51.0', '5.100.0', '6.0.0', v6.version, '6.99.0', '7.0.0'].map(admits)).toEqual([false, true, true, true, true, true, false]);
  });
});
