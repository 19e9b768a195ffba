import { Testing } from 'cdktf';
import { DynamoDbGatewayEndpoint } from '../../modules/constructs/dynamodb-gateway-endpoint';
import { EndpointPolicy } from '../../modules/constructs/endpoint-policy';
import { PlainIdStack } from '../../modules/stacks/plain-id-stack';
import { addressOf, onlyResource, resourceNamed, resourcesOf, synthDeploy, TerraformJson } from '../support/synth';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';

describe('flow logs', () => {
  const json = synthDeploy();

  test('flow log covers the VPC, all traffic, to the log group, with the role', () => {
    const flowLog = onlyResource(json, 'aws_flow_log');
    expect(flowLog.traffic_type).toBe('ALL');
    expect(flowLog.log_destination_type).toBe('cloud-watch-logs');
    expect(flowLog.vpc_id).toBe(`\${${addressOf(json, 'aws_vpc')}[0].id}`);
    expect(flowLog.log_destination).toBe(`\${${'aws_cloudwatch_log_group.system_flow_logs_log_group'}[0].arn}`);
    expect(flowLog.iam_role_arn).toBe(`\${${'aws_iam_role.system_flow_logs_role'}[0].arn}`);
  });

  test('log group keeps 30 days by default, a chosen retention and KMS key otherwise', () => {
    expect(resourceNamed(json, 'aws_cloudwatch_log_group', 'system_flow_logs_log_group').retention_in_days).toBe(30);
    const custom = synthDeploy({ flowLogs: { retentionInDays: 365, kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/abc' } });
    const group = resourceNamed(custom, 'aws_cloudwatch_log_group', 'system_flow_logs_log_group');
    expect(group.retention_in_days).toBe(365);
    expect(group.kms_key_id).toBe('arn:aws:kms:us-east-1:123456789012:key/abc');
  });

  test('role is assumable only by VPC flow logs of this account and region', () => {
    const trust = JSON.parse(String(resourceNamed(json, 'aws_iam_role', 'system_flow_logs_role').assume_role_policy));
    expect(trust.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
        Action: ['sts:AssumeRole'],
        Condition: {
          StringEquals: { 'aws:SourceAccount': '${aws_vpc.system_network_vpc[0].owner_id}' },
          ArnLike: { 'aws:SourceArn': 'arn:${data.aws_partition.partition.partition}:ec2:us-east-1:${aws_vpc.system_network_vpc[0].owner_id}:vpc-flow-log/*' },
        },
      },
    ]);
  });

  test('role may write only to its log group', () => {
    const policy = JSON.parse(String(resourceNamed(json, 'aws_iam_role_policy', 'system_flow_logs_role_policy').policy));
    const group = '${aws_cloudwatch_log_group.system_flow_logs_log_group[0].arn}';
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0].Resource).toEqual([group, `${group}:*`]);
    expect(policy.Statement[0].Action.every((a: string) => a.startsWith('logs:'))).toBe(true);
  });

  test('disabled: no flow log, log group or role', () => {
    const off = synthDeploy({ flowLogs: { enabled: false } });
    expect(resourcesOf(off, 'aws_flow_log')).toEqual({});
    for (const type of ['aws_cloudwatch_log_group', 'aws_iam_role', 'aws_iam_role_policy']) {
      expect(Object.keys(resourcesOf(off, type)).filter((name) => name.startsWith('system_flow_logs'))).toEqual([]);
    }
  });
});

describe('endpoint policy', () => {
  function synthEndpoint(scope?: { tableArns: string[]; actions: string[] }): TerraformJson {
    const app = Testing.app();
    const stack = new PlainIdStack(app, 'test');
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    new DynamoDbGatewayEndpoint(stack, 'endpoint', {
      namePrefix: 'test',
      region: 'us-east-1',
      vpcId: 'vpc-0123456789abcdef0',
      routeTableIds: ['rtb-0123456789abcdef0'],
      policy: scope ? EndpointPolicy.allowTables(scope.tableArns, scope.actions) : undefined,
    });
    return JSON.parse(Testing.synth(stack)) as TerraformJson;
  }

  test('open (the default) writes no policy: AWS default', () => {
    expect(onlyResource(synthEndpoint(), 'aws_vpc_endpoint').policy).toBeUndefined();
  });

  test('a scope allows only its actions on its tables and their indexes', () => {
    const arn = 'arn:aws:dynamodb:us-east-1:123456789012:table/products';
    const policy = JSON.parse(String(onlyResource(synthEndpoint({ tableArns: [arn], actions: ['dynamodb:GetItem', 'dynamodb:PutItem'] }), 'aws_vpc_endpoint').policy));
    expect(policy.Statement).toEqual([
      { Sid: 'SystemTablesOnly', Effect: 'Allow', Principal: '*', Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: [arn, `${arn}/index/*`] },
    ]);
  });

  test('a wildcard action is refused', () => {
    expect(() => synthEndpoint({ tableArns: ['arn:aws:dynamodb:us-east-1:123456789012:table/t'], actions: ['dynamodb:*'] })).toThrow(
      'endpointPolicy.actions: dynamodb:*: expected named DynamoDB actions like dynamodb:GetItem, no wildcards',
    );
  });
});
