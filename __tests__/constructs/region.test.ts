import { TerraformVariable, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DynamoDbGatewayEndpoint } from '../../modules/constructs/dynamodb-gateway-endpoint';
import { Network } from '../../modules/constructs/network';
import { VpcLambdaDynamoDb } from '../../modules/constructs/vpc-lambda-dynamodb';

interface Synth {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  locals?: Record<string, unknown>;
}

/** Testing.synthScope's JSON, path hashes dropped from logical ids. */
function synth(build: (scope: Construct) => void): Synth {
  return JSON.parse(Testing.synthScope(build).replace(/_[0-9A-F]{8}\b/g, '')) as Synth;
}

const one = (json: Synth, type: string) => Object.values(json.resource?.[type] ?? {})[0];
const all = (json: Synth, type: string) => Object.values(json.resource?.[type] ?? {});

describe('region and zones from the stack\'s AWS provider', () => {
  test('no region prop: the provider\'s eu-west-1 names the DynamoDB service and the flow-log trust', () => {
    const json = synth((scope) => {
      new AwsProvider(scope, 'aws', { region: 'eu-west-1' });
      new VpcLambdaDynamoDb(scope, 'system', { availabilityZones: ['eu-west-1a', 'eu-west-1b'], accountId: '123456789012' });
    });
    expect(one(json, 'aws_vpc_endpoint').service_name).toBe('com.amazonaws.eu-west-1.dynamodb');
    expect(String(one(json, 'aws_iam_role').assume_role_policy)).toContain(':ec2:eu-west-1:');
    expect(all(json, 'aws_subnet')[0].availability_zone).toContain('eu-west-1a');
    // A literal region needs no data source.
    expect(json.data?.aws_region).toBeUndefined();
  });

  test('a region prop other than the provider\'s is refused at synth, naming the prop', () => {
    expect(() =>
      synth((scope) => {
        new AwsProvider(scope, 'aws', { region: 'eu-west-1' });
        new VpcLambdaDynamoDb(scope, 'system', { region: 'us-east-1', availabilityZones: ['us-east-1a', 'us-east-1b'] });
      }),
    ).toThrow('region: "us-east-1" but the stack\'s AWS provider is in eu-west-1; leave region out (it is read from the provider) or give the provider\'s region');
    expect(() =>
      synth((scope) => {
        new AwsProvider(scope, 'aws', { region: 'eu-west-1' });
        new DynamoDbGatewayEndpoint(scope, 'dynamodb', { namePrefix: 'n', region: 'us-west-2', vpcId: 'vpc-1', routeTableIds: ['rtb-1'] });
      }),
    ).toThrow('region: "us-west-2" but the stack\'s AWS provider is in eu-west-1');
  });

  test('a provider added after the construct is checked at synth too', () => {
    expect(() =>
      synth((scope) => {
        new Network(scope, 'network', { namePrefix: 'n', region: 'us-east-1', availabilityZones: ['us-east-1a', 'us-east-1b'] });
        new AwsProvider(scope, 'aws', { region: 'ap-southeast-1' });
      }),
    ).toThrow('region: "us-east-1" but the stack\'s AWS provider is in ap-southeast-1');
  });

  test('the same region as the provider, given or not, synthesizes the same', () => {
    const build = (region?: string) => (scope: Construct) => {
      new AwsProvider(scope, 'aws', { region: 'eu-west-1' });
      new VpcLambdaDynamoDb(scope, 'system', { region, availabilityZones: ['eu-west-1a', 'eu-west-1b'], accountId: '123456789012' });
    };
    expect(synth(build('eu-west-1'))).toEqual(synth(build(undefined)));
  });

  test('a zone of another region is refused naming availabilityZones, with the provider\'s region', () => {
    expect(() =>
      synth((scope) => {
        new AwsProvider(scope, 'aws', { region: 'eu-west-1' });
        new VpcLambdaDynamoDb(scope, 'system', { availabilityZones: ['eu-west-1a', 'us-east-1b'] });
      }),
    ).toThrow('availabilityZones: us-east-1b is not in region eu-west-1; expected names like eu-west-1a, eu-west-1b');
  });

  test('a provider whose region is not a literal: data "aws_region" names the service (region read through try, for aws 5 and 6)', () => {
    const json = synth((scope) => {
      new AwsProvider(scope, 'aws', { region: new TerraformVariable(scope, 'region', { type: 'string' }).stringValue });
      new DynamoDbGatewayEndpoint(scope, 'dynamodb', { namePrefix: 'n', vpcId: 'vpc-1', routeTableIds: ['rtb-1'] });
    });
    expect(Object.keys(json.data?.aws_region ?? {})).toEqual(['aws_region']);
    expect(json.locals).toEqual({
      aws_region_attributes: '${data.aws_region.aws_region}',
      aws_region_name: '${try(local.aws_region_attributes.region, local.aws_region_attributes.name)}',
    });
    expect(one(json, 'aws_vpc_endpoint').service_name).toBe('com.amazonaws.${local.aws_region_name}.dynamodb');
  });

  test('no zones: the region\'s first maxAzs zones by name from data "aws_availability_zones" (standard zones only)', () => {
    const json = synth((scope) => {
      new AwsProvider(scope, 'aws', { region: 'eu-west-1' });
      new Network(scope, 'network', { namePrefix: 'n', maxAzs: 3 });
    });
    expect(json.data?.aws_availability_zones?.aws_availability_zones).toEqual({
      filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }],
      state: 'available',
    });
    expect(one(json, 'aws_subnet').count).toBe(
      '${length(slice(sort(data.aws_availability_zones.aws_availability_zones.names), 0, min(3, length(sort(data.aws_availability_zones.aws_availability_zones.names)))))}',
    );
  });

  test('maxAzs outside 2 to 6 and a malformed region are refused naming the prop', () => {
    expect(() => synth((scope) => new Network(scope, 'network', { namePrefix: 'n', maxAzs: 7 }))).toThrow('maxAzs: 7 is not a whole number from 2 to 6');
    expect(() => synth((scope) => new Network(scope, 'network', { namePrefix: 'n', region: 'eu-west', availabilityZones: ['eu-westa', 'eu-westb'] }))).toThrow(
      'region: "eu-west" is not an AWS region name like us-east-1',
    );
  });
});
