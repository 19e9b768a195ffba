import { Testing } from 'cdktf';
import { ConfigError } from '../../modules/config-error';
import { DeployConfigInput } from '../../modules/deploy-config';
import { PlainIdStack } from '../../modules/plain-id-stack';
import { VpcLambdaDynamoDb } from '../../modules/vpc-lambda-dynamodb';
import { synthDeploy } from '../support/synth';

const existingVpc = {
  vpcId: 'vpc-0123456789abcdef0',
  privateSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
  privateRouteTableIds: ['rtb-0123456789abcdef0'],
};

/** Each bad configuration, the input its error must name, and the words that say what is allowed. */
const cases: Array<[string, DeployConfigInput, string]> = [
  ['CIDR that is not a CIDR', { vpcCidr: '10.0.0/16' }, 'vpcCidr: "10.0.0/16" is not an IPv4 CIDR block; expected a form like 10.0.0.0/16'],
  ['CIDR with an octet over 255', { vpcCidr: '10.0.300.0/16' }, 'vpcCidr: "10.0.300.0/16" is not an IPv4 CIDR block'],
  ['CIDR with host bits set', { vpcCidr: '10.0.1.0/16' }, 'vpcCidr: "10.0.1.0/16" has host bits set; the network address of that block is 10.0.0.0/16'],
  ['VPC prefix too large a block', { vpcCidr: '10.0.0.0/8' }, 'vpcCidr: "10.0.0.0/8" has prefix /8; allowed /16 to /24'],
  ['VPC prefix too small a block', { vpcCidr: '10.0.0.0/26' }, 'vpcCidr: "10.0.0.0/26" has prefix /26; allowed /16 to /24'],
  ['subnet outside the VPC', { privateSubnetCidrs: ['10.0.0.0/20', '10.1.0.0/20'] }, 'privateSubnetCidrs[1]: 10.1.0.0/20 is outside the VPC 10.0.0.0/16'],
  ['subnets overlapping each other', { privateSubnetCidrs: ['10.0.0.0/20', '10.0.8.0/21'] }, 'privateSubnetCidrs: 10.0.8.0/21 overlaps 10.0.0.0/20 (privateSubnetCidrs); subnets must not share addresses'],
  ['public subnet overlapping a private one', { publicSubnetCidrs: ['10.0.0.0/24', '10.0.200.0/24'] }, 'publicSubnetCidrs: 10.0.0.0/24 overlaps 10.0.0.0/20 (privateSubnetCidrs)'],
  ['one subnet CIDR for two AZs', { privateSubnetCidrs: ['10.0.0.0/20'] }, 'privateSubnetCidrs: has 1 blocks but there are 2 availability zones; give one per zone'],
  ['subnet smaller than /28', { privateSubnetCidrs: ['10.0.0.0/29', '10.0.0.16/29'] }, 'privateSubnetCidrs[0]: 10.0.0.0/29 is smaller than /28'],
  ['fewer than two AZs', { availabilityZones: ['us-east-1a'] }, 'availabilityZones: needs 2 to 6 availability zones, got 1'],
  ['more than six AZs', { availabilityZones: ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((z) => `us-east-1${z}`) }, 'availabilityZones: needs 2 to 6 availability zones, got 7'],
  ['the same AZ twice', { availabilityZones: ['us-east-1a', 'us-east-1a'] }, 'availabilityZones: lists a zone twice'],
  ['AZ outside the region', { availabilityZones: ['us-east-1a', 'us-west-2b'] }, 'availabilityZones: us-west-2b is not in region us-east-1; expected names like us-east-1a, us-east-1b'],
  ['unknown NAT mode', { natMode: 'gateway' as never }, 'natMode: Invalid option: expected one of "none"|"single"|"per-az"'],
  ['retention CloudWatch does not accept', { flowLogs: { retentionInDays: 45 } }, 'flowLogs.retentionInDays: 45 days is not a CloudWatch Logs retention; allowed: 1, 3, 5, 7, 14, 30, 60'],
  ['retention 0 (never expire)', { flowLogs: { retentionInDays: 0 } }, 'flowLogs.retentionInDays: 0 days is not a CloudWatch Logs retention'],
  ['existing VPC with no route tables', { existingVpc: { ...existingVpc, privateRouteTableIds: [] }, accountId: '123456789012' }, 'existingVpc.privateRouteTableIds: is empty; give the route table of every private subnet'],
  ['existing VPC id that is not one', { existingVpc: { ...existingVpc, vpcId: 'vpc-xyz' }, accountId: '123456789012' }, 'existingVpc.vpcId: "vpc-xyz" is not a VPC id'],
  ['existing VPC with one subnet', { existingVpc: { ...existingVpc, privateSubnetIds: ['subnet-0123456789abcdef0'] }, accountId: '123456789012' }, 'existingVpc.privateSubnetIds: needs at least 2 private subnets'],
  ['NAT on an adopted VPC', { existingVpc, natMode: 'single', accountId: '123456789012' }, 'natMode: "single" needs a VPC this module creates'],
  ['adopted VPC with flow logs and no account id', { existingVpc }, 'accountId: is required when flow logs are on and the VPC is adopted'],
  ['account id that is not 12 digits', { existingVpc, accountId: '1234' }, 'accountId: "1234" is not a 12-digit AWS account id'],
  ['region that is not a region', { region: 'us-east', availabilityZones: ['us-easta', 'us-eastb'] }, 'region: "us-east" is not an AWS region name like us-east-1'],
  ['name prefix with capitals', { namePrefix: 'MyApp' }, 'namePrefix: "MyApp" must be 2 to 32 characters of lowercase letters'],
  ['unknown configuration key', { natGateways: 1 } as never, 'config: Unrecognized key: "natGateways"'],
  ['wrong type', { availabilityZones: 'us-east-1a' as never }, 'availabilityZones: Invalid input: expected array, received string'],
];

describe('bad input is refused at synth with a message naming the input', () => {
  test.each(cases)('%s', (_name, config, message) => {
    let caught: unknown;
    try {
      synthDeploy(config);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as Error).message).toContain(message);
  });

  test('an unknown NAT mode is refused by the construct itself, not only by the config schema', () => {
    const stack = new PlainIdStack(Testing.app(), 'test');
    expect(
      () => new VpcLambdaDynamoDb(stack, 'system', { region: 'us-east-1', availabilityZones: ['us-east-1a', 'us-east-1b'], natMode: 'gateway' as never }),
    ).toThrow('natMode: "gateway" is not a NAT mode; allowed: none, single, per-az');
  });
});
