import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allFindings, analyze, CheckReport } from '../../analysis/analyze';
import { loadPlan } from '../../analysis/load-input';
import { planRealWorld, RealWorldStyle, Variant, VARIANTS } from '../support/real-world';
import { describeWithTerraform } from '../support/terraform';
import { runCheck } from '../support/check-cli';

/**
 * Issue 11, items 1 and 2: plans this project did not synthesize. The same system (VPC,
 * private subnets and route tables, DynamoDB gateway endpoint, flow logs, two functions in
 * the VPC with their security groups, one table) built with terraform-aws-modules vpc 5.x +
 * vpc-endpoints and lambda 7.x, and as plain resources; sound, and each breakage.
 */

/** Error finding ids, sorted and unique. */
const errorIds = (report: CheckReport) => [...new Set(allFindings(report).filter((f) => f.severity === 'error').map((f) => f.id))].sort();

/** What each breakage must be reported as (besides exit 1). */
const EXPECTED: Record<Exclude<Variant, 'sound'>, string[]> = {
  'endpoint-no-route-table': ['VLD102'],
  'no-443-egress': ['VLD105'],
  // Public subnets: their route table is not the endpoint's either.
  'public-subnets': ['VLD102', 'VLD106'],
  'endpoint-other-table': ['VLD104'],
};

describeWithTerraform('real-world plans: terraform-aws-modules and plain HCL, planned offline, checked', (tool) => {
  const plans = new Map<string, { file: string; dir: string }>();
  const planOf = (style: RealWorldStyle, variant: Variant) => {
    const key = `${style}/${variant}`;
    if (!plans.has(key)) plans.set(key, planRealWorld(tool(), style, variant));
    return plans.get(key)!;
  };

  describe.each(['modules-system', 'plain-system'] as const)('%s', (style) => {
    test('sound: every function verified, linked to its table, private; no error; exit 0', () => {
      const { file } = planOf(style, 'sound');
      const report = analyze(loadPlan(file).graph);
      expect(report.reachability.functions).toHaveLength(2);
      for (const fn of report.reachability.functions) {
        expect([fn.name, fn.unverified, fn.tables.map((t) => t.table), fn.https, fn.reachable]).toEqual([fn.name, [], ['aws_dynamodb_table.orders'], 'prefix-list', true]);
        expect(fn.subnets).toHaveLength(2);
        for (const s of fn.subnets) expect([s.endpointRoute, s.internet]).toEqual(['yes', 'none']);
      }
      // The flow log's vpc_id comes through a local: no false "no flow logs".
      expect(allFindings(report).map((f) => f.id)).not.toContain('VLD001');
      expect(errorIds(report)).toEqual([]);
      const run = runCheck(['--plan', file]);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^OK: 2\/2 functions reach DynamoDB privately, 0 error\(s\)/m);
    }, 120000);

    test.each(VARIANTS.filter((v): v is Exclude<Variant, 'sound'> => v !== 'sound'))('%s: the right finding, exit 1', (variant) => {
      const { file } = planOf(style, variant);
      const report = analyze(loadPlan(file).graph);
      for (const fn of report.reachability.functions) expect([fn.name, fn.unverified, fn.tables.map((t) => t.table)]).toEqual([fn.name, [], ['aws_dynamodb_table.orders']]);
      expect(errorIds(report)).toEqual(EXPECTED[variant]);
      expect(runCheck(['--plan', file]).code).toBe(1);
    }, 120000);

    test("the plan without its module's .tf files: unverified, naming what; exit 1; --allow-unverified downgrades", () => {
      const { file } = planOf(style, 'sound');
      const alone = join(mkdtempSync(join(tmpdir(), 'vld-plan-alone-')), 'plan.json');
      copyFileSync(file, alone);
      const report = analyze(loadPlan(alone).graph);
      for (const fn of report.reachability.functions) {
        expect(fn.reachable).toBe(false);
        // Each reason names what is unknown and that the module's .tf files were not read.
        expect(fn.unverified.join('\n')).toMatch(style === 'modules-system' ? /subnets: module\.function\[".*"\]\.aws_lambda_function\.this\[0\]\.vpc_config\.subnet_ids is known only after apply; its expression: .*\.tf files are not beside the plan/ : /not beside the plan/);
      }
      // No finding is made up from what could not be read.
      expect(errorIds(report)).toEqual(['VLD109']);
      const run = runCheck(['--plan', alone]);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/^rw-\w+-orders: UNVERIFIED$/m);
      expect(run.stdout).toMatch(/│ UNVERIFIED\s+│ cannot resolve/);
      expect(run.stdout).toMatch(/^FAIL: 0\/2 functions reach DynamoDB privately \(2 unverified\)/m);
      // The same plan with --source-dir pointing at the sources is verified.
      expect(runCheck(['--plan', alone, '--source-dir', planOf(style, 'sound').dir]).code).toBe(0);
      const allowed = runCheck(['--plan', alone, '--allow-unverified']);
      expect(allowed.code).toBe(0);
      expect(allowed.stdout).toMatch(/^OK: 0\/2 functions reach DynamoDB privately \(2 unverified\), 0 error\(s\)/m);
    }, 120000);
  });
});
