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
import { startFakeAwsAccount } from '../support/fake-aws-account';
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

async function verifyTwin(plan: PlanInput, dir: string): Promise<{ code: number; report: CheckReport }> {
  const fake = await startFakeAwsAccount(accountFromState(stateFromPlan(plan, dir)));
  const saved = { ...process.env };
  for (const k of Object.keys(process.env)) if (/^AWS_/.test(k)) delete process.env[k];
  Object.assign(process.env, { AWS_ENDPOINT_URL: fake.url, AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKEFAKEFAKE', AWS_SECRET_ACCESS_KEY: 'fake', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' });
  const out: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const err = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    const names = fake.account.functions.flatMap((f) => ['--function', f.name]);
    const code = await verifyMain(['node', 'verify', ...names, '--region', 'us-east-1', '--format', 'json']);
    return { code, report: JSON.parse(out.join('\n')) as CheckReport };
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
