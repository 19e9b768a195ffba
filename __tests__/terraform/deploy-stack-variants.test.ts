import { createdByType, plannedOf } from '../support/plan';
import { describeWithTerraform, expectEndpointOnEveryPrivateRouteTable, planDeployStack } from '../support/terraform';

const existingVpc = {
  vpcId: 'vpc-0123456789abcdef0',
  privateSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
  privateRouteTableIds: ['rtb-0123456789abcdef0', 'rtb-0123456789abcdef1'],
};

describeWithTerraform('terraform init, validate and plan of NAT and adopted-VPC deploy stacks (offline)', (tool) => {
  // NAT single is planned through the published module (module-variables, examples/with-nat);
  // per-az here covers the deploy stack's literal NAT path, one gateway and route per AZ.
  test.each([['per-az', 2]] as const)('NAT %s: %i gateway(s) and a default route in each private table', async (natMode, gateways) => {
    const { plan } = await planDeployStack(tool(), { natMode }, { validate: false });
    const created = createdByType(plan);
    expect(created.aws_nat_gateway).toBe(gateways);
    expect(created.aws_eip).toBe(gateways);
    expect(created.aws_internet_gateway).toBe(1);
    expect(created.aws_subnet).toBe(2 + gateways);
    const defaultRoutes = plannedOf(plan, 'aws_route').filter((r) => r.address.includes('private_nat_route'));
    expect(defaultRoutes).toHaveLength(2);
    for (const r of defaultRoutes) expect(r.after.destination_cidr_block).toBe('0.0.0.0/0');
    expectEndpointOnEveryPrivateRouteTable(plan);
  });

  test('adopted VPC: no network created, endpoint on exactly the given route tables, functions in the given subnets', async () => {
    const { plan } = await planDeployStack(tool(), { existingVpc, accountId: '123456789012', database: { enabled: false } });
    const created = createdByType(plan);
    for (const type of ['aws_vpc', 'aws_subnet', 'aws_route_table', 'aws_route', 'aws_internet_gateway', 'aws_nat_gateway', 'aws_db_instance']) {
      expect([type, created[type]]).toEqual([type, undefined]);
    }
    const [endpoint] = plannedOf(plan, 'aws_vpc_endpoint');
    expect(endpoint.after.vpc_id).toBe(existingVpc.vpcId);
    expect(endpoint.after.route_table_ids).toEqual(existingVpc.privateRouteTableIds);
    const functions = plannedOf(plan, 'aws_lambda_function');
    expect(functions).toHaveLength(2);
    for (const fn of functions) expect((fn.after.vpc_config as Array<{ subnet_ids: string[] }>)[0].subnet_ids).toEqual(existingVpc.privateSubnetIds);
    expect(created.aws_flow_log).toBe(1);
  });
});
