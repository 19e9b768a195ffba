import { blocks, BROKEN, check, errorIds, nameOf, stack, writeStack } from './fixtures';
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

describe('network ACLs (stateless: 443 out and the answers back in)', () => {
  const rule = (rule_no: number, action: string, from_port: number, to_port: number, cidr_block: string) => ({ rule_no, action, protocol: 'tcp', from_port, to_port, cidr_block, ipv6_cidr_block: null, icmp_code: null, icmp_type: null });
  const withAcl = (egress: object[], ingress: object[], extra?: (json: ReturnType<typeof stack>) => void) => {
    const json = stack();
    const subnet = nameOf(json, 'aws_subnet', /private/);
    blocks(json, 'aws_network_acl').team = { vpc_id: `\${aws_vpc.${nameOf(json, 'aws_vpc')}[0].id}`, subnet_ids: `\${aws_subnet.${subnet}[*].id}`, egress, ingress };
    extra?.(json);
    return check(json);
  };

  test('443 out and 1024-65535 back from anywhere: verified, no finding', () => {
    const report = withAcl([rule(100, 'allow', 443, 443, '0.0.0.0/0')], [rule(100, 'allow', 1024, 65535, '0.0.0.0/0')]);
    expect(report.troubleshooting).toEqual([]);
    expect(report.reachability.functions.every((f) => f.reachable && f.subnets.every((s) => s.networkAcl?.verdict === 'allows'))).toBe(true);
  });

  test('a lower-numbered aws_network_acl_rule that denies 443 wins over the allow: VLD110 naming that rule', () => {
    const report = withAcl([rule(100, 'allow', 0, 65535, '0.0.0.0/0')], [rule(100, 'allow', 1024, 65535, '0.0.0.0/0')], (json) => {
      blocks(json, 'aws_network_acl_rule').no_https = { network_acl_id: '${aws_network_acl.team.id}', rule_number: 50, egress: true, protocol: 'tcp', rule_action: 'deny', cidr_block: '0.0.0.0/0', from_port: 443, to_port: 443 };
    });
    expect([...new Set(errorIds(report))]).toEqual(['VLD110']);
    expect(report.troubleshooting[0].message).toMatch(/blocks egress tcp 443 to DynamoDB's prefix list: denied by aws_network_acl_rule\.no_https$/);
  });

  test("rules for specific public CIDRs cannot be decided before apply (the prefix list's CIDRs are not in a plan): unverified, never OK", () => {
    const report = withAcl([rule(100, 'allow', 443, 443, '52.94.0.0/22')], [rule(100, 'allow', 1024, 65535, '0.0.0.0/0')]);
    expect([...new Set(errorIds(report))]).toEqual(['VLD109']);
    expect(report.troubleshooting[0].message).toMatch(/aws_network_acl\.team egress tcp 443: aws_network_acl\.team egress rule 100 names 52\.94\.0\.0\/22, and DynamoDB's prefix-list CIDRs are not known before apply/);
  });
});

test("a table resource policy whose Deny is conditioned on this configuration's endpoint: verified, no finding", () => {
  const json = stack();
  const table = nameOf(json, 'aws_dynamodb_table', /products/);
  const endpoint = nameOf(json, 'aws_vpc_endpoint', /dynamodb/);
  blocks(json, 'aws_dynamodb_resource_policy').products_only_via_endpoint = {
    resource_arn: `\${aws_dynamodb_table.${table}.arn}`,
    policy: `\${jsonencode({ Statement = [{ Effect = "Deny", Principal = "*", Action = "dynamodb:*", Resource = "*", Condition = { StringNotEquals = { "aws:SourceVpce" = aws_vpc_endpoint.${endpoint}.id } } }] })}`,
  };
  const report = check(json);
  expect(report.troubleshooting).toEqual([]);
  expect(report.reachability.functions.every((f) => f.reachable)).toBe(true);
});
