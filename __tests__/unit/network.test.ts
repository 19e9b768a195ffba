import { addressOf, onlyResource, resourceNamed, resourcesOf, synthDeploy } from '../support/synth';

describe('default deploy stack (new VPC, endpoint, no NAT, flow logs)', () => {
  const json = synthDeploy();

  test('creates one VPC with the default CIDR and DNS on', () => {
    const vpc = onlyResource(json, 'aws_vpc');
    expect(vpc.cidr_block).toBe('10.0.0.0/16');
    expect(vpc.enable_dns_support).toBe(true);
    expect(vpc.enable_dns_hostnames).toBe(true);
  });

  test('one private subnet and one route table per AZ, associated pairwise', () => {
    const subnet = onlyResource(json, 'aws_subnet');
    const table = onlyResource(json, 'aws_route_table');
    const association = onlyResource(json, 'aws_route_table_association');
    expect(subnet.count).toBe(2);
    expect(table.count).toBe(2);
    expect(association.count).toBe(2);
    expect(subnet.availability_zone).toBe('${element(["us-east-1a", "us-east-1b"], count.index)}');
    expect(subnet.cidr_block).toBe('${element(["10.0.0.0/20", "10.0.16.0/20"], count.index)}');
    expect(subnet.map_public_ip_on_launch).toBe(false);
    expect(association.subnet_id).toBe(`\${${addressOf(json, 'aws_subnet')}[count.index].id}`);
    expect(association.route_table_id).toBe(`\${${addressOf(json, 'aws_route_table')}[count.index].id}`);
  });

  test('every private route table is in both gateway endpoints\' route_table_ids (DynamoDB, and S3 since issue 20)', () => {
    const endpoints = Object.values(resourcesOf(json, 'aws_vpc_endpoint')) as Array<Record<string, unknown>>;
    expect(endpoints.map((e) => [e.service_name, e.vpc_endpoint_type]).sort()).toEqual([
      ['com.amazonaws.us-east-1.dynamodb', 'Gateway'],
      ['com.amazonaws.us-east-1.s3', 'Gateway'],
    ]);
    // A splat over the counted route table resource: every instance, whatever the AZ count.
    for (const endpoint of endpoints) expect(endpoint.route_table_ids).toBe(`\${${addressOf(json, 'aws_route_table')}[*].id}`);
  });

  test('no internet path: no 0.0.0.0/0 route, NAT, EIP or internet gateway', () => {
    expect(resourcesOf(json, 'aws_nat_gateway')).toEqual({});
    expect(resourcesOf(json, 'aws_eip')).toEqual({});
    expect(resourcesOf(json, 'aws_internet_gateway')).toEqual({});
    expect(resourcesOf(json, 'aws_route')).toEqual({});
    expect(JSON.stringify(json.resource)).not.toContain('0.0.0.0/0');
  });

  test('default security group of the created VPC has no rules', () => {
    const sg = onlyResource(json, 'aws_default_security_group');
    expect(sg.ingress).toEqual([]);
    expect(sg.egress).toEqual([]);
    expect(sg.vpc_id).toBe(`\${${addressOf(json, 'aws_vpc')}[0].id}`);
  });

  test('tags go through the provider default_tags', () => {
    const provider = (json.provider as { aws: Array<{ default_tags: Array<{ tags: Record<string, string> }> }> }).aws[0];
    expect(provider.default_tags[0].tags).toEqual({ Project: 'vpc-lambda-dynamodb', ManagedBy: 'terraform' });
  });
});

describe('NAT modes', () => {
  test.each([
    ['single', 1],
    ['per-az', 2],
  ] as const)('%s: %i NAT gateway(s), EIP(s), public subnet(s); one internet gateway; a default route per private table', (mode, gateways) => {
    const json = synthDeploy({ natMode: mode });
    expect(onlyResource(json, 'aws_nat_gateway').count).toBe(gateways);
    expect(onlyResource(json, 'aws_eip').count).toBe(gateways);
    expect(Object.values(resourcesOf(json, 'aws_subnet')).map((s) => s.count).sort()).toEqual([gateways, 2].sort());
    expect(onlyResource(json, 'aws_internet_gateway').count).toBe(1);
    const routes = resourcesOf(json, 'aws_route');
    const privateRoute = Object.entries(routes).find(([name]) => name.includes('private'))![1];
    expect(privateRoute.count).toBe(2);
    expect(privateRoute.destination_cidr_block).toBe('0.0.0.0/0');
    expect(String(privateRoute.nat_gateway_id)).toContain(`${addressOf(json, 'aws_nat_gateway')}[*].id`);
    expect(String(privateRoute.route_table_id)).toContain('aws_route_table.system_network_private_route_table[*].id');
  });

  test('per-az over three AZs creates three gateways', () => {
    const json = synthDeploy({ natMode: 'per-az', availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'] });
    expect(onlyResource(json, 'aws_nat_gateway').count).toBe(3);
  });
});

describe('adopting an existing VPC', () => {
  const existingVpc = {
    vpcId: 'vpc-0123456789abcdef0',
    privateSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
    privateRouteTableIds: ['rtb-0123456789abcdef0', 'rtb-0123456789abcdef1'],
  };
  const json = synthDeploy({ existingVpc, accountId: '123456789012' });

  test('creates no VPC, subnet, route table or default security group', () => {
    for (const type of ['aws_vpc', 'aws_subnet', 'aws_route_table', 'aws_route_table_association', 'aws_default_security_group']) {
      expect(resourcesOf(json, type)).toEqual({});
    }
  });

  test('attaches the endpoint to exactly the given route tables', () => {
    const endpoint = onlyResource(json, 'aws_vpc_endpoint');
    expect(endpoint.vpc_id).toBe(existingVpc.vpcId);
    expect(endpoint.route_table_ids).toEqual(existingVpc.privateRouteTableIds);
  });

  test('flow logs cover the adopted VPC, trust scoped to the given account', () => {
    const flowLog = onlyResource(json, 'aws_flow_log');
    expect(flowLog.vpc_id).toBe(existingVpc.vpcId);
    const trust = JSON.parse(String(resourceNamed(json, 'aws_iam_role', 'system_flow_logs_role').assume_role_policy));
    expect(trust.Statement[0].Condition.StringEquals).toEqual({ 'aws:SourceAccount': '123456789012' });
  });
});
