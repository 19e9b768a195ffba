import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from '../support/json-schema';
import { BROKEN, stack, writeStack } from './fixtures';
import { runCheck } from '../support/check-cli';

const SARIF_SCHEMA = JSON.parse(readFileSync(join(__dirname, 'schemas', 'sarif-2.1.0-rtm.5.json'), 'utf8')) as Record<string, unknown>;

describe('check --base: what this change does', () => {
  const base = writeStack(stack());
  const withNat = writeStack(stack({ natMode: 'single' }));
  const broken = writeStack(BROKEN.find((b) => b.id === 'VLD101')!.build());

  test('turning NAT on: +$32.85/month fixed, no verdict changes, the new finding named, in every format', () => {
    const text = runCheck(['--stack', withNat, '--base', base]);
    expect(text.stdout).toContain('fixed network cost: $0.00 -> $32.85 (+$32.85/month)');
    expect(text.stdout).toContain('reachability: no function changed its verdict');
    const json = JSON.parse(runCheck(['--stack', withNat, '--base', base, '--format', 'json']).stdout) as { change: { cost: { fixedDelta: number }; newFindings: Array<{ id: string }>; resolvedFindings: unknown[] } };
    expect(json.change.cost.fixedDelta).toBe(32.85);
    expect(json.change.newFindings.map((f) => f.id)).toContain('VLD010');
    expect(json.change.resolvedFindings).toEqual([]);
    const markdown = runCheck(['--stack', withNat, '--base', base, '--format', 'markdown']).stdout;
    expect(markdown).toContain('### What this change does');
    expect(markdown).toContain('(**+$32.85/month**)');
    const sarif = JSON.parse(runCheck(['--stack', withNat, '--base', base, '--format', 'sarif']).stdout) as { runs: Array<{ results: Array<{ ruleId: string; baselineState?: string }> }> };
    expect(sarif.runs[0].results.filter((r) => r.ruleId === 'VLD010').map((r) => r.baselineState)).toEqual(expect.arrayContaining(['new']));
    expect(validate(SARIF_SCHEMA, sarif)).toEqual([]);
  });

  test('breaking the endpoint: both functions go from private to not private, the errors are new, exit 1', () => {
    const run = runCheck(['--stack', broken, '--base', base]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('reachability: vpc-lambda-dynamodb-products: private -> not private');
    expect(run.stdout).toMatch(/findings: \d+ new, 0 resolved\n\s+new\s+VLD101 error/);
  });

  test('fixing it: the errors are resolved (SARIF marks them absent)', () => {
    const run = runCheck(['--stack', base, '--base', broken]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('reachability: vpc-lambda-dynamodb-products: not private -> private');
    expect(run.stdout).toMatch(/findings: 0 new, \d+ resolved\n\s+resolved VLD101/);
    const sarif = JSON.parse(runCheck(['--stack', base, '--base', broken, '--format', 'sarif']).stdout) as { runs: Array<{ results: Array<{ ruleId: string; baselineState?: string }> }> };
    expect(sarif.runs[0].results.filter((r) => r.ruleId === 'VLD101').map((r) => r.baselineState)).toEqual(['absent', 'absent']);
  });

  test('a base that is not there is one line naming --base (exit 2)', () => {
    const run = runCheck(['--stack', base, '--base', '/nonexistent/plan.json']);
    expect([run.code, run.stdout]).toEqual([2, '']);
    expect(run.stderr).toMatch(/^error: --base: cannot read \/nonexistent\/plan\.json/);
  });
});
