import { allFindings } from '../../analysis/analyze';
import { renderJson, renderText } from '../../analysis/report';
import { check, stack } from './fixtures';

describe('the default stack', () => {
  let report: ReturnType<typeof check>;
  beforeAll(() => {
    report = check(stack());
  });

  test('every function reaches DynamoDB privately: endpoint route on every subnet, 443 to the prefix list, role and endpoint allow its actions', () => {
    expect(report.reachability.endpoints).toEqual(['aws_vpc_endpoint.system_dynamodb_endpoint']);
    expect(report.reachability.functions.map((f) => f.name)).toEqual(['vpc-lambda-dynamodb-products', 'vpc-lambda-dynamodb-user-activity']);
    for (const fn of report.reachability.functions) {
      expect(fn.reachable).toBe(true);
      expect(fn.reasons).toEqual([]);
      expect(fn.subnets).toHaveLength(2);
      for (const s of fn.subnets) expect(s).toMatchObject({ endpointRoute: 'yes', internet: 'none' });
      expect(fn.https).toBe('prefix-list');
      expect(fn.internetAskedFor).toBe(false);
      for (const t of fn.tables) expect(t).toMatchObject({ roleMissing: [], endpointDenied: [], roleUnknown: false, endpointUnknown: false });
    }
    const [products, userActivity] = report.reachability.functions;
    expect(products.tables.map((t) => [t.table, t.actions])).toEqual([['aws_dynamodb_table.system_tables_products_table', ['dynamodb:PutItem', 'dynamodb:GetItem']]]);
    expect(products.database).toBeUndefined();
    expect(userActivity.tables.map((t) => [t.table, t.actions])).toEqual([['aws_dynamodb_table.system_tables_user_activity_table', ['dynamodb:PutItem', 'dynamodb:GetItem']]]);
    expect(userActivity.database).toEqual({ securityGroups: ['aws_security_group.system_database_security_group[0]'], port: 5432, egress: true, ingress: true });
  });

  test('no findings at all, so the check passes', () => {
    expect(allFindings(report)).toEqual([]);
    expect(report.failed).toBe(false);
  });

  test('costs $0 fixed per month: two gateway endpoints (DynamoDB, S3) and no NAT', () => {
    expect(report.cost.fixedMonthly).toBe(0);
    expect(report.cost.lines.map((l) => [l.item, l.fixed])).toEqual([
      ['gateway endpoint aws_vpc_endpoint.system_dynamodb_endpoint', 0],
      ['gateway endpoint aws_vpc_endpoint.system_s3_endpoint', 0],
      ['flow log ingestion (CloudWatch Logs)', 0],
    ]);
    expect(report.cost.endpointComparison).toEqual([]);
    // Flow logs are usage: 1 GB assumed at $0.50/GB.
    expect(report.cost.variableMonthly).toBe(0.5);
  });

  test('the text report has the three sections and the verdict; --json is the same report', () => {
    const text = renderText(report);
    for (const heading of ['1. Reachability', '2. Troubleshooting', '3. Security and cost']) expect(text).toContain(heading);
    expect(text).toContain('OK: 2/2 functions reach DynamoDB privately, 0 error(s), 0 warning(s), fixed network cost $0.00/month');
    expect(JSON.parse(renderJson(report))).toEqual(JSON.parse(JSON.stringify(report)));
  });
});
