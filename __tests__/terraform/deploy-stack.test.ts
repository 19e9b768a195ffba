import { readFileSync, writeFileSync } from 'node:fs';
import { allFindings, analyze, CheckReport } from '../../analysis/analyze';
import { graphFromPlan, graphFromStack, PlanInput, StackJson } from '../../analysis/terraform-graph';
import { loadState } from '../../analysis/load-input';
import { stateFromPlan } from '../support/state-twin';
import { mainLoaded as checkCli } from '../../scripts/check';
import { join } from 'node:path';
import { fmtCheck, PlanJson } from '../../scripts/terraform-offline';
import { createdByType, plannedOf } from '../support/plan';
import { describeWithTerraform, expectEndpointOnEveryPrivateRouteTable, expectOk, planDeployStack, validateOnce } from '../support/terraform';

describeWithTerraform('terraform init, validate and plan of the default deploy stack (offline)', (tool) => {
  let jsonPlan: PlanJson;
  let jsonDir: string;

  beforeAll(async () => {
    ({ plan: jsonPlan, dir: jsonDir } = await planDeployStack(tool(), {}));
  });

  test('default: VPC, 2 private subnets and route tables, endpoint on both, flow logs, no NAT, both functions, tables, database', () => {
    // The planned counts are those of the hand-wired seed system before the maps rework, plus
    // the database's two exported-log groups (created with a retention since 0.3).
    const baseline = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'default-stack-summary.json'), 'utf8')) as { counts: Record<string, number> };
    expect(createdByType(jsonPlan)).toEqual(baseline.counts);
    expect(createdByType(jsonPlan)).toEqual({
      aws_vpc: 1,
      aws_default_security_group: 1,
      aws_subnet: 2,
      aws_route_table: 2,
      aws_route_table_association: 2,
      aws_vpc_endpoint: 2, // the DynamoDB and S3 gateway endpoints (S3's since issue 20)
      aws_cloudwatch_log_group: 5, // flow logs, one per function, the database's postgresql and upgrade logs
      aws_iam_role: 3,
      aws_iam_role_policy: 4, // flow logs, one per function, and user-activity's rds-db:connect
      aws_flow_log: 1,
      aws_lambda_function: 2,
      aws_security_group: 3, // one per function + the database's
      aws_vpc_security_group_egress_rule: 3, // 443 to DynamoDB per function + 5432 from user-activity
      aws_vpc_security_group_ingress_rule: 1, // 5432 into the database from user-activity
      aws_dynamodb_table: 2,
      aws_db_instance: 1,
      aws_db_subnet_group: 1,
    });
    for (const fn of plannedOf(jsonPlan, 'aws_lambda_function')) {
      expect(fn.after.runtime).toBe('nodejs22.x');
      expect(fn.after.replace_security_groups_on_destroy).toBe(true);
    }
    const [db] = plannedOf(jsonPlan, 'aws_db_instance');
    expect(db.after).toMatchObject({ publicly_accessible: false, storage_encrypted: true, iam_database_authentication_enabled: true, manage_master_user_password: true });
    expect(db.after.password).toBeNull();
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
    const { plan, dir } = await planDeployStack(tool(), {}, { hcl: true, validate: false });
    expect(readFileSync(join(dir, 'cdk.tf'), 'utf8')).toContain('resource "aws_vpc_endpoint" "system_dynamodb_endpoint"');
    expectOk(fmtCheck(tool(), dir), 'terraform fmt -check');
    // CDKTF's HCL quotes depends_on references; terraform warns on that, so none may remain.
    const validate = await validateOnce(tool(), dir);
    expect(validate.stdout + validate.stderr).not.toContain('Warning');
    expect(createdByType(plan)).toEqual(createdByType(jsonPlan));
    expectEndpointOnEveryPrivateRouteTable(plan);
  });

  // npm run check (analysis/): the same answers from the synthesized JSON and from this real plan.
  test('check: reachability, findings and cost are identical from the stack and from the plan', () => {
    const fromStack = analyze(graphFromStack(JSON.parse(readFileSync(join(jsonDir, 'cdk.tf.json'), 'utf8')) as StackJson));
    // With the stack folder as the plan's source (what the CLI reads beside a plan file): a plan
    // drops the `//` keys, where the stack's deliberate suppressions are written.
    const fromPlan = analyze(graphFromPlan(jsonPlan as unknown as PlanInput, { sourceDir: jsonDir }));
    expect(fromPlan.input.source).toBe('plan');
    expect(fromPlan.suppressed!.length).toBeGreaterThan(0);
    expect(answers(fromPlan)).toEqual(answers(fromStack));
    expect(fromPlan.reachability.functions.every((f) => f.reachable)).toBe(true);
    expect(fromPlan.failed).toBe(false);
    expect(fromPlan.cost.fixedMonthly).toBe(0);
  });

  test("check: the plan gives what the synth cannot, planned values such as the subnets' AZs and the table names", () => {
    const graph = graphFromPlan(jsonPlan as unknown as PlanInput);
    expect(graph.instancesOf('aws_subnet').map((s) => graph.value(s, 'availability_zone'))).toEqual(['us-east-1a', 'us-east-1b']);
    expect(graph.instancesOf('aws_dynamodb_table').map((t) => graph.value(t, 'name')).sort()).toEqual(['vpc-lambda-dynamodb-products', 'vpc-lambda-dynamodb-user-activity']);
  });

  test('check --state on the state this plan leaves gives the plan\'s verdicts (the plan\'s twin after apply)', () => {
    const state = stateFromPlan(jsonPlan as unknown as PlanInput, jsonDir);
    const file = join(jsonDir, 'state.json');
    writeFileSync(file, JSON.stringify(state));
    const fromPlan = analyze(graphFromPlan(jsonPlan as unknown as PlanInput, { sourceDir: jsonDir }));
    const fromState = analyze(loadState(file).graph);
    expect(fromState.input.source).toBe('state');
    const verdicts = (r: typeof fromPlan) => r.reachability.functions.map((f) => [f.name, f.reachable, f.reasons, f.unverified, f.tables.map((t) => [t.table, t.actions, t.roleMissing, t.endpointDenied])]);
    expect(verdicts(fromState)).toEqual(verdicts(fromPlan));
    // The same findings; what the configuration suppresses in source (its "//" notes) is not in a state.
    const inSource = (fromPlan.suppressed ?? []).filter((x) => x.inSource).map((x) => x.finding);
    expect(allFindings(fromState).map((f) => `${f.id} ${f.resource}`).sort()).toEqual([...allFindings(fromPlan), ...inSource].map((f) => `${f.id} ${f.resource}`).sort());
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(checkCli(['node', 'check', '--state', file])).toBe(0);
      expect(String(log.mock.calls[0][0])).toContain('OK: 2/2 functions reach DynamoDB privately');
    } finally {
      log.mockRestore();
    }
  });

  test('npm run check --plan passes on it', () => {
    const file = join(jsonDir, 'plan.json');
    writeFileSync(file, JSON.stringify(jsonPlan));
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(checkCli(['node', 'check', '--plan', file])).toBe(0);
      expect(String(log.mock.calls[0][0])).toContain('OK: 2/2 functions reach DynamoDB privately');
    } finally {
      log.mockRestore();
    }
  });
});

/** The report without the line naming its input file. */
function answers(report: CheckReport): Omit<CheckReport, 'input'> {
  const { input: _input, ...rest } = report;
  return rest;
}
