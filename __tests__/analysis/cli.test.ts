import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validate } from '../support/json-schema';
import { cleanEnv } from '../support/package-install';
import { BROKEN, writeStack, stack } from './fixtures';

const root = join(__dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

/** `npm run check -- <args>`, spawned as users run it (tsx, as the npm script does). */
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

describe('npm run -s check (through npm, stdout redirected by the shell)', () => {
  const SCHEMA = JSON.parse(readFileSync(join(__dirname, 'schemas', 'sarif-2.1.0-rtm.5.json'), 'utf8')) as Record<string, unknown>;
  /** `sh -c 'npm run -s check -- <args> > <out>'` in the repository; npm's variables from an enclosing `npm test` left out. */
  function npmRunSilent(args: string[]) {
    const out = join(mkdtempSync(join(tmpdir(), 'vld-npm-run-')), 'out');
    const quoted = args.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
    const run = spawnSync('sh', ['-c', `npm run -s check -- ${quoted} > '${out}'`], { cwd: root, env: cleanEnv(), encoding: 'utf8' });
    return { status: run.status, stderr: run.stderr, file: readFileSync(out, 'utf8') };
  }

  test('--format sarif > file: the file is the SARIF log alone (no npm banner), valid SARIF 2.1.0', () => {
    const run = npmRunSilent(['--stack', writeStack(stack()), '--format', 'sarif']);
    expect([run.status, run.stderr]).toEqual([0, '']);
    expect(run.file.startsWith('{')).toBe(true);
    expect(validate(SCHEMA, JSON.parse(run.file))).toEqual([]);
  });

  test('--help: the usage under "npm run check --", exit 0', () => {
    const run = npmRunSilent(['--help']);
    expect([run.status, run.stderr]).toEqual([0, '']);
    expect(run.file.split('\n')[0]).toBe('Usage: npm run check -- [options]');
  });
});
