/**
 * One model before and after deploy: for the default stack and each broken variant of it,
 * real terraform plans it offline, `check --plan` gives its verdict, and `verify` reads the
 * plan's account twin (support/account-twin.ts: what the AWS APIs would answer once the plan
 * was applied, served by the fake account over the real wire protocols). Both must name the
 * same functions as reaching their tables and the same troubleshooting ids on the same
 * functions.
 */
import { readdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze, CheckReport } from '../../analysis/analyze';
import { graphFromPlan, PlanInput } from '../../analysis/terraform-graph';
import { planJson } from '../../scripts/terraform-offline';
import { verifyMain } from '../../scripts/verify';
import { BROKEN } from '../analysis/fixtures';
import { accountFromState } from '../support/account-twin';
import { FakeAccount, startFakeAwsAccount } from '../support/fake-aws-account';
import { stateFromPlan } from '../support/state-twin';
import { describeWithTerraform, expectOk, planDeployStack } from '../support/terraform';

interface Verdict {
  reachable: string[];
  findings: string[];
}

/** Which functions reach their tables, and each troubleshooting finding as `id function`. */
function verdictOf(report: Pick<CheckReport, 'reachability' | 'troubleshooting'>): Verdict {
  const fns = report.reachability.functions;
  const who = (message: string) => fns.find((f) => message.startsWith(`${f.name} `) || message.startsWith(`${f.name}:`))?.name ?? '?';
  return {
    reachable: fns.filter((f) => f.reachable).map((f) => f.name).sort(),
    findings: [...new Set(report.troubleshooting.filter((f) => f.id !== 'VLD114').map((f) => `${f.id} ${who(f.message)}`))].sort(),
  };
}

async function verifyTwin(plan: PlanInput, dir: string, options: { args?: string[]; edit?: (account: FakeAccount) => void; byName?: boolean } = {}): Promise<{ code: number; report: CheckReport; stdout: string }> {
  const account = accountFromState(stateFromPlan(plan, dir));
  options.edit?.(account);
  const fake = await startFakeAwsAccount(account);
  const saved = { ...process.env };
  for (const k of Object.keys(process.env)) if (/^AWS_/.test(k)) delete process.env[k];
  Object.assign(process.env, { AWS_ENDPOINT_URL: fake.url, AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKEFAKEFAKE', AWS_SECRET_ACCESS_KEY: 'fake', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' });
  const out: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const err = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    const names = options.byName === false ? [] : fake.account.functions.flatMap((f) => ['--function', f.name]);
    const code = await verifyMain(['node', 'verify', ...names, '--region', 'us-east-1', '--format', 'json', ...(options.args ?? [])]);
    return { code, report: JSON.parse(out.join('\n')) as CheckReport, stdout: out.join('\n') };
  } finally {
    log.mockRestore();
    err.mockRestore();
    process.env = saved;
    await fake.stop();
  }
}

describeWithTerraform('verify on the account a plan leaves gives check --plan\'s verdict', (tool) => {
  let sound: { plan: PlanInput; dir: string };

  beforeAll(async () => {
    const planned = await planDeployStack(tool(), {});
    sound = { plan: planned.plan as unknown as PlanInput, dir: planned.dir };
  }, 600000);

  test('the default stack: both verified by both, exit 0', async () => {
    const check = analyze(graphFromPlan(sound.plan, { sourceDir: sound.dir }));
    const live = await verifyTwin(sound.plan, sound.dir);
    expect(verdictOf(live.report)).toEqual(verdictOf(check));
    expect(verdictOf(check).reachable).toHaveLength(2);
    expect(live.code).toBe(0);
  });

  test('verify --state: its functions by default, no difference on the account it describes; the endpoint detached by hand is named as a difference (VLD118) beside VLD102', async () => {
    const file = join(sound.dir, 'state.json');
    writeFileSync(file, JSON.stringify(stateFromPlan(sound.plan, sound.dir)));
    const same = await verifyTwin(sound.plan, sound.dir, { args: ['--state', file], byName: false });
    expect(same.report.reachability.functions.map((f) => f.reachable)).toEqual([true, true]);
    expect(same.report.comparison).toEqual({ against: `state ${file}`, differences: [], notCompared: [] });
    expect(same.code).toBe(0);

    let detached = '';
    const moved = await verifyTwin(sound.plan, sound.dir, {
      args: ['--state', file],
      byName: false,
      edit: (account) => {
        detached = account.endpoints[0].routeTableIds.pop()!;
      },
    });
    const subjects = moved.report.comparison!.differences.map((d) => `${d.function ?? '-'} | ${d.subject} | ${d.expected} | ${d.live}`);
    expect(subjects).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^- \\| route tables of endpoint vpce-\\w+ \\| .*${detached}.* \\| `))]));
    for (const fn of ['vpc-lambda-dynamodb-products', 'vpc-lambda-dynamodb-user-activity']) {
      expect(subjects).toContain(`${fn} | reaches its tables privately | yes | no`);
      expect(subjects).toContain(`${fn} | findings | (none) | VLD102`);
    }
    expect(moved.report.troubleshooting.filter((f) => f.id === 'VLD118').map((f) => f.severity)).toEqual(['warning', 'warning', 'warning']);
    expect(moved.code).toBe(1);
  });

  test('cases that must differ from the plan: an all-traffic egress rule added out of band to a function\'s group is VLD004 live only; a role edited by hand is VLD103 live only', async () => {
    const check = analyze(graphFromPlan(sound.plan, { sourceDir: sound.dir }));
    expect(check.security.map((f) => f.id)).not.toContain('VLD004');
    const opened = await verifyTwin(sound.plan, sound.dir, {
      edit: (account) => {
        const group = account.securityGroups.find((g) => /products/.test(g.name))!;
        group.egress.push({ protocol: '-1', cidrs: ['0.0.0.0/0'] });
      },
    });
    expect(opened.report.security.filter((f) => f.id === 'VLD004').map((f) => f.resource)).toEqual([expect.stringMatching(/^aws_security_group\.live\["sg-\w+"\]$/)]);
    const edited = await verifyTwin(sound.plan, sound.dir, {
      edit: (account) => {
        const role = account.roles.find((r) => /products/.test(r.name))!;
        role.inline = Object.fromEntries(Object.entries(role.inline).map(([k, doc]) => [k, JSON.parse(JSON.stringify(doc).replace(/"dynamodb:PutItem",?/g, '')) as object]));
      },
    });
    expect(verdictOf(edited.report).findings).toEqual(['VLD103 vpc-lambda-dynamodb-products']);
    expect(edited.code).toBe(1);
  });

  test('verify --plan before apply: what the plan still has to create has no id and is said not to be compared', async () => {
    const file = join(sound.dir, 'plan-for-verify.json');
    writeFileSync(file, JSON.stringify(sound.plan));
    const result = await verifyTwin(sound.plan, sound.dir, { args: ['--plan', file] });
    expect(result.report.comparison!.notCompared).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_subnet\.system_network_private\[0\]: not created yet \(no id in the plan\)$/)]));
  });

  // Each broken stack planned in a folder beside the sound one's, sharing its providers.
  test.each(BROKEN.map((b) => [b.id, b.case, b] as const))('%s %s: the same ids on the same functions, exit 1', async (id, _case, broken) => {
    const dir = mkdtempSync(join(tmpdir(), `vld-twin-${id}-`));
    for (const entry of readdirSync(sound.dir)) if (!/^(cdk\.tf\.json|plan-.*\.bin|terraform\.tfstate.*)$/.test(entry)) symlinkSync(join(sound.dir, entry), join(dir, entry));
    // Outputs play no part in either verdict, and one may name what the variant removed.
    const { output: _outputs, ...json } = broken.build();
    // Without the endpoint its prefix list is written as the literal id a team would copy from the console.
    const text = JSON.stringify(json).replace(/\$\{aws_vpc_endpoint\.[\w]+\.prefix_list_id\}/g, id === 'VLD101' ? 'pl-02cd2c6b' : '$&');
    writeFileSync(join(dir, 'cdk.tf.json'), text);
    const result = planJson(tool(), dir);
    expectOk(result, `terraform plan of ${id}`);
    const plan = result.plan as unknown as PlanInput;
    const check = verdictOf(analyze(graphFromPlan(plan, { sourceDir: dir })));
    const live = await verifyTwin(plan, dir);
    expect(verdictOf(live.report)).toEqual(check);
    expect(check.findings.some((f) => f.startsWith(`${id} `))).toBe(true);
    expect(live.code).toBe(1);
  }, 120000);
});
