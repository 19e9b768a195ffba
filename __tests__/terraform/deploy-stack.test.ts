import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fmtCheck, PlanJson } from '../../scripts/terraform-offline';
import { createdByType, plannedOf } from '../support/plan';
import { describeWithTerraform, expectEndpointOnEveryPrivateRouteTable, expectOk, planDeployStack } from '../support/terraform';

describeWithTerraform('terraform init, validate and plan of the default deploy stack (offline)', (tool) => {
  let jsonPlan: PlanJson;

  beforeAll(async () => {
    jsonPlan = (await planDeployStack(tool(), {})).plan;
  });

  test('default: VPC, 2 private subnets and route tables, endpoint on both, flow logs, no NAT', () => {
    expect(createdByType(jsonPlan)).toEqual({
      aws_vpc: 1,
      aws_default_security_group: 1,
      aws_subnet: 2,
      aws_route_table: 2,
      aws_route_table_association: 2,
      aws_vpc_endpoint: 1,
      aws_cloudwatch_log_group: 1,
      aws_iam_role: 1,
      aws_iam_role_policy: 1,
      aws_flow_log: 1,
    });
    expectEndpointOnEveryPrivateRouteTable(jsonPlan);
    const [flowLog] = plannedOf(jsonPlan, 'aws_flow_log');
    expect(flowLog.after.traffic_type).toBe('ALL');
    const subnets = plannedOf(jsonPlan, 'aws_subnet').map((s) => [s.after.availability_zone, s.after.cidr_block]);
    expect(subnets).toEqual([
      ['us-east-1a', '10.0.0.0/20'],
      ['us-east-1b', '10.0.16.0/20'],
    ]);
  });

  test('the HCL output is fmt-clean, validates and plans the same resources', async () => {
    const { plan, dir } = await planDeployStack(tool(), {}, true);
    expect(readFileSync(join(dir, 'cdk.tf'), 'utf8')).toContain('resource "aws_vpc_endpoint" "system_dynamodb_endpoint"');
    expectOk(fmtCheck(tool(), dir), 'terraform fmt -check');
    expect(createdByType(plan)).toEqual(createdByType(jsonPlan));
    expectEndpointOnEveryPrivateRouteTable(plan);
  });
});
