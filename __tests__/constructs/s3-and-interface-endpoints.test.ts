import { Testing } from 'cdktf';
import { Construct } from 'constructs';
import { FunctionCode } from '../../modules/constructs/function-code';
import { EndpointPolicy } from '../../modules/constructs/endpoint-policy';
import { InterfaceEndpoints } from '../../modules/constructs/interface-endpoints';
import { S3GatewayEndpoint } from '../../modules/constructs/s3-gateway-endpoint';
import { VpcFunction } from '../../modules/constructs/vpc-function';
import { FunctionSettings, VpcLambdaDynamoDb, VpcLambdaDynamoDbProps } from '../../modules/constructs/vpc-lambda-dynamodb';
import { ConfigError } from '../../modules/private/config-error';
import { testBundles } from '../support/synth';
import { blocks, functionProps, synthResources, testNetwork } from './support';

type Blocks = Record<string, Record<string, unknown>>;
type Statement = { Sid?: string; Effect: string; Principal?: string; Action: string[]; Resource: string[] | string };

const UPLOADS = 'arn:aws:s3:::orders-uploads';
const REPORTS = 'arn:aws:s3:::orders-reports';
const existingVpc = { vpcId: 'vpc-0123456789abcdef0', privateSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'], privateRouteTableIds: ['rtb-0123456789abcdef0'] };

function synth(props: Partial<VpcLambdaDynamoDbProps>, after?: (system: VpcLambdaDynamoDb) => void): Record<string, Blocks> {
  const text = Testing.synthScope((scope) => {
    const system = new VpcLambdaDynamoDb(scope, 'orders', { namePrefix: 'orders-dev', region: 'us-east-1', availabilityZones: ['us-east-1a', 'us-east-1b'], ...props });
    after?.(system);
  });
  return JSON.parse(text.replace(/_[0-9A-F]{8}\b/g, '')).resource;
}
const fn = (extra: Partial<FunctionSettings> = {}): FunctionSettings => ({ code: FunctionCode.fromBundleDir(testBundles().products), ...extra });
const statementsOf = (policy: unknown) => (JSON.parse(String(policy)) as { Statement: Statement[] }).Statement;
const endpointFor = (r: Record<string, Blocks>, service: string) => Object.values(r.aws_vpc_endpoint ?? {}).find((e) => String(e.service_name).endsWith(`.${service}`));
const rolePolicies = (r: Record<string, Blocks>, fnName: string) =>
  Object.values(r.aws_iam_role_policy).filter((p) => p.name === 'least-privilege' && String(p.role).includes(`_${fnName}_role`)).flatMap((p) => statementsOf(p.policy));
const egressOf = (r: Record<string, Blocks>, fnName: string) => Object.entries(r.aws_vpc_security_group_egress_rule ?? {}).filter(([, rule]) => rule.security_group_id === `\${aws_security_group.orders_${fnName}_security_group.id}`);

describe('S3GatewayEndpoint', () => {
  const endpoint = (extra: Partial<ConstructorParameters<typeof S3GatewayEndpoint>[2]> = {}) =>
    blocks(synthResources((s) => new S3GatewayEndpoint(s, 's3', { namePrefix: 'n', region: 'eu-west-1', vpcId: 'vpc-0123456789abcdef0', routeTableIds: ['rtb-0123456789abcdef0'], ...extra })), 'aws_vpc_endpoint');

  test("a Gateway endpoint for the region's S3 on the given route tables, AWS's default policy unless given", () => {
    expect(endpoint()).toEqual([expect.objectContaining({ service_name: 'com.amazonaws.eu-west-1.s3', vpc_endpoint_type: 'Gateway', route_table_ids: ['rtb-0123456789abcdef0'] })]);
    expect(endpoint()[0].policy).toBeUndefined();
    expect(endpoint({ policy: EndpointPolicy.fromDocument('{"Statement":[]}') })[0].policy).toBe('{"Statement":[]}');
  });

  test('enabled false creates nothing; no route tables and unknown props are refused by name', () => {
    expect(endpoint({ enabled: false })).toEqual([]);
    expect(() => endpoint({ routeTableIds: [] })).toThrow(new ConfigError('routeTableIds', 'is empty; the endpoint must be attached to every private route table'));
    expect(() => endpoint({ routeTables: [] } as never)).toThrow('routeTables: not a prop of S3GatewayEndpointProps; did you mean routeTableIds?');
  });

  test('grantBucketAccess: the role gets exactly the grant, the group 443 to the S3 prefix list, once', () => {
    const r = synthResources((s) => {
      const network = testNetwork(s);
      const s3 = new S3GatewayEndpoint(s, 's3', { namePrefix: 'n', region: 'us-east-1', vpcId: network.vpcId, routeTableIds: network.privateRouteTableIds });
      const f = new VpcFunction(s, 'api', functionProps(network));
      s3.grantBucketAccess(f, UPLOADS, ['s3:GetObject', 's3:ListBucket']);
      s3.grantBucketAccess(f, REPORTS, ['s3:PutObject']);
      expect(f.bucketAccess).toEqual([
        { bucketArn: UPLOADS, actions: ['s3:GetObject', 's3:ListBucket'] },
        { bucketArn: REPORTS, actions: ['s3:PutObject'] },
      ]);
    });
    const statements = statementsOf(blocks(r, 'aws_iam_role_policy')[0].policy).filter((st) => st.Action.some((a) => a.startsWith('s3:')));
    expect(statements).toEqual([
      { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [UPLOADS] },
      { Effect: 'Allow', Action: ['s3:GetObject'], Resource: [`${UPLOADS}/*`] },
      { Effect: 'Allow', Action: ['s3:PutObject'], Resource: [`${REPORTS}/*`] },
    ]);
    const s3Rules = blocks(r, 'aws_vpc_security_group_egress_rule').filter((e) => String(e.prefix_list_id).includes('aws_vpc_endpoint.s3_endpoint'));
    expect(s3Rules).toEqual([expect.objectContaining({ from_port: 443, to_port: 443, ip_protocol: 'tcp', prefix_list_id: '${aws_vpc_endpoint.s3_endpoint.prefix_list_id}' })]);
  });
});

describe('VpcFunction.addBucketAccess refuses what it cannot grant, naming the function and the bucket', () => {
  test.each<[string, string, string[], string]>([
    ['an object ARN', `${UPLOADS}/*`, ['s3:GetObject'], `functions.api.bucketAccess.${UPLOADS}/*: "${UPLOADS}/*" is not an S3 bucket ARN (arn:aws:s3:::<bucket>; no object path, no wildcard)`],
    ['a table ARN', 'arn:aws:dynamodb:us-east-1:123456789012:table/orders', ['s3:GetObject'], 'functions.api.bucketAccess.arn:aws:dynamodb:us-east-1:123456789012:table/orders: "arn:aws:dynamodb:us-east-1:123456789012:table/orders" is not an S3 bucket ARN'],
    ['no action', UPLOADS, [], `functions.api.bucketAccess.${UPLOADS}: lists no action; name the S3 actions the function uses`],
    ['a wildcard', UPLOADS, ['s3:*'], `functions.api.bucketAccess.${UPLOADS}: s3:* not allowed; name actions from s3:ListBucket`],
    ['a configuration action', UPLOADS, ['s3:GetObject', 's3:PutBucketPolicy'], `functions.api.bucketAccess.${UPLOADS}: s3:PutBucketPolicy not allowed`],
  ])('%s', (_what, arn, actions, message) => {
    expect(() => Testing.synthScope((s) => new VpcFunction(s, 'api', functionProps(testNetwork(s))).addBucketAccess(arn, actions as never))).toThrow(message);
  });
});

describe('InterfaceEndpoints', () => {
  const build = (services: string[], sources: string[] = []) =>
    synthResources((s: Construct) => {
      const e = new InterfaceEndpoints(s, 'endpoints', { namePrefix: 'n', region: 'us-east-1', vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'], services });
      for (const id of sources) e.allowFrom(id, `sg-${id}`);
    });

  test('one Interface endpoint per service, private DNS, every subnet, one shared group; 443 only from the named groups', () => {
    const r = build(['secretsmanager', 'sqs'], ['api', 'worker', 'api']);
    expect(blocks(r, 'aws_vpc_endpoint').map((e) => [e.service_name, e.vpc_endpoint_type, e.private_dns_enabled, e.subnet_ids])).toEqual([
      ['com.amazonaws.us-east-1.secretsmanager', 'Interface', true, ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1']],
      ['com.amazonaws.us-east-1.sqs', 'Interface', true, ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1']],
    ]);
    expect(blocks(r, 'aws_security_group')).toEqual([expect.objectContaining({ name: 'n-endpoints' })]);
    expect(blocks(r, 'aws_security_group')[0]).not.toHaveProperty('ingress');
    expect(blocks(r, 'aws_vpc_security_group_ingress_rule').map((i) => [i.referenced_security_group_id, i.from_port, i.to_port, i.cidr_ipv4])).toEqual([
      ['sg-api', 443, 443, undefined],
      ['sg-worker', 443, 443, undefined],
    ]);
    expect(blocks(r, 'aws_vpc_security_group_egress_rule').map((e) => [e.security_group_id, e.from_port])).toEqual([
      ['sg-api', 443],
      ['sg-worker', 443],
    ]);
  });

  test.each<[string, string[], string]>([
    ['a misspelt service', ['secretmanager'], 'services.secretmanager: is not a known interface endpoint service; allowed: secretsmanager, sqs'],
    ['a gateway service', ['s3'], 'services.s3: has a free gateway endpoint (s3GatewayEndpoint); an interface endpoint would add an hourly charge'],
    ['a service twice', ['sqs', 'kms', 'sqs'], 'services.sqs: is listed twice; one endpoint per service'],
    ['none', [], 'services: is empty'],
  ])('refuses %s by name', (_what, services, message) => {
    expect(() => build(services)).toThrow(message);
  });
});

describe('VpcLambdaDynamoDb: S3 endpoint, bucket access and interface endpoints', () => {
  test('by default: the S3 gateway endpoint on the private route tables, a policy that allows nothing, no S3 egress', () => {
    const r = synth({ functions: { api: fn() } });
    const s3 = endpointFor(r, 's3')!;
    expect(s3).toMatchObject({ service_name: 'com.amazonaws.us-east-1.s3', vpc_endpoint_type: 'Gateway', route_table_ids: endpointFor(r, 'dynamodb')!.route_table_ids });
    expect(statementsOf(s3.policy)).toEqual([{ Sid: 'NoBucketAccessDeclared', Effect: 'Deny', Principal: '*', Action: ['s3:*'], Resource: ['*'] }]);
    expect(egressOf(r, 'api').map(([, e]) => e.description)).toEqual(['HTTPS to DynamoDB through the gateway endpoint']);
    expect(r.aws_security_group).not.toHaveProperty('orders_interface_endpoints_security_group');
  });

  test('bucketAccess: exact role grants, 443 to the S3 prefix list for that function only, the endpoint policy the union', () => {
    const r = synth({
      functions: {
        api: fn({ bucketAccess: { [UPLOADS]: ['s3:GetObject', 's3:ListBucket', 's3:PutObject'] } }),
        worker: fn({ bucketAccess: { [REPORTS]: ['s3:GetObject'] } }),
        plain: fn(),
      },
    });
    expect(rolePolicies(r, 'api').filter((s) => s.Action.some((a) => a.startsWith('s3:')))).toEqual([
      { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [UPLOADS] },
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: [`${UPLOADS}/*`] },
    ]);
    expect(rolePolicies(r, 'plain').filter((s) => s.Action.some((a) => a.startsWith('s3:')))).toEqual([]);
    for (const [name, expected] of [['api', 1], ['worker', 1], ['plain', 0]] as const) {
      expect([name, egressOf(r, name).filter(([, e]) => String(e.prefix_list_id).includes('aws_vpc_endpoint.orders_s3_endpoint')).length]).toEqual([name, expected]);
    }
    expect(statementsOf(endpointFor(r, 's3')!.policy)).toEqual([
      { Sid: 'SystemBucketsOnly', Effect: 'Allow', Principal: '*', Action: ['s3:GetObject', 's3:ListBucket', 's3:PutObject'], Resource: [UPLOADS, `${UPLOADS}/*`, REPORTS, `${REPORTS}/*`] },
    ]);
    // The DynamoDB endpoint is not touched by bucket grants.
    expect(statementsOf(endpointFor(r, 'dynamodb')!.policy)[0].Action).toEqual(['dynamodb:*']);
  });

  test('a grant made after construction lands in the S3 endpoint policy too', () => {
    const r = synth({ functions: { api: fn() } }, (system) => system.s3Endpoint!.grantBucketAccess(system.function('api'), REPORTS, ['s3:GetObject']));
    expect(statementsOf(endpointFor(r, 's3')!.policy)[0]).toMatchObject({ Effect: 'Allow', Action: ['s3:GetObject'], Resource: [REPORTS, `${REPORTS}/*`] });
  });

  test("endpointPolicy open: both gateway endpoints keep AWS's default; s3GatewayEndpoint false: no S3 endpoint", () => {
    const open = synth({ endpointPolicy: 'open', functions: { api: fn({ bucketAccess: { [UPLOADS]: ['s3:GetObject'] } }) } });
    expect(endpointFor(open, 's3')!.policy).toBeUndefined();
    expect(endpointFor(synth({ s3GatewayEndpoint: false }), 's3')).toBeUndefined();
  });

  test('an adopted VPC gets no S3 endpoint unless asked (other workloads share its route tables); asked, it is attached', () => {
    expect(endpointFor(synth({ existingVpc, accountId: '123456789012' }), 's3')).toBeUndefined();
    expect(endpointFor(synth({ existingVpc, accountId: '123456789012', s3GatewayEndpoint: true }), 's3')).toMatchObject({ route_table_ids: ['rtb-0123456789abcdef0'] });
  });

  test('interfaceEndpoints: one group <namePrefix>-endpoints, 443 from each function group, each function 443 out to it', () => {
    const r = synth({ interfaceEndpoints: ['secretsmanager'], functions: { api: fn(), worker: fn() } });
    expect(endpointFor(r, 'secretsmanager')).toMatchObject({ vpc_endpoint_type: 'Interface', private_dns_enabled: true });
    const group = '${aws_security_group.orders_interface_endpoints_security_group.id}';
    expect(Object.values(r.aws_vpc_security_group_ingress_rule).filter((i) => i.security_group_id === group).map((i) => i.referenced_security_group_id)).toEqual([
      '${aws_security_group.orders_api_security_group.id}',
      '${aws_security_group.orders_worker_security_group.id}',
    ]);
    for (const name of ['api', 'worker']) expect(egressOf(r, name).filter(([, e]) => e.referenced_security_group_id === group)).toHaveLength(1);
  });

  test.each<[string, Partial<VpcLambdaDynamoDbProps>, string]>([
    ['an unknown interface endpoint service', { interfaceEndpoints: ['secretmanager'] }, 'interfaceEndpoints.secretmanager: is not a known interface endpoint service'],
    ['a repeated interface endpoint service', { interfaceEndpoints: ['sqs', 'sqs'] }, 'interfaceEndpoints.sqs: is listed twice'],
    ['s3GatewayEndpoint not a boolean', { s3GatewayEndpoint: 'yes' as never }, 's3GatewayEndpoint: expected true or false, got "yes"'],
    ['bucket access with an object ARN', { functions: { api: fn({ bucketAccess: { [`${UPLOADS}/*`]: ['s3:GetObject'] } }) } }, `functions.api.bucketAccess.${UPLOADS}/*: "${UPLOADS}/*" is not an S3 bucket ARN`],
    ['bucket access with a wildcard', { functions: { api: fn({ bucketAccess: { [UPLOADS]: ['s3:Get*' as never] } }) } }, `functions.api.bucketAccess.${UPLOADS}: s3:Get* not allowed`],
    ['bucket access with no path to S3', { s3GatewayEndpoint: false, functions: { api: fn({ bucketAccess: { [UPLOADS]: ['s3:GetObject'] } }) } }, 'functions.api.bucketAccess: needs a path to S3'],
    ['a misspelt function prop', { functions: { api: { ...fn(), bucketAcess: {} } as never } }, 'functions.api.bucketAcess: not a prop of FunctionSettings; did you mean bucketAccess?'],
    ['a misspelt system prop', { interfaceEndpoint: ['sqs'] } as never, 'interfaceEndpoint: not a prop of VpcLambdaDynamoDbProps; did you mean interfaceEndpoints?'],
  ])('refuses %s by name at construction', (_what, props, message) => {
    expect(() => synth(props)).toThrow(ConfigError);
    expect(() => synth(props)).toThrow(message);
  });
});
