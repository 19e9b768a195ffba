import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../scripts/check';

/** Runs the CLI in this process; returns its exit code and what it wrote to stderr. */
function run(args: string[]): { code: number; stderr: string } {
  const errors: string[] = [];
  const error = jest.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void errors.push(parts.join(' ')));
  const write = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    errors.push(String(chunk));
    return true;
  });
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    return { code: main(['node', 'check', ...args]), stderr: errors.join('').trim() };
  } finally {
    error.mockRestore();
    write.mockRestore();
    log.mockRestore();
  }
}

describe('bad input: one line naming the flag, exit 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vld-check-input-'));
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '{');
  const notPlan = join(dir, 'not-plan.json');
  writeFileSync(notPlan, '{"resource": {}}');

  test.each([
    ['invalid JSON plan', ['--plan', broken], /^error: --plan: .*broken\.json is not valid JSON \(/],
    ['JSON that is not a plan', ['--plan', notPlan], /^error: --plan: .*not-plan\.json is not a plan JSON \(expected the output of `terraform show -json <planfile>`/],
    ['missing plan file', ['--plan', join(dir, 'absent.json')], /^error: --plan: cannot read .*absent\.json \(ENOENT\)$/],
    ['stack folder without cdk.tf.json', ['--stack', dir], /^error: --stack: no .*cdk\.tf\.json \(run `npm run synth` first\)$/],
    ['invalid JSON stack', ['--stack', broken], /^error: --stack: .*broken\.json is not valid JSON/],
    ['traffic that is not a number', ['--traffic-gb', 'lots'], /^error: option '--traffic-gb <n>' argument 'lots' is invalid\. --traffic-gb expects a number of GB >= 0, got "lots"$/],
  ])('%s', (_label, args, message) => {
    const result = run(args as string[]);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });
});
