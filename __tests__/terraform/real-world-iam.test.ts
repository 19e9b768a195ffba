import { AwsApiStub, startAwsApiStub } from '../support/aws-api-stub';
import { runCheck } from '../support/check-cli';
import { IAM_CASES } from '../support/real-world-iam';
import { checkArgs, expectedVerdict, planCase, PlannedVariant, RealWorldCase, verdictOf } from '../support/real-world-network';
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
  const planned = new Map<RealWorldCase, Map<string, PlannedVariant>>();
  beforeAll(async () => {
    stub = await startAwsApiStub();
    if (IAM_CASES.some((c) => c.extraModules?.includes('vpc-lambda-dynamodb'))) extraModules['vpc-lambda-dynamodb'] = await publishedModule();
  }, 300000);
  afterAll(() => stub?.stop());

  const planOf = (c: RealWorldCase, variant: string): PlannedVariant => {
    const p = planned.get(c)?.get(variant);
    if (!p) throw new Error(`${c.fixture} ${variant} was not planned`);
    return p;
  };

  describe.each(IAM_CASES.map((c) => [`case ${c.id} ${c.fixture}: ${c.title}`, c] as const))('%s', (_, c) => {
    beforeAll(() => {
      planned.set(c, planCase(tool(), c, stub, extraModules));
    }, 600000);

    test.each(c.variants.map((v) => [v.name, v] as const))('%s: terraform plans it offline', (_, v) => {
      const p = planOf(c, v.name);
      if (p.error) throw new Error(p.error);
      expect((p.plan!.resource_changes ?? []).filter((r) => r.type === 'aws_lambda_function').length).toBeGreaterThan(0);
    });

    test.each(c.variants.map((v) => [`${v.name}: ${v.about}`, v] as const))('%s', (_, v) => {
      const p = planOf(c, v.name);
      if (p.error) throw new Error(`not planned (see its "terraform plans it offline" test)`);
      expect(verdictOf(runCheck(checkArgs(p, v.expect)), v.expect)).toEqual(expectedVerdict(v.expect));
    });
  });

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
