import { createdByType, plannedOf } from '../support/plan';
import { describeWithTerraform, expectEndpointOnEveryPrivateRouteTable, planDeployStack } from '../support/terraform';

const existingVpc = {
  vpcId: 'vpc-0123456789abcdef0',
  privateSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
  privateRouteTableIds: ['rtb-0123456789abcdef0', 'rtb-0123456789abcdef1'],
};

describeWithTerraform('terraform init, validate and plan of NAT and adopted-VPC deploy stacks (offline)', (tool) => {
  test.each([
    ['single', 1],
    ['per-az', 2],
  ] as const)('NAT %s: %i gateway(s) and a default route in each private table', async (natMode, gateways) => {
    const { plan } = await planDeployStack(tool(), { natMode });
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

  test('adopted VPC: no network created, endpoint attached to exactly the given route tables', async () => {
    const { plan } = await planDeployStack(tool(), { existingVpc, accountId: '123456789012', functions: { enabled: false } });
    expect(createdByType(plan)).toEqual({
      aws_vpc_endpoint: 1,
      aws_cloudwatch_log_group: 1,
      aws_iam_role: 1,
      aws_iam_role_policy: 1,
      aws_flow_log: 1,
    });
    const [endpoint] = plannedOf(plan, 'aws_vpc_endpoint');
    expect(endpoint.after.vpc_id).toBe(existingVpc.vpcId);
    expect(endpoint.after.route_table_ids).toEqual(existingVpc.privateRouteTableIds);
  });

  test('adopted VPC with the functions: they run in the given subnets', async () => {
    const { plan } = await planDeployStack(tool(), { existingVpc, accountId: '123456789012', database: { enabled: false } });
    const functions = plannedOf(plan, 'aws_lambda_function');
    expect(functions).toHaveLength(2);
    for (const fn of functions) expect((fn.after.vpc_config as Array<{ subnet_ids: string[] }>)[0].subnet_ids).toEqual(existingVpc.privateSubnetIds);
    expect(createdByType(plan).aws_db_instance).toBeUndefined();
  });
});
