import { compareEndpointWithNat, estimateCost } from '../../analysis/cost-estimate';
import { graphFromStack, StackJson } from '../../analysis/terraform-graph';
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
