/**
 * The scanners' rules that matter (VLD012-VLD022), both ways: each fails on the broken
 * configuration it describes, and the default stack passes every one of them or carries a
 * written suppression (with its reason, in the configuration itself).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allFindings } from '../../analysis/analyze';
import { readModuleSource } from '../../analysis/hcl-source';
import { inlineSuppressions } from '../../analysis/inline-suppressions';
import { rulesSuppressedBy, SCANNER_IDS } from '../../analysis/scanner-ids';
import { SECURITY_CHECKS } from '../../analysis/security-checks';
import { graphFromStack, StackJson } from '../../analysis/terraform-graph';
import { blocks, check, editPolicy, nameOf, stack } from './fixtures';

const NEW_RULES = ['VLD012', 'VLD013', 'VLD014', 'VLD015', 'VLD016', 'VLD017', 'VLD018', 'VLD019', 'VLD020', 'VLD021', 'VLD022'];

/** Findings of the new rules, as [id, resource] pairs. */
function newFindings(json: ReturnType<typeof stack>): Array<[string, string]> {
  return allFindings(check(json))
    .filter((f) => NEW_RULES.includes(f.id))
    .map((f) => [f.id, f.resource]);
}

function database(json: ReturnType<typeof stack>): Record<string, unknown> {
  return blocks(json, 'aws_db_instance')[nameOf(json, 'aws_db_instance')];
}

describe('the scanners\' rules (VLD012-VLD022)', () => {
  test('the default stack passes every one, or carries a suppression with its reason in the configuration', () => {
    const report = check(stack());
    expect(allFindings(report).filter((f) => NEW_RULES.includes(f.id))).toEqual([]);
    const suppressed = (report.suppressed ?? []).filter((s) => NEW_RULES.includes(s.finding.id));
    // Only the log groups' key of yours (a customer managed key is opt-in: 1 USD/month and a key policy).
    expect(new Set(suppressed.map((s) => s.finding.id))).toEqual(new Set(['VLD020']));
    for (const s of suppressed) {
      expect(s.inSource).toBe(true);
      expect(s.reason).toMatch(/customer managed key .* opt-in .*\[CKV_AWS_158, AVD-AWS-0017\]$/);
      expect(s.source).toBe(`${s.finding.resource.replace(/\[\d+\]$/, '')} "//"`);
    }
  });

  test('the suppressions are what the configuration says: removed from the JSON, the findings count', () => {
    const json = stack();
    for (const group of Object.values(blocks(json, 'aws_cloudwatch_log_group'))) delete group['//'];
    const ids = newFindings(json).map(([id]) => id);
    expect(ids.length).toBe(Object.keys(blocks(json, 'aws_cloudwatch_log_group')).length);
    expect(new Set(ids)).toEqual(new Set(['VLD020']));
  });

  test('with the options on (log KMS key), nothing is suppressed: the stack passes outright', () => {
    const key = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';
    const report = check(stack({ logKmsKeyArn: key, flowLogs: { kmsKeyArn: key } }));
    expect(allFindings(report).filter((f) => NEW_RULES.includes(f.id))).toEqual([]);
    expect((report.suppressed ?? []).filter((s) => NEW_RULES.includes(s.finding.id))).toEqual([]);
  });

  test.each<[string, string, (db: Record<string, unknown>) => void, RegExp]>([
    ['VLD012', 'deletion protection off', (db) => (db.deletion_protection = false), /deletion_protection is not true/],
    ['VLD013', 'no automated backups', (db) => (db.backup_retention_period = 0), /backup_retention_period = 0/],
    ['VLD013', 'backups not set', (db) => delete db.backup_retention_period, /backup_retention_period is not set/],
    ['VLD014', 'IAM authentication off', (db) => (db.iam_database_authentication_enabled = false), /iam_database_authentication_enabled is not true/],
    ['VLD015', 'no log exports', (db) => delete db.enabled_cloudwatch_logs_exports, /enabled_cloudwatch_logs_exports is empty/],
    ['VLD015', 'exports without the postgresql log', (db) => (db.enabled_cloudwatch_logs_exports = ['upgrade']), /lacks "postgresql"/],
    ['VLD016', 'Performance Insights off', (db) => (db.performance_insights_enabled = false), /performance_insights_enabled is not true/],
    ['VLD017', 'minor upgrades off', (db) => (db.auto_minor_version_upgrade = false), /auto_minor_version_upgrade = false/],
  ])('%s: %s', (id, _what, edit, message) => {
    const json = stack();
    edit(database(json));
    const found = allFindings(check(json)).filter((f) => NEW_RULES.includes(f.id));
    expect(found.map((f) => f.id)).toEqual([id]);
    expect(found[0].severity).toBe('warning');
    expect(found[0].resource).toBe(`aws_db_instance.${nameOf(json, 'aws_db_instance')}[0]`);
    expect(found[0].message).toMatch(message);
  });

  test('VLD014 is not asked of an engine RDS IAM authentication does not exist for', () => {
    const json = stack();
    Object.assign(database(json), { engine: 'sqlserver-ex', iam_database_authentication_enabled: false });
    expect(newFindings(json).map(([id]) => id)).not.toContain('VLD014');
  });

  test('VLD018 and VLD019: a table without point-in-time recovery or KMS encryption', () => {
    const json = stack();
    const name = nameOf(json, 'aws_dynamodb_table', /products/);
    const table = blocks(json, 'aws_dynamodb_table')[name];
    table.point_in_time_recovery = { enabled: false };
    delete table.server_side_encryption;
    expect(newFindings(json)).toEqual([
      ['VLD018', `aws_dynamodb_table.${name}`],
      ['VLD019', `aws_dynamodb_table.${name}`],
    ]);
  });

  test('VLD021: Resource "*" in a function policy beyond the ENI and X-Ray actions', () => {
    const json = stack();
    const name = nameOf(json, 'aws_iam_role_policy', /products_role_policy$/);
    const policy = blocks(json, 'aws_iam_role_policy')[name];
    // X-Ray's writes on "*" are the documented allowed case, like the ENI statement already there.
    editPolicy(policy, (doc) => doc.Statement.push({ Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' }));
    expect(newFindings(json)).toEqual([]);
    editPolicy(policy, (doc) => doc.Statement.push({ Effect: 'Allow', Action: ['s3:GetObject', 'ec2:*'], Resource: '*' }));
    const found = allFindings(check(json)).filter((f) => f.id === 'VLD021');
    expect(found.map((f) => [f.resource, f.severity])).toEqual([[`aws_iam_role_policy.${name}`, 'warning']]);
    expect(found[0].message).toMatch(/allows s3:GetObject, ec2:\* on "\*"/);
  });

  test('VLD021 is not hidden by the Checkov skip written for the ENI statement (CKV_AWS_355 checks something else)', () => {
    const json = stack();
    const name = nameOf(json, 'aws_iam_role_policy', /products_role_policy$/);
    const policy = blocks(json, 'aws_iam_role_policy')[name] as Record<string, unknown>;
    expect(JSON.stringify(policy['//'])).toContain('CKV_AWS_355');
    editPolicy(policy, (doc) => doc.Statement.push({ Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: '*' }));
    expect(newFindings(json)).toEqual([['VLD021', `aws_iam_role_policy.${name}`]]);
    expect(rulesSuppressedBy('CKV_AWS_355')).toEqual([]);
  });

  test('VLD022: egress to 0.0.0.0/0 or ::/0 is info, inline or as a rule', () => {
    const json = stack();
    const sg = nameOf(json, 'aws_security_group', /products/);
    blocks(json, 'aws_security_group')[sg].egress = [{ from_port: 0, to_port: 0, protocol: '-1', cidr_blocks: ['0.0.0.0/0'], ipv6_cidr_blocks: ['::/0'] }];
    blocks(json, 'aws_security_group_rule').https = { type: 'egress', security_group_id: `\${aws_security_group.${sg}.id}`, from_port: 443, to_port: 443, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] };
    const found = allFindings(check(json)).filter((f) => f.id === 'VLD022');
    expect(found.map((f) => [f.severity, f.message])).toEqual([
      ['info', 'egress to 0.0.0.0/0 and ::/0 on all ports'],
      ['info', 'egress to 0.0.0.0/0 on tcp 443'],
    ]);
    expect(check(json).failed).toBe(false);
  });

  test('every new rule is defined once, and every scanner id it is "the same as" is one it corresponds to', () => {
    const ids: string[] = Object.values(SECURITY_CHECKS).map((c) => c.id);
    for (const id of NEW_RULES) expect(ids.filter((x) => x === id)).toHaveLength(1);
    for (const [rule, s] of Object.entries(SCANNER_IDS)) {
      for (const same of s.sameAs ?? []) expect([...(s.checkov ?? []), ...(s.trivy ?? [])]).toContain(same);
      expect(ids.includes(rule) || rule.startsWith('VLD1')).toBe(true);
    }
  });
});

describe('suppressions written in the configuration', () => {
  test('a JSON "//" entry without a reason is not applied', () => {
    const json = stack();
    const name = nameOf(json, 'aws_cloudwatch_log_group', /products/);
    blocks(json, 'aws_cloudwatch_log_group')[name]['//'] = { suppressions: [{ checkov: ['CKV_AWS_158'], trivy: [], reason: ' ' }] };
    expect(inlineSuppressions(graphFromStack(json as StackJson)).filter((s) => s.resource === `aws_cloudwatch_log_group.${name}`)).toEqual([]);
    expect(newFindings(json)).toEqual([['VLD020', `aws_cloudwatch_log_group.${name}`]]);
  });

  test('HCL: #checkov:skip inside the block, with a reason, as Checkov reads it; above the block or without a reason it is not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vld-skip-'));
    writeFileSync(
      join(dir, 'main.tf'),
      [
        '#trivy:ignore:AVD-AWS-0017',
        'resource "aws_cloudwatch_log_group" "kept" {',
        '  #checkov:skip=CKV_AWS_158,CKV_AWS_338:audit logs go to the SIEM, not to a key of ours',
        '  name = "/a" # a { brace in a comment',
        '}',
        '# checkov:skip=CKV_AWS_158:above the block: Checkov does not read this',
        'resource "aws_cloudwatch_log_group" "above" {',
        '  name = "/b"',
        '  // checkov:skip=CKV_AWS_158',
        '}',
        'resource "aws_lambda_function" "f" {',
        '  description = "#checkov:skip=CKV_AWS_50:inside a string"',
        '}',
      ].join('\n'),
    );
    const source = readModuleSource(dir)!;
    expect(source.suppressions).toEqual({
      'aws_cloudwatch_log_group.kept': [{ ids: ['CKV_AWS_158', 'CKV_AWS_338'], reason: 'audit logs go to the SIEM, not to a key of ours', source: `${join(dir, 'main.tf')}:3` }],
    });
    expect(rulesSuppressedBy('CKV_AWS_158')).toEqual(['VLD020']);
  });
});
