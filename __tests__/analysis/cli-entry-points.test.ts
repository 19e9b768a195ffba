import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBin } from '../support/check-cli';
import { stack, writeStack } from './fixtures';

/**
 * The two ways check starts speak in their own name: `npm run check --` in this repository,
 * `vpc-lambda-dynamodb` from the installed package (the bin runs `bin()` from lib/; the
 * package test runs the real bin from the packed tarball).
 */
describe('vpc-lambda-dynamodb (the bin)', () => {
  test.each([['--help'], ['-h'], ['help']])('%s: the usage in the bin\'s name on stdout, exit 0', async (flag) => {
    const run = await runBin([flag]);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout.split('\n')[0]).toBe('Usage: vpc-lambda-dynamodb <command> [options]');
    expect(run.stdout).toMatch(/^ {2}check \[options\] /m);
    expect(run.stdout).not.toContain('npm run');
  });

  test.each([[['check', '--help']], [['check', '-h']], [['help', 'check']]])('%j: check\'s options under "vpc-lambda-dynamodb check", exit 0', async (args) => {
    const run = await runBin(args);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout.split('\n')[0]).toBe('Usage: vpc-lambda-dynamodb check [options]');
    expect(run.stdout).toContain('--plan <file>');
    expect(run.stdout).not.toContain('npm run');
  });

  test.each([[['verify', '--help']], [['help', 'verify']]])('%j: verify\'s options under "vpc-lambda-dynamodb verify", exit 0', async (args) => {
    const run = await runBin(args);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout.split('\n')[0]).toBe('Usage: vpc-lambda-dynamodb verify [options]');
    expect(run.stdout).toContain('--function <name>');
  });

  test('--help lists verify beside check', async () => {
    const run = await runBin(['--help']);
    expect(run.stdout).toMatch(/^ {2}verify \[options\] /m);
  });

  test('--version prints the package version', async () => {
    const run = await runBin(['--version']);
    expect([run.code, run.stdout.trim(), run.stderr]).toEqual([0, (require('../../package.json') as { version: string }).version, '']);
  });

  test('no command: the usage on stderr, nothing on stdout, exit 2; an unknown command is one line', async () => {
    const none = await runBin([]);
    expect([none.code, none.stdout]).toEqual([2, '']);
    expect(none.stderr.split('\n')[0]).toBe('Usage: vpc-lambda-dynamodb <command> [options]');
    const unknown = await runBin(['deploy']);
    expect([unknown.code, unknown.stdout, unknown.stderr]).toEqual([2, '', 'error: unknown command "deploy"; the commands are: check, verify\n']);
  });

  test('no stack: one line naming --stack that tells a user of the package what to do (not npm run synth)', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'vld-bin-'));
    const run = await runBin(['check', '--stack', empty]);
    expect([run.code, run.stdout]).toEqual([2, '']);
    expect(run.stderr).toBe(
      `error: --stack: no ${join(empty, 'cdk.tf.json')} (synthesize your CDKTF app with cdktf synth, or pass --stack <folder holding cdk.tf.json> or --plan <plan.json>)\n`,
    );
  });

  test("check: the text report's first line names the bin", async () => {
    const run = await runBin(['check', '--stack', writeStack(stack())]);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout.split('\n')[0]).toMatch(/^vpc-lambda-dynamodb check: stack .*cdk\.tf\.json$/);
  });
});
