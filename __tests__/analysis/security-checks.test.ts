import { SECURITY_TABLE } from '../../analysis/security-checks';
import { blocks, check, editPolicy, nameOf, stack } from './fixtures';

/** Ids and severities of the security findings. */
function security(json: ReturnType<typeof stack>): Array<[string, string]> {
  return check(json).security.map((f) => [f.id, f.severity]);
}

describe('security checks (stable ids)', () => {
  test('ids are unique and stable', () => {
    expect(SECURITY_TABLE.map((c) => c.id)).toEqual(['VLD001', 'VLD002', 'VLD003', 'VLD106', 'VLD004', 'VLD005', 'VLD006', 'VLD007', 'VLD008', 'VLD009', 'VLD010', 'VLD011', 'VLD012', 'VLD013', 'VLD014', 'VLD015', 'VLD016', 'VLD017', 'VLD018', 'VLD019', 'VLD020', 'VLD021', 'VLD022', 'VLD023', 'VLD024']);
  });

  test('VLD001: flow logs off is a warning', () => {
    expect(security(stack({ flowLogs: { enabled: false } }))).toEqual([['VLD001', 'warning']]);
  });

  test('VLD002: a log group without retention', () => {
    const json = stack();
    delete blocks(json, 'aws_cloudwatch_log_group')[nameOf(json, 'aws_cloudwatch_log_group', /products/)].retention_in_days;
    expect(security(json)).toEqual([['VLD002', 'warning']]);
  });

  test('VLD003: dynamodb:* in a role policy is an error', () => {
    const json = stack();
    editPolicy(blocks(json, 'aws_iam_role_policy')[nameOf(json, 'aws_iam_role_policy', /products_role_policy$/)], (doc) => {
      for (const s of doc.Statement) if (JSON.stringify(s.Action).includes('dynamodb:')) s.Action = 'dynamodb:*';
    });
    const report = check(json);
    expect(report.security.map((f) => [f.id, f.message])).toEqual([['VLD003', 'allows dynamodb:*']]);
    // The wildcard still allows what the function needs: reachability is unchanged.
    expect(report.troubleshooting).toEqual([]);
    expect(report.failed).toBe(true);
  });

  test('VLD004: 0.0.0.0/0 egress with no NAT route', () => {
    const json = stack();
    const sg = nameOf(json, 'aws_security_group', /products/);
    blocks(json, 'aws_vpc_security_group_egress_rule').anywhere = { security_group_id: `\${aws_security_group.${sg}.id}`, ip_protocol: '-1', cidr_ipv4: '0.0.0.0/0' };
    expect(security(json)).toEqual([['VLD004', 'warning'], ['VLD022', 'info']]);
  });

  test('VLD005, VLD006, VLD007: public, unencrypted database with a literal password', () => {
    const json = stack();
    const db = blocks(json, 'aws_db_instance')[nameOf(json, 'aws_db_instance')];
    Object.assign(db, { publicly_accessible: true, storage_encrypted: false, password: 'hunter2' });
    expect(security(json)).toEqual([['VLD005', 'error'], ['VLD006', 'error'], ['VLD007', 'error']]);
  });

  test('VLD007: a password in a function environment variable (the seed\'s bug)', () => {
    const json = stack();
    const fn = blocks(json, 'aws_lambda_function')[nameOf(json, 'aws_lambda_function', /user_activity/)] as { environment: { variables: Record<string, string> } };
    fn.environment.variables.DB_PASSWORD = 'postgres';
    expect(security(json)).toEqual([['VLD007', 'error']]);
  });

  test('VLD008: an open endpoint policy is a warning', () => {
    expect(security(stack({ endpointPolicy: 'open' }))).toEqual([['VLD008', 'warning']]);
  });

  test('VLD009: a created VPC whose default security group is not emptied', () => {
    const json = stack();
    delete json.resource!.aws_default_security_group;
    expect(security(json)).toEqual([['VLD009', 'warning']]);
  });

  test('VLD011: an unresolved CDKTF token in a policy (what JSON.stringify of a list token writes)', () => {
    const json = stack();
    const name = nameOf(json, 'aws_iam_role_policy', /products_role_policy$/);
    editPolicy(blocks(json, 'aws_iam_role_policy')[name], (doc) => {
      for (const s of doc.Statement) if (JSON.stringify(s.Action).includes('dynamodb:')) s.Resource = ['<unresolved-token>'];
    });
    const report = check(json);
    expect(report.security.map((f) => [f.id, f.resource, f.message])).toEqual([['VLD011', `aws_iam_role_policy.${name}`, 'policy holds an unresolved token placeholder']]);
    // And the role no longer grants the table: the function would get AccessDenied.
    expect(report.troubleshooting.map((f) => f.id)).toEqual(['VLD103']);
  });
});
