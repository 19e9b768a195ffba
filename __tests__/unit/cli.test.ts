import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../main';

const root = resolve(__dirname, '../..');
/**
 * The CLI as a real process, exactly what `npm run synth` runs (bin/synth.js: the compiled
 * app, built first when a source is newer): exit code and stderr as a user sees them.
 */
function synthProcess(args: string[]) {
  return spawnSync(process.execPath, [join(root, 'bin', 'synth.js'), ...args], { cwd: root, encoding: 'utf8' });
}

/** The same CLI entry in this process (cheaper: no second cdktf load); exit code and stderr. */
async function synth(args: string[]): Promise<{ status: number; stderr: string }> {
  const errors: string[] = [];
  const error = jest.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void errors.push(parts.join(' ')));
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    return { status: await main(['node', 'main.ts', ...args]), stderr: errors.join('\n') };
  } finally {
    error.mockRestore();
    log.mockRestore();
  }
}

describe('npm run synth', () => {
  test('writes the default deploy stack, and with --hcl the same stack as HCL', async () => {
    const out = mkdtempSync(join(tmpdir(), 'vld-cli-'));
    const json = await synth(['--out', join(out, 'json')]);
    expect(json.status).toBe(0);
    const stack = JSON.parse(readFileSync(join(out, 'json/stacks/vpc-lambda-dynamodb/cdk.tf.json'), 'utf8'));
    expect(Object.keys(stack.resource)).toContain('aws_vpc_endpoint');
    const hcl = await synth(['--hcl', '--out', join(out, 'hcl')]);
    expect(hcl.status).toBe(0);
    expect(readFileSync(join(out, 'hcl/stacks/vpc-lambda-dynamodb/cdk.tf'), 'utf8')).toMatch(/resource "aws_vpc_endpoint"/);
  });

  test('the compiled entry npm run synth runs writes the stack and says where', () => {
    const out = mkdtempSync(join(tmpdir(), 'vld-cli-bin-'));
    const run = synthProcess(['--out', out]);
    expect([run.status, run.stderr]).toEqual([0, '']);
    expect(run.stdout.trim()).toBe(`synthesized ${out}/stacks/vpc-lambda-dynamodb/cdk.tf.json`);
    expect(existsSync(join(out, 'stacks/vpc-lambda-dynamodb/cdk.tf.json'))).toBe(true);
  });

  test('a bad config file: one line naming the input, exit 1, no stack trace, nothing written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vld-cli-'));
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ availabilityZones: ['us-east-1a'] }));
    const run = synthProcess(['--config', config, '--out', join(dir, 'out')]);
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe('error: availabilityZones: needs 2 to 6 availability zones, got 1');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  test('a previous good output survives a failed synth untouched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vld-cli-'));
    const out = join(dir, 'out');
    expect((await synth(['--out', out])).status).toBe(0);
    const file = join(out, 'stacks/vpc-lambda-dynamodb/cdk.tf.json');
    const before = readFileSync(file, 'utf8');
    const config = join(dir, 'bad.json');
    writeFileSync(config, '{ "natMode": ');
    const run = await synth(['--config', config, '--out', out]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('error: --config: ');
    expect(run.stderr).toContain('is not valid JSON');
    expect(readFileSync(file, 'utf8')).toBe(before);
  });
});
