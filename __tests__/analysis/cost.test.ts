import { compareEndpointWithNat, estimateCost } from '../../analysis/cost-estimate';
import { graphFromStack, StackJson } from '../../analysis/terraform-graph';
import { renderText, verdict } from '../../analysis/report';
import { blocks, check, stack } from './fixtures';

const assumptions = { trafficGb: 100, internetGb: 100, flowLogGb: 2 };

describe('network cost, priced as the seed prices it ($0.045/h per NAT gateway, $0.045/GB, us-east-1)', () => {
  test('NAT single: one gateway, 730 h x $0.045 = $32.85/month, plus $0.045/GB of internet traffic', () => {
    const cost = estimateCost(graphFromStack(stack({ natMode: 'single', functions: { allowInternetEgress: true } }) as StackJson), assumptions);
    expect(cost.lines.find((l) => l.item.startsWith('NAT'))).toEqual({ item: 'NAT gateway x1', quantity: '1 x 730 h, 100 GB', fixed: 32.85, variable: 4.5 });
    expect(cost.fixedMonthly).toBe(32.85);
    expect(cost.variableMonthly).toBe(4.5 + 1);
  });

  test('NAT per-az over two AZs: $65.70/month fixed', () => {
    const cost = estimateCost(graphFromStack(stack({ natMode: 'per-az', functions: { allowInternetEgress: true } }) as StackJson), assumptions);
    expect(cost.lines.find((l) => l.item.startsWith('NAT'))).toMatchObject({ item: 'NAT gateway x2', fixed: 65.7, variable: 4.5 });
    expect(cost.fixedMonthly).toBe(65.7);
  });

  test("the seed's comparison: endpoint $0 against NAT $32.85 + $4.50 for 100 GB", () => {
    expect(compareEndpointWithNat(100, 2)).toEqual([
      { option: 'gateway endpoint (this module)', fixed: 0, perGb: 0, monthly: 0 },
      { option: 'NAT single', fixed: 32.85, perGb: 0.045, monthly: 37.35 },
      { option: 'NAT per-az (2 AZ)', fixed: 65.7, perGb: 0.045, monthly: 70.2 },
    ]);
  });

  test('VLD010 is about the NAT, not each function: one function allowed out uses the NAT the others sit behind', () => {
    const json = stack({ natMode: 'single', functions: { allowInternetEgress: true } });
    const rules = blocks(json, 'aws_vpc_security_group_egress_rule');
    const productsOut = Object.keys(rules).filter((name) => /products/.test(name) && rules[name].cidr_ipv4 === '0.0.0.0/0');
    expect(productsOut).toHaveLength(1);
    delete rules[productsOut[0]];
    const report = check(json);
    expect(report.reachability.functions.map((f) => [f.name, f.internetAskedFor])).toEqual([
      ['vpc-lambda-dynamodb-products', false],
      ['vpc-lambda-dynamodb-user-activity', true],
    ]);
    expect(report.security.filter((f) => f.id === 'VLD010')).toEqual([]);
  });

  test('DynamoDB traffic costs nothing through NAT when the endpoint is there: it takes the prefix-list route', () => {
    const cost = estimateCost(graphFromStack(stack({ natMode: 'single', functions: { allowInternetEgress: true } }) as StackJson), { ...assumptions, internetGb: 0 });
    expect(cost.lines.find((l) => l.item.startsWith('NAT'))!.variable).toBe(0);
  });

  test('NAT that no function may use is a warning, not a failure; internet egress through NAT is reachability "asked for"', () => {
    const unused = check(stack({ natMode: 'single' }));
    expect(unused.security.map((f) => f.id)).toEqual(['VLD010', 'VLD010']);
    expect(unused.failed).toBe(false);
    const used = check(stack({ natMode: 'single', functions: { allowInternetEgress: true } }));
    // Open egress is reported for what it is (info), and does not fail the run.
    expect(used.security.map((f) => [f.id, f.severity])).toEqual([['VLD022', 'info'], ['VLD022', 'info']]);
    expect(used.failed).toBe(false);
    for (const fn of used.reachability.functions) {
      expect(fn.internetAskedFor).toBe(true);
      expect(fn.subnets.map((s) => s.internet)).toEqual(['nat', 'nat']);
      expect(fn.reachable).toBe(true);
    }
  });
});

describe('network cost at the region the configuration deploys to', () => {
  const eu = { region: 'eu-west-1', availabilityZones: ['eu-west-1a', 'eu-west-1b'], natMode: 'single' as const, functions: { allowInternetEgress: true } };

  test("eu-west-1: NAT priced at eu-west-1's $0.048/h and $0.048/GB (730 h = $35.04), the region read from the endpoint's service name", () => {
    const cost = estimateCost(graphFromStack(stack(eu) as StackJson), assumptions);
    expect([cost.region, cost.regionFrom]).toEqual(['eu-west-1', 'aws_vpc_endpoint.system_dynamodb_endpoint service_name']);
    expect(cost.lines.find((l) => l.item.startsWith('NAT'))).toEqual({ item: 'NAT gateway x1', quantity: '1 x 730 h, 100 GB', fixed: 35.04, variable: 4.8 });
    expect(cost.comparison[1]).toEqual({ option: 'NAT single', fixed: 35.04, perGb: 0.048, monthly: 39.84 });
    expect(cost.priceSources.join('\n')).toContain('AmazonEC2 eu-west-1');
    // No CloudWatch vended-log price is recorded for eu-west-1: said, not borrowed from us-east-1.
    expect(cost.lines.find((l) => l.item.startsWith('flow log'))!.variable).toBeNull();
    expect(cost.variableMonthly).toBeNull();
    expect(cost.unpriced).toEqual(['no CloudWatch Logs ingestion of vended logs (flow logs), per GB (first 10 TB) recorded for eu-west-1 (analysis/network-prices.ts)']);
  });

  test('the text report and the verdict name the region and what is not priced', () => {
    const report = check(stack(eu));
    // Lines wrap at 120 columns: read the text as one line.
    const text = renderText(report).replace(/\n {2,}/g, ' ');
    expect(text).toContain('Monthly network cost, eu-west-1 (from aws_vpc_endpoint.system_dynamodb_endpoint service_name), prices recorded 2026-09-25');
    expect(text).toContain('not priced: no CloudWatch Logs ingestion of vended logs');
    expect(verdict(report)).toMatch(/fixed network cost \$35\.04\/month$/);
  });

  test('a commercial region with no recorded NAT price: not priced, and said so', () => {
    const cost = estimateCost(graphFromStack(stack({ ...eu, region: 'sa-east-1', availabilityZones: ['sa-east-1a', 'sa-east-1b'] }) as StackJson), assumptions);
    expect(cost.region).toBe('sa-east-1');
    expect(cost.lines.find((l) => l.item.startsWith('NAT'))).toMatchObject({ fixed: null, variable: null });
    expect(cost.fixedMonthly).toBeNull();
    expect(cost.unpriced).toContain('no NAT gateway, per gateway-hour recorded for sa-east-1 (analysis/network-prices.ts)');
  });

  test('a region outside the commercial table (GovCloud) is not priced and said so', () => {
    const cost = estimateCost(graphFromStack(stack({ ...eu, region: 'us-gov-west-1', availabilityZones: ['us-gov-west-1a', 'us-gov-west-1b'] }) as StackJson), assumptions);
    expect(cost.region).toBe('us-gov-west-1');
    expect(cost.fixedMonthly).toBeNull();
    expect(cost.unpriced[0]).toBe('us-gov-west-1 is not a commercial AWS region in analysis/network-prices.ts: not priced');
  });

  test('no region known (a NAT gateway alone, no provider, endpoint or data "aws_region"): nothing priced at us-east-1 rates', () => {
    const json = { resource: { aws_nat_gateway: { nat: { subnet_id: 'subnet-0123456789abcdef0' } } } };
    const cost = estimateCost(graphFromStack(json as StackJson), assumptions);
    expect(cost.region).toBeNull();
    expect(cost.regionFrom).toMatch(/^no region is known before apply/);
    expect(cost.fixedMonthly).toBeNull();
    expect(cost.unpriced[0]).toMatch(/^NAT gateway, per gateway-hour: the region is not known/);
  });

  test('the provider block names the region when nothing else does; two regions that disagree are not priced', () => {
    const nat = { aws_nat_gateway: { nat: { subnet_id: 'subnet-0123456789abcdef0' } } };
    const fromProvider = estimateCost(graphFromStack({ provider: { aws: [{ region: 'eu-west-1' }] }, resource: nat } as StackJson), assumptions);
    expect([fromProvider.region, fromProvider.regionFrom, fromProvider.fixedMonthly]).toEqual(['eu-west-1', 'provider "aws" region', 35.04]);
    const endpoint = { aws_vpc_endpoint: { ddb: { vpc_id: 'vpc-1', service_name: 'com.amazonaws.us-east-1.dynamodb', vpc_endpoint_type: 'Gateway' } } };
    const both = estimateCost(graphFromStack({ provider: { aws: [{ region: 'eu-west-1' }] }, resource: { ...nat, ...endpoint } } as StackJson), assumptions);
    expect(both.region).toBeNull();
    expect(both.regionFrom).toBe('the configuration names several regions: us-east-1 (aws_vpc_endpoint.ddb service_name); eu-west-1 (provider "aws" region)');
  });
});
