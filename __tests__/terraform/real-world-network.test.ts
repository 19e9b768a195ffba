import { FAKE_AWS, AwsApiStub, startAwsApiStub } from '../support/aws-api-stub';
import { describeCases, NETWORK_CASES } from '../support/real-world-network';
import { describeWithTerraform } from '../support/terraform';

/**
 * The second real-world set, network cases (support/real-world-network.ts has the table of
 * expected verdicts): Terraform written the way other teams write it, planned offline by real
 * terraform (data sources answered by the AWS API stub), then checked with `check --json`.
 * A variant that does not plan fails its "plans offline" test, not its verdict test.
 */
describeWithTerraform("real-world plans 2, network: other teams' Terraform, planned offline, checked", (tool) => {
  let stub: AwsApiStub;
  beforeAll(async () => {
    stub = await startAwsApiStub();
  });
  afterAll(() => stub?.stop());
  const planOf = describeCases(NETWORK_CASES, tool, () => stub);

  test('case 5: the existing network and table are read at plan, from the stub', () => {
    const c = NETWORK_CASES.find((x) => x.id === 5)!;
    const plan = planOf(c, 'sound').plan!;
    const after = (type: string) => (plan.resource_changes ?? []).find((r) => r.type === type)!.change.after!;
    const fn = after('aws_lambda_function');
    expect((fn.vpc_config as Array<{ subnet_ids: string[] }>)[0].subnet_ids).toEqual(FAKE_AWS.subnets.filter((s) => s.tier === 'private').map((s) => s.id));
    expect((fn.environment as Array<{ variables: Record<string, string> }>)[0].variables).toEqual({ TABLE_NAME: FAKE_AWS.table.name });
    const endpoint = after('aws_vpc_endpoint');
    expect([endpoint.vpc_id, endpoint.route_table_ids]).toEqual([FAKE_AWS.vpc.id, ['rtb-0priv', 'rtb-0priv2']]);
    expect(JSON.parse(String(endpoint.policy)).Statement[0].Resource[0]).toBe(`arn:aws:dynamodb:${FAKE_AWS.region}:${FAKE_AWS.account}:table/${FAKE_AWS.table.name}`);
  });

  test('the stub answered every call the data sources made', () => {
    const calls = stub.calls();
    expect(calls.filter((c) => c.status !== 200)).toEqual([]);
    const actions = [...new Set(calls.map((c) => `${c.service}:${c.action}`))].sort();
    expect(actions).toEqual(
      expect.arrayContaining([
        'dynamodb:DescribeTable',
        'ec2:DescribePrefixLists',
        'ec2:DescribeRouteTables',
        'ec2:DescribeSubnets',
        'ec2:DescribeVpcEndpointServices',
        'ec2:DescribeVpcs',
        'iam:GetPolicy',
        'iam:GetPolicyVersion',
        'sts:GetCallerIdentity',
      ])
    );
  });
});
