import { BROKEN, check, errorIds, writeStack } from './fixtures';
import { runCheck } from '../support/check-cli';

describe('troubleshooting: one broken stack per known failure', () => {
  test.each(BROKEN.map((b) => [b.id, b.case, b] as const))('%s %s: exactly its finding, and a non-zero exit', (id, _case, broken) => {
    const json = broken.build();
    const report = check(json);
    expect([...new Set(report.troubleshooting.map((f) => f.id))]).toEqual([id]);
    expect(errorIds(report)).toEqual([id]);
    expect(report.failed).toBe(true);
    for (const f of report.troubleshooting) expect(f.fix.length).toBeGreaterThan(10);
    expect(runCheck(['--stack', writeStack(json)]).code).toBe(1);
  });

  test('no endpoint names the seed symptom and says no function reaches DynamoDB privately', () => {
    const report = check(BROKEN.find((b) => b.id === 'VLD101')!.build());
    expect(report.troubleshooting[0].symptom).toContain('Task timed out after 3.00 seconds');
    expect(report.reachability.functions.map((f) => [f.name, f.reachable])).toEqual([
      ['vpc-lambda-dynamodb-products', false],
      ['vpc-lambda-dynamodb-user-activity', false],
    ]);
    expect(report.reachability.functions[0].reasons).toEqual(['no DynamoDB gateway endpoint in the configuration']);
  });

  test('an unattached route table is named, with the functions that run behind it', () => {
    const report = check(BROKEN.find((b) => b.id === 'VLD102')!.build());
    expect(new Set(report.troubleshooting.map((f) => f.resource))).toEqual(new Set(['aws_route_table.system_network_private_route_table[1]']));
    expect(report.troubleshooting.map((f) => f.message).join('\n')).toMatch(/products[\s\S]*user-activity/);
  });

  test('the role finding says which actions on which table, and only for the broken function', () => {
    const report = check(BROKEN.find((b) => b.id === 'VLD103')!.build());
    expect(report.troubleshooting).toHaveLength(1);
    expect(report.troubleshooting[0].message).toBe('vpc-lambda-dynamodb-products: role does not allow dynamodb:PutItem, dynamodb:GetItem on aws_dynamodb_table.system_tables_products_table');
    expect(report.reachability.functions.find((f) => f.name.endsWith('user-activity'))!.reachable).toBe(true);
  });

  test('the database finding says which direction is missing', () => {
    const report = check(BROKEN.find((b) => b.id === 'VLD107')!.build());
    expect(report.troubleshooting[0].message).toMatch(/missing ingress 5432 on aws_security_group\.system_database_security_group\[0\]$/);
    // DynamoDB is still reachable: the database is a separate path.
    expect(report.reachability.functions.every((f) => f.reachable)).toBe(true);
  });
});
