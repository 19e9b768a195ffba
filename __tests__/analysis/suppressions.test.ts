import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allFindings } from '../../analysis/analyze';
import { applySuppressions, loadSuppressions, parseSkip } from '../../analysis/suppressions';
import { renderSarif } from '../../analysis/sarif';
import { BROKEN, check, writeStack } from './fixtures';
import { validate } from '../support/json-schema';
import { readFileSync } from 'node:fs';
import { runCheck } from '../support/check-cli';

const SARIF_SCHEMA = JSON.parse(readFileSync(join(__dirname, 'schemas', 'sarif-2.1.0-rtm.5.json'), 'utf8')) as Record<string, unknown>;

const broken = () => BROKEN.find((b) => b.id === 'VLD101')!.build();

function file(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'vld-suppress-')), '.vld.yaml');
  writeFileSync(path, text);
  return path;
}

describe('suppressions: accepted findings, each with a reason', () => {
  test('a suppressed error no longer fails the run and is reported as suppressed in text, JSON and SARIF', () => {
    const stackDir = writeStack(broken());
    expect(runCheck(['--stack', stackDir]).code).toBe(1);
    const suppressions = file('suppressions:\n  - id: VLD101\n    reason: the endpoint is created by the network team stack\n    expires: 2999-12-31\n');
    const run = runCheck(['--stack', stackDir, '--suppressions', suppressions]);
    expect(run.code).toBe(0);
    // Beside what the stack itself suppresses in source (its log groups' VLD020).
    // Grouped by rule and reason: VLD101 on both functions, the reason said once.
    const text = run.stdout.slice(run.stdout.indexOf('Suppressed, not counted'));
    expect(text).toMatch(/^Suppressed, not counted \(\d+\):\n/);
    expect(text).toMatch(/\n  VLD101 No DynamoDB gateway endpoint \(2\): vpc-lambda-dynamodb-products \(products_function\),\s+vpc-lambda-dynamodb-user-activity \(user_activity_function\)\n    accepted: the endpoint is created by the network team stack \(.*\.vld\.yaml, until 2999-12-31\)/);
    expect(text.split('the endpoint is created by the network team stack')).toHaveLength(2);
    const json = JSON.parse(runCheck(['--stack', stackDir, '--suppressions', suppressions, '--json']).stdout) as { failed: boolean; suppressed: Array<{ finding: { id: string }; reason: string; inSource?: boolean }> };
    expect([json.failed, json.suppressed.filter((s) => !s.inSource).map((s) => s.finding.id)]).toEqual([false, ['VLD101', 'VLD101']]);
    expect(new Set(json.suppressed.filter((s) => s.inSource).map((s) => s.finding.id))).toEqual(new Set(['VLD020']));
    const sarif = JSON.parse(runCheck(['--stack', stackDir, '--skip', 'VLD101=accepted for this run', '--format', 'sarif']).stdout) as { runs: Array<{ results: Array<{ ruleId: string; suppressions?: Array<{ justification: string }> }> }> };
    const results = sarif.runs[0].results.filter((r) => r.ruleId === 'VLD101');
    expect(results.map((r) => r.suppressions?.[0].justification)).toEqual(['accepted for this run (--skip)', 'accepted for this run (--skip)']);
  });

  test('a suppression scoped to one resource leaves the same rule on other resources counted', () => {
    const report = check(broken());
    const [first, second] = allFindings(report).filter((f) => f.id === 'VLD101');
    const applied = applySuppressions(report, [{ id: 'VLD101', resource: first.resource, reason: 'known', source: 'test' }]);
    expect(allFindings(applied).filter((f) => f.id === 'VLD101').map((f) => f.resource)).toEqual([second.resource]);
    expect(applied.failed).toBe(true);
    // Same verdict data in SARIF: both results, one of them suppressed.
    const sarif = JSON.parse(renderSarif(applied)) as { runs: Array<{ results: Array<{ ruleId: string; suppressions?: unknown[] }> }> };
    expect(sarif.runs[0].results.filter((r) => r.ruleId === 'VLD101').map((r) => r.suppressions !== undefined)).toEqual([false, true]);
    expect(validate(SARIF_SCHEMA, sarif)).toEqual([]);
  });

  test('an expired suppression no longer applies, and the report says so', () => {
    const report = applySuppressions(check(broken()), [{ id: 'VLD101', reason: 'temporary', expires: '2026-01-31', source: '.vld.yaml' }], new Date('2026-02-01T12:00:00Z'));
    expect(report.failed).toBe(true);
    expect(report.suppressed!.filter((s) => s.finding.id === 'VLD101')).toEqual([]);
    const run = runCheck(['--stack', writeStack(broken()), '--suppressions', file('suppressions:\n  - id: VLD101\n    reason: temporary\n    expires: 2020-01-31\n')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/note: the suppression of VLD101 \(.*\) expired on 2020-01-31; its findings count again/);
  });

  test.each<[string, string, RegExp]>([
    ['no reason', 'suppressions:\n  - id: VLD101\n', /^error: --suppressions: .*\.vld\.yaml: suppressions\.0\.reason /],
    ['an empty reason', 'suppressions:\n  - id: VLD101\n    reason: "  "\n', /suppressions\.0\.reason is required: say why the finding is accepted$/],
    ['not a rule id', 'suppressions:\n  - id: CKV_AWS_16\n    reason: x\n', /suppressions\.0\.id must be a rule id like VLD010$/],
    ['a bad date', 'suppressions:\n  - id: VLD101\n    reason: x\n    expires: next week\n', /suppressions\.0\.expires must be a date YYYY-MM-DD$/],
    ['an unknown key', 'suppressions:\n  - id: VLD101\n    reason: x\n    until: 2027-01-01\n', /suppressions\.0 Unrecognized key: "until"$/],
    ['not YAML', 'suppressions: [\n', /is not valid YAML: /],
  ])('a suppressions file with %s is refused in one line naming it (exit 2)', (_what, text, message) => {
    const run = runCheck(['--stack', writeStack(broken()), '--suppressions', file(text)]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(message);
  });

  test('--skip needs a reason; its forms parse', () => {
    expect(parseSkip('VLD010@aws_route.private=NAT kept for the batch job')).toEqual({ id: 'VLD010', resource: 'aws_route.private', reason: 'NAT kept for the batch job', source: '--skip' });
    const run = runCheck(['--stack', writeStack(broken()), '--skip', 'VLD101']);
    expect([run.code, run.stderr]).toEqual([2, 'error: --skip: expects ID=reason or ID@resource=reason (a reason is required), got "VLD101"']);
    expect(() => loadSuppressions('/nonexistent/.vld.yaml')).toThrow('--suppressions: /nonexistent/.vld.yaml does not exist');
  });
});
