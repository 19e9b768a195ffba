import { AwsApiStub, startAwsApiStub } from '../support/aws-api-stub';
import { IAM_CASES } from '../support/real-world-iam';
import { describeCases } from '../support/real-world-network';
import { publishedModule } from '../support/synth';
import { describeWithTerraform } from '../support/terraform';

/**
 * The second real-world set, IAM cases (support/real-world-iam.ts has the table of expected
 * verdicts): role and endpoint policies as other teams write them, planned offline by real
 * terraform (data sources answered by the AWS API stub), then checked with `check --json`.
 * A variant that does not plan fails its "plans offline" test, not its verdict test.
 */
describeWithTerraform("real-world plans 2, IAM: other teams' policies, planned offline, checked", (tool) => {
  let stub: AwsApiStub;
  /** Folders a case links in as ./modules/<name> besides the module copies: the published module. */
  const extraModules: Record<string, string> = {};
  beforeAll(async () => {
    stub = await startAwsApiStub();
    if (IAM_CASES.some((c) => c.extraModules?.includes('vpc-lambda-dynamodb'))) extraModules['vpc-lambda-dynamodb'] = await publishedModule();
  }, 300000);
  afterAll(() => stub?.stop());
  const planOf = describeCases(IAM_CASES, tool, () => stub, extraModules);

  test('case 13: the root adds its deny to the role the module made for checkout', () => {
    const c = IAM_CASES.find((x) => x.id === 13)!;
    const plan = planOf(c, 'deny-put-item').plan!;
    const deny = (plan.resource_changes ?? []).find((r) => r.address === 'aws_iam_role_policy.freeze_orders');
    expect(deny?.change.actions).toEqual(['create']);
    expect(planOf(c, 'sound').plan!.resource_changes?.some((r) => r.address === 'aws_iam_role_policy.freeze_orders')).toBe(false);
  });

  test('the stub answered every call the data sources made', () => {
    expect(stub.calls().filter((c) => c.status !== 200)).toEqual([]);
  });
});
