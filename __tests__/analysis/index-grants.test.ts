import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allFindings, analyze, CheckReport } from '../../analysis/analyze';
import { loadPlan } from '../../analysis/load-input';
import { init, planJson, writeOfflineProvider } from '../../scripts/terraform-offline';
import { runCheck } from '../support/check-cli';
import { describeWithTerraform, expectOk } from '../support/terraform';

/**
 * Issue 20, part 1: a plan `check` did not write, in another team's style (plain HCL, their
 * own table module): a provisioned table with a global index and autoscaling of both, a
 * function granted items on the table and Query on the index, and one granted only Query on
 * the index (`<arn>/index/by-customer`). Check must see the index grant as the grant it is
 * (allowed, decided on the index's ARN), and an endpoint policy that leaves the index out as
 * denying it: neither "missing" for a grant that is there, nor "allowed" for one that is not.
 */
const FIXTURE = join(__dirname, '..', 'fixtures', 'index-grants');
const TABLE = 'module.orders.aws_dynamodb_table.this';
const INDEX = `${TABLE}/index/by-customer`;

type Variant = 'sound' | 'endpoint-without-index';

function writeVariant(variant: Variant): string {
  const dir = mkdtempSync(join(tmpdir(), `vld-index-grants-${variant}-`));
  cpSync(FIXTURE, dir, { recursive: true });
  cpSync(join(__dirname, '..', 'fixtures', 'real-world', 'function.zip'), join(dir, 'function.zip'));
  if (variant === 'endpoint-without-index') {
    const main = readFileSync(join(dir, 'main.tf'), 'utf8');
    const edited = main.replace(/\[module\.orders\.arn, module\.orders\.index_arn\] # variant:endpoint-without-index/, '[module.orders.arn]');
    if (edited === main) throw new Error('variant endpoint-without-index changed nothing');
    writeFileSync(join(dir, 'main.tf'), edited);
  }
  writeOfflineProvider(dir);
  return dir;
}

/** Per function: each table or index it uses, its actions and verdicts. */
const accessOf = (report: CheckReport) =>
  Object.fromEntries(
    report.reachability.functions.map((fn) => [
      fn.name,
      fn.tables.map((t) => ({ table: t.table, actions: [...t.actions].sort(), roleMissing: t.roleMissing, endpointDenied: t.endpointDenied, unknown: t.roleUnknown || t.endpointUnknown })),
    ]),
  );

describeWithTerraform('check: index-scoped grants and an autoscaled provisioned table (another team\'s HCL)', (tool) => {
  const plans = new Map<Variant, string>();
  const planOf = (variant: Variant) => {
    if (!plans.has(variant)) {
      const dir = writeVariant(variant);
      expectOk(init(tool(), dir), `terraform init (${variant})`);
      const run = planJson(tool(), dir);
      expectOk(run, `terraform plan (${variant})`);
      const file = join(dir, 'plan.json');
      writeFileSync(file, JSON.stringify(run.plan));
      plans.set(variant, file);
    }
    return plans.get(variant)!;
  };

  test('sound: the table grant and the index grant each allowed by role and endpoint; the index-only function uses the index, not the table; exit 0', () => {
    const file = planOf('sound');
    const report = analyze(loadPlan(file).graph);
    expect(report.reachability.functions.map((f) => [f.name, f.unverified, f.reachable])).toEqual([
      ['shop-staging-api', [], true],
      ['shop-staging-reports', [], true],
    ]);
    expect(accessOf(report)).toEqual({
      'shop-staging-api': [
        { table: TABLE, actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], roleMissing: [], endpointDenied: [], unknown: false },
        { table: INDEX, actions: ['dynamodb:Query'], roleMissing: [], endpointDenied: [], unknown: false },
      ],
      'shop-staging-reports': [{ table: INDEX, actions: ['dynamodb:Query'], roleMissing: [], endpointDenied: [], unknown: false }],
    });
    expect(allFindings(report).filter((f) => f.severity === 'error')).toEqual([]);
    const run = runCheck(['--plan', file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^OK: 2\/2 functions reach DynamoDB privately, 0 error\(s\)/m);
  }, 180000);

  test('an endpoint policy without the index ARN denies the index Query (decided on <arn>/index/by-customer, not on the table); exit 1', () => {
    const file = planOf('endpoint-without-index');
    const report = analyze(loadPlan(file).graph);
    const access = accessOf(report);
    expect(access['shop-staging-api']).toEqual([
      { table: TABLE, actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], roleMissing: [], endpointDenied: [], unknown: false },
      { table: INDEX, actions: ['dynamodb:Query'], roleMissing: [], endpointDenied: ['dynamodb:Query'], unknown: false },
    ]);
    expect(access['shop-staging-reports']).toEqual([{ table: INDEX, actions: ['dynamodb:Query'], roleMissing: [], endpointDenied: ['dynamodb:Query'], unknown: false }]);
    expect(allFindings(report).filter((f) => f.severity === 'error').map((f) => f.id)).toContain('VLD104');
    expect(runCheck(['--plan', file]).code).toBe(1);
  }, 180000);
});
