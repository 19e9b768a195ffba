import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCheck } from '../support/check-cli';

describe('bad input: one line naming the flag, exit 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vld-check-input-'));
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '{');
  const notPlan = join(dir, 'not-plan.json');
  writeFileSync(notPlan, '{"resource": {}}');
  const state = join(dir, 'terraform.tfstate');
  writeFileSync(state, JSON.stringify({ version: 4, terraform_version: '1.11.4', serial: 3, lineage: 'a1b2', outputs: {}, resources: [] }));
  const stateJson = join(dir, 'state.json');
  writeFileSync(stateJson, JSON.stringify({ format_version: '1.0', terraform_version: '1.11.4', values: { root_module: {} } }));
  const truncated = join(dir, 'truncated.json');
  writeFileSync(truncated, '{"format_version":"1.2","terraform_version":"1.11.4","planned_values":{"root_module":{"resources":[{"address":"aws_vpc.main"');
  const shown = join(dir, 'plan.txt');
  writeFileSync(shown, 'Terraform used the selected providers to generate the following execution\nplan. Resource actions are indicated with the following symbols:\n  + create\n\n  # aws_vpc.main will be created\n  + resource "aws_vpc" "main" {\n');
  const binary = join(dir, 'plan.bin');
  writeFileSync(binary, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]));
  const streamed = join(dir, 'plan-log.json');
  writeFileSync(streamed, '{"@level":"info","@message":"Terraform 1.11.4","type":"version"}\n{"@level":"info","type":"planned_change"}\n');

  test.each([
    ['invalid JSON plan', ['--plan', broken], /^error: --plan: .*broken\.json is not a plan JSON: it is truncated or invalid JSON \(.*\); expected the output of `terraform show -json <planfile>`$/],
    ['JSON that is not a plan (a configuration)', ['--plan', notPlan], /^error: --plan: .*not-plan\.json is not a plan JSON: it is a Terraform JSON configuration \(\*\.tf\.json, cdk\.tf\.json\): pass a stack with --stack, or plan it; expected the output of `terraform show -json <planfile>`$/],
    ['a state file', ['--plan', state], /^error: --plan: .*terraform\.tfstate is not a plan JSON: it is a Terraform state file \(terraform\.tfstate\), not a plan; expected/],
    ['a state as JSON', ['--plan', stateJson], /^error: --plan: .*state\.json is not a plan JSON: it is a state as JSON \(`terraform show -json` without a plan file\): pass it with --state; expected/],
    ['a truncated plan', ['--plan', truncated], /^error: --plan: .*truncated\.json is not a plan JSON: it is truncated or invalid JSON \(/],
    ['terraform show text', ['--plan', shown], /^error: --plan: .*plan\.txt is not a plan JSON: it is the text of `terraform show` or `terraform plan` \(no -json\); expected the output of `terraform show -json <planfile>`$/],
    ['a binary plan file', ['--plan', binary], /^error: --plan: .*plan\.bin is not a plan JSON: it is a binary plan file \(terraform plan -out\): convert it with `terraform show -json <planfile> > plan\.json`; expected/],
    ['the streamed log of terraform plan -json', ['--plan', streamed], /^error: --plan: .*plan-log\.json is not a plan JSON: it is the streamed log of `terraform plan -json`, not a plan; expected/],
    ['a --link that is not function=table', ['--link', 'orders'], /^error: option '--link <function=table>' argument 'orders' is invalid\. --link expects function=table \(a name or an address each\), got "orders"$/],
    ['missing plan file', ['--plan', join(dir, 'absent.json')], /^error: --plan: cannot read .*absent\.json \(ENOENT\)$/],
    ['stack folder without cdk.tf.json', ['--stack', dir], /^error: --stack: no .*cdk\.tf\.json \(run `npm run synth` first\)$/],
    ['invalid JSON stack', ['--stack', broken], /^error: --stack: .*broken\.json is not valid JSON/],
    ['an unknown --format', ['--format', 'xml'], /^error: option '--format <format>' argument 'xml' is invalid\. --format expects one of text\|json\|sarif\|markdown, got "xml"$/],
    ['an unknown --fail-on', ['--fail-on', 'fatal'], /^error: option '--fail-on <severity>' argument 'fatal' is invalid\. --fail-on expects one of error\|warning\|never, got "fatal"$/],
    ['--json with another --format', ['--json', '--format', 'sarif'], /^error: --json is --format json; it contradicts --format sarif$/],
    ['traffic that is not a number', ['--traffic-gb', 'lots'], /^error: option '--traffic-gb <n>' argument 'lots' is invalid\. --traffic-gb expects a number of GB >= 0, got "lots"$/],
  ])('%s', (_label, args, message) => {
    const result = runCheck(args as string[]);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });
});

describe('--state: bad input, one line naming the flag, exit 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vld-state-input-'));
  test.each([
    ['a raw terraform.tfstate', { version: 4, lineage: 'x', serial: 3, resources: [] }, /^error: --state: .* is a raw state file \(terraform\.tfstate\): convert it with `terraform show -json > state\.json`$/],
    ['a plan', { format_version: '1.2', resource_changes: [], configuration: {} }, /^error: --state: .* is a plan JSON: pass it with --plan$/],
    ['something else', { hello: 1 }, /^error: --state: .* is not a state JSON: expected the output of `terraform show -json`/],
  ])('%s', (_what, json, message) => {
    const file = join(dir, `${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(json));
    const result = runCheck(['--state', file]);
    expect([result.code, result.stdout]).toEqual([2, '']);
    expect(result.stderr.split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });
});
