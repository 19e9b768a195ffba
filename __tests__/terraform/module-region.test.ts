import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../analysis/analyze';
import { graphFromPlan, PlanInput } from '../../analysis/terraform-graph';
import { init, planJson, terraform, writeOfflineProvider } from '../../scripts/terraform-offline';
import { plannedOf } from '../support/plan';
import { publishedModule } from '../support/synth';
import { describeWithTerraform, expectOk } from '../support/terraform';

/**
 * The published module in the caller's region: a root whose only region is
 * `provider "aws" { region = "eu-west-1" }` plans eu-west-1's DynamoDB service, and check
 * prices its NAT at eu-west-1's rate; a zone of another region fails at plan naming
 * availability_zones. Planned offline (zones given: data "aws_availability_zones" would call EC2).
 */
describeWithTerraform('the module takes its region from the caller\'s provider (offline plan)', (tool) => {
  let moduleDir: string;
  beforeAll(async () => {
    moduleDir = await publishedModule();
  });

  function root(args: Record<string, unknown>): string {
    const dir = mkdtempSync(join(tmpdir(), 'vld-region-'));
    writeOfflineProvider(dir, 'eu-west-1');
    mkdirSync(join(dir, 'build'));
    copyFileSync(join(moduleDir, 'assets', 'products.zip'), join(dir, 'build', 'api.zip'));
    writeFileSync(join(dir, 'main.tf.json'), JSON.stringify({ module: { app: { source: moduleDir, ...args } } }));
    expectOk(init(tool(), dir), 'terraform init');
    return dir;
  }

  test('eu-west-1 provider, zones given, no region variable: com.amazonaws.eu-west-1.dynamodb, and NAT priced at eu-west-1\'s $0.048/h', () => {
    const dir = root({
      availability_zones: ['eu-west-1a', 'eu-west-1b'],
      nat_mode: 'single',
      tables: { orders: { hash_key: 'id' } },
      functions: { api: { filename: '${path.module}/build/api.zip', handler: 'index.handler', table_access: { orders: ['dynamodb:GetItem'] }, internet_egress: true } },
    });
    const run = planJson(tool(), dir);
    expectOk(run, 'terraform plan');
    const plan = run.plan!;
    expect(plannedOf(plan, 'aws_vpc_endpoint').map((e) => e.after.service_name)).toEqual(['com.amazonaws.eu-west-1.dynamodb', 'com.amazonaws.eu-west-1.s3']);
    expect(plannedOf(plan, 'aws_subnet').map((s) => s.after.availability_zone)).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1a']);

    // With the .tf files beside the plan, and from the plan alone: the same region and price.
    for (const options of [{ sourceDir: dir }, {}]) {
      const report = analyze(graphFromPlan(plan as unknown as PlanInput, options), { trafficGb: 100, internetGb: 10, flowLogGb: 1 });
      expect(report.cost.region).toBe('eu-west-1');
      const nat = report.cost.lines.find((l) => l.item.startsWith('NAT'))!;
      expect(nat).toEqual({ item: 'NAT gateway x1', quantity: '1 x 730 h, 10 GB', fixed: 35.04, variable: 0.48 });
      expect(report.cost.fixedMonthly).toBe(35.04);
    }
  });

  test('a zone of another region fails at plan naming availability_zones and the zone; a region variable that is not the provider\'s names region', () => {
    const zone = terraform(tool(), root({ availability_zones: ['eu-west-1a', 'us-east-1b'] }), ['plan', '-input=false', '-lock=false']);
    expect(zone.ok).toBe(false);
    expect(zone.stderr.replace(/\s+/g, ' ')).toContain("availability_zones must all be in the AWS provider's region eu-west-1; outside it: us-east-1b.");
    expect(zone.stderr).toContain('var.availability_zones');

    const region = terraform(tool(), root({ availability_zones: ['eu-west-1a', 'eu-west-1b'], region: 'us-east-1' }), ['plan', '-input=false', '-lock=false']);
    expect(region.ok).toBe(false);
    expect(region.stderr.replace(/\s+/g, ' ')).toContain("region is us-east-1 but the caller's AWS provider is in eu-west-1");
  });
});
