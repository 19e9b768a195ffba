import { DynamoDbGatewayEndpoint } from '../../modules/constructs/dynamodb-gateway-endpoint';
import { EndpointPolicy } from '../../modules/constructs/endpoint-policy';
import { FlowLogs } from '../../modules/constructs/flow-logs';
import { blocks, synthResources } from './support';

const ARN = 'arn:aws:dynamodb:us-east-1:123456789012:table/orders';

describe('FlowLogs', () => {
  test('ALL traffic to a log group with retention; the role trusts flow logs of this account only', () => {
    const r = synthResources((scope) => new FlowLogs(scope, 'flow_logs', { namePrefix: 'net', region: 'us-east-1', vpcId: 'vpc-0123456789abcdef0', accountId: '123456789012', retentionInDays: 14 }));
    expect(blocks(r, 'aws_flow_log')[0]).toMatchObject({ traffic_type: 'ALL' });
    expect(blocks(r, 'aws_cloudwatch_log_group')[0]).toMatchObject({ retention_in_days: 14 });
    expect(String(blocks(r, 'aws_iam_role')[0].assume_role_policy)).toContain('123456789012');
  });

  test('off creates nothing; a retention CloudWatch refuses is named', () => {
    expect(synthResources((scope) => new FlowLogs(scope, 'f', { namePrefix: 'n', region: 'us-east-1', vpcId: 'vpc-0123456789abcdef0', accountId: '', enabled: false })).aws_flow_log).toBeUndefined();
    expect(() => synthResources((scope) => new FlowLogs(scope, 'f', { namePrefix: 'n', region: 'us-east-1', vpcId: 'vpc-0123456789abcdef0', accountId: '123456789012', retentionInDays: 45 }))).toThrow(
      '45 days is not a CloudWatch Logs retention',
    );
  });
});

describe('FlowLogs format', () => {
  const flowLog = (format?: 'default' | 'v5') => blocks(synthResources((scope) => new FlowLogs(scope, 'f', { namePrefix: 'n', region: 'us-east-1', vpcId: 'vpc-0123456789abcdef0', accountId: '123456789012', format })), 'aws_flow_log')[0];

  test("default: no log_format, AWS's own record (the default stack is unchanged)", () => {
    expect(flowLog()).not.toHaveProperty('log_format');
    expect(flowLog('default')).not.toHaveProperty('log_format');
  });

  test('v5: the 14 default fields then the five that tell endpoint from NAT traffic, escaped for Terraform ($${...})', () => {
    const format = String(flowLog('v5').log_format);
    expect(format.split(' ')).toEqual(
      ['version', 'account-id', 'interface-id', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'packets', 'bytes', 'start', 'end', 'action', 'log-status', 'pkt-srcaddr', 'pkt-dstaddr', 'pkt-dst-aws-service', 'flow-direction', 'traffic-path'].map((f) => `$\${${f}}`),
    );
  });

  test('another format is refused by the prop name', () => {
    expect(() => flowLog('v4' as never)).toThrow('flowLogs.format: "v4" is not a flow-log format; expected one of default, v5');
  });
});

describe('DynamoDbGatewayEndpoint and EndpointPolicy', () => {
  const endpoint = (policy?: EndpointPolicy) =>
    blocks(
      synthResources((scope) => new DynamoDbGatewayEndpoint(scope, 'dynamodb', { namePrefix: 'n', region: 'eu-west-1', vpcId: 'vpc-0123456789abcdef0', routeTableIds: ['rtb-0123456789abcdef0'], policy })),
      'aws_vpc_endpoint',
    )[0];

  test('a Gateway endpoint for the region\'s DynamoDB on the given route tables', () => {
    expect(endpoint()).toMatchObject({ service_name: 'com.amazonaws.eu-west-1.dynamodb', vpc_endpoint_type: 'Gateway', route_table_ids: ['rtb-0123456789abcdef0'] });
  });

  test('open writes no policy; allowTables names tables and indexes; fromDocument is passed through', () => {
    expect(endpoint(EndpointPolicy.open()).policy).toBeUndefined();
    expect(JSON.parse(String(endpoint(EndpointPolicy.allowTables([ARN], ['dynamodb:GetItem'])).policy)).Statement[0].Resource).toEqual([ARN, `${ARN}/index/*`]);
    expect(endpoint(EndpointPolicy.fromDocument('${var.policy}')).policy).toBe('${var.policy}');
  });

  test('allowTables filled after construction is read at synth', () => {
    const arns: string[] = [];
    const actions: string[] = [];
    const r = synthResources((scope) => {
      new DynamoDbGatewayEndpoint(scope, 'dynamodb', { namePrefix: 'n', region: 'us-east-1', vpcId: 'vpc-0123456789abcdef0', routeTableIds: ['rtb-0123456789abcdef0'], policy: EndpointPolicy.allowTables(arns, actions) });
      arns.push(ARN);
      actions.push('dynamodb:PutItem');
    });
    expect(JSON.parse(String(blocks(r, 'aws_vpc_endpoint')[0].policy)).Statement[0].Action).toEqual(['dynamodb:PutItem']);
  });

  test('an empty route table list or a wildcard action is refused by name', () => {
    expect(() => synthResources((scope) => new DynamoDbGatewayEndpoint(scope, 'd', { namePrefix: 'n', region: 'us-east-1', vpcId: 'vpc-0123456789abcdef0', routeTableIds: [] }))).toThrow('routeTableIds: is empty');
    expect(() => endpoint(EndpointPolicy.allowTables([ARN], ['dynamodb:*']))).toThrow('endpointPolicy.actions: dynamodb:*');
  });
});
