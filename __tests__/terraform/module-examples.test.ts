import { join } from 'node:path';
import { allFindings, analyze } from '../../analysis/analyze';
import { graphFromPlan, PlanInput } from '../../analysis/terraform-graph';
import { init, planJson, PlanJson, terraform, writeOfflineProviderOverride } from '../../scripts/terraform-offline';
import { createdByType, plannedOf } from '../support/plan';
import { publishedModule } from '../support/synth';
import { describeWithTerraform, expectOk } from '../support/terraform';

/**
 * The published module's examples, planned by real Terraform from their own folders inside
 * the module (`source = "../.."`), exactly as a registry user would run them; an override
 * file adds dummy credentials so nothing calls AWS.
 */
describeWithTerraform('published module examples: init, validate and plan from their own folders (offline)', (tool) => {
  let moduleDir: string;
  beforeAll(async () => {
    moduleDir = await publishedModule();
  });

  function planExample(name: string): PlanJson {
    const dir = join(moduleDir, 'examples', name);
    writeOfflineProviderOverride(dir, { backend: false });
    expectOk(init(tool(), dir), `terraform init (examples/${name})`);
    expectOk(terraform(tool(), dir, ['validate']), `terraform validate (examples/${name})`);
    const run = planJson(tool(), dir);
    expectOk(run, `terraform plan (examples/${name})`);
    // npm run check reads module calls too: every function reaches DynamoDB privately, no error finding.
    const report = analyze(graphFromPlan(run.plan as unknown as PlanInput));
    expect([name, report.reachability.functions.map((f) => f.reachable), allFindings(report).filter((f) => f.severity === 'error').map((f) => f.id)]).toEqual([name, [true, true], []]);
    return run.plan!;
  }

  test('complete: new VPC, both functions, tables and database, no NAT', () => {
    const created = createdByType(planExample('complete'));
    expect(created).toMatchObject({ aws_vpc: 1, aws_subnet: 2, aws_vpc_endpoint: 1, aws_lambda_function: 2, aws_dynamodb_table: 2, aws_db_instance: 1, aws_flow_log: 1 });
    for (const type of ['aws_nat_gateway', 'aws_eip', 'aws_internet_gateway', 'aws_route']) expect([type, created[type]]).toEqual([type, undefined]);
  });

  test('existing-vpc: no VPC, subnet, route table or database created; endpoint on the given route tables, existing database wired', () => {
    const plan = planExample('existing-vpc');
    const created = createdByType(plan);
    for (const type of ['aws_vpc', 'aws_subnet', 'aws_route_table', 'aws_db_instance']) expect([type, created[type]]).toEqual([type, undefined]);
    const [endpoint] = plannedOf(plan, 'aws_vpc_endpoint');
    expect(endpoint.after.service_name).toBe('com.amazonaws.eu-west-1.dynamodb');
    expect(endpoint.after.route_table_ids).toEqual(['rtb-0a1b2c3d4e5f60718', 'rtb-0a1b2c3d4e5f60719']);
    expect(created.aws_lambda_function).toBe(2);
    // The existing database admits user-activity on 5432 through a rule added to its group.
    const ingress = plannedOf(plan, 'aws_vpc_security_group_ingress_rule');
    expect(ingress.map((r) => [r.after.security_group_id, r.after.from_port])).toEqual([['sg-0a1b2c3d4e5f60718', 5432]]);
  });

  test('with-nat: one NAT gateway, its EIP and internet gateway, a default route per private table', () => {
    const plan = planExample('with-nat');
    const created = createdByType(plan);
    expect([created.aws_nat_gateway, created.aws_eip, created.aws_internet_gateway]).toEqual([1, 1, 1]);
    const natRoutes = plannedOf(plan, 'aws_route').filter((r) => r.address.includes('private_nat_route'));
    expect(natRoutes.map((r) => r.after.destination_cidr_block)).toEqual(['0.0.0.0/0', '0.0.0.0/0']);
    const internetEgress = plannedOf(plan, 'aws_vpc_security_group_egress_rule').filter((r) => r.after.cidr_ipv4 === '0.0.0.0/0');
    expect(internetEgress).toHaveLength(2);
  });
});
