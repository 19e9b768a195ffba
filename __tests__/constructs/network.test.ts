import { Network } from '../../modules/constructs/network';
import { NatGateways } from '../../modules/constructs/nat-gateways';
import { blocks, synthResources } from './support';

const base = { namePrefix: 'net', region: 'us-east-1', availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'] };

describe('Network', () => {
  test('a created VPC: one private subnet and route table per AZ, derived CIDRs, no internet route, default SG emptied', () => {
    const r = synthResources((scope) => new Network(scope, 'network', base));
    expect(blocks(r, 'aws_vpc')).toHaveLength(1);
    expect(blocks(r, 'aws_subnet')[0]).toMatchObject({ count: 3, map_public_ip_on_launch: false });
    expect(blocks(r, 'aws_route_table')[0]).toMatchObject({ count: 3 });
    expect(r.aws_route).toBeUndefined();
    expect(blocks(r, 'aws_default_security_group')[0].ingress).toEqual([]);
  });

  test('an adopted VPC creates no VPC, subnet or route table', () => {
    const r = synthResources(
      (scope) =>
        new Network(scope, 'network', {
          ...base,
          existingVpc: { vpcId: 'vpc-0123456789abcdef0', privateSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'], privateRouteTableIds: ['rtb-0123456789abcdef0'] },
        }),
    );
    for (const type of ['aws_vpc', 'aws_subnet', 'aws_route_table']) expect([type, r[type]]).toEqual([type, undefined]);
  });

  test('bad CIDRs are refused naming the input', () => {
    expect(() => synthResources((scope) => new Network(scope, 'network', { ...base, vpcCidr: '10.0.1.0/16' }))).toThrow('vpcCidr: "10.0.1.0/16" has host bits set');
  });
});

describe('NatGateways', () => {
  test('none creates nothing; single one gateway; per-az one per zone, each private table routed to its own', () => {
    const count = (mode: 'none' | 'single' | 'per-az') =>
      synthResources((scope) => new NatGateways(scope, 'nat', { namePrefix: 'net', mode, network: new Network(scope, 'network', base) }));
    expect(count('none').aws_nat_gateway).toBeUndefined();
    expect(blocks(count('single'), 'aws_nat_gateway')[0].count).toBe(1);
    expect(blocks(count('per-az'), 'aws_nat_gateway')[0].count).toBe(3);
  });
});
