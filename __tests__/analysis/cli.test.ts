import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BROKEN, writeStack, stack } from './fixtures';

const root = join(__dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

/** `npm run check -- <args>`, spawned as users run it (three spawns in this file). */
function runCli(args: string[]) {
  const run = spawnSync(tsx, [join(root, 'scripts', 'check.ts'), ...args], { cwd: root, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('npm run check (spawned)', () => {
  test('exit 0 on the default stack, with the verdict line', () => {
    const run = runCli(['--stack', writeStack(stack())]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('OK: 2/2 functions reach DynamoDB privately, 0 error(s), 0 warning(s), fixed network cost $0.00/month');
  });

  test('exit 1 on a broken stack (--json), the finding in the output', () => {
    const run = runCli(['--stack', writeStack(BROKEN.find((b) => b.id === 'VLD101')!.build()), '--json', '--traffic-gb', '10']);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { failed: boolean; troubleshooting: Array<{ id: string }>; cost: { assumptions: { trafficGb: number } } };
    expect(report.failed).toBe(true);
    expect(report.troubleshooting.map((f) => f.id)).toEqual(['VLD101', 'VLD101']);
    expect(report.cost.assumptions.trafficGb).toBe(10);
  });

  test('a missing input is one line naming the flag, no stack trace', () => {
    const run = runCli(['--stack', '/nonexistent/stack']);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual(['error: --stack: no /nonexistent/stack (run `npm run synth` first)']);
  });
});
