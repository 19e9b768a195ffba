import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../analysis/analyze';
import { loadStack } from '../../analysis/load-input';
import { renderMarkdown } from '../../analysis/markdown';
import { renderText, TEXT_WIDTH } from '../../analysis/report';
import { locateAddress, locateInSource, sarifLog } from '../../analysis/sarif';
import { validate } from '../support/json-schema';
import { BROKEN, check, stack, writeStack } from './fixtures';
import { runCheck } from '../support/check-cli';

const SCHEMA = JSON.parse(readFileSync(join(__dirname, 'schemas', 'sarif-2.1.0-rtm.5.json'), 'utf8')) as Record<string, unknown>;
const broken = (id: string) => BROKEN.find((b) => b.id === id)!.build();

describe('--format sarif', () => {
  test('the validator is not vacuous: it rejects a log with a wrong level and a missing driver name', () => {
    const log = JSON.parse(JSON.stringify(sarifLog(check(broken('VLD105')))));
    log.runs[0].results[0].level = 'fatal';
    delete log.runs[0].tool.driver.name;
    expect(validate(SCHEMA, log)).toEqual(expect.arrayContaining([expect.stringMatching(/level: "fatal" not in/), expect.stringMatching(/driver: missing name/)]));
  });

  test('the default stack: valid SARIF 2.1.0, every rule in the driver, no result but those its configuration suppresses in source', () => {
    const log = sarifLog(check(stack()), { version: '0.2.0' });
    expect(validate(SCHEMA, log)).toEqual([]);
    const rules = log.runs[0].tool.driver.rules;
    const ids = rules.map((r) => r.id);
    const expected = [...Array.from({ length: 24 }, (_, i) => `VLD${String(i + 1).padStart(3, '0')}`), ...Array.from({ length: 7 }, (_, i) => `VLD${101 + i}`), 'VLD109', 'VLD110', 'VLD111', 'VLD120'];
    expect(ids).toEqual(expected);
    for (const r of rules) {
      expect(r.name).toMatch(/^[A-Z][A-Za-z0-9]+$/);
      expect(r.shortDescription.text).not.toBe('');
      expect(r.help.text).not.toBe('');
      expect(['error', 'warning', 'note']).toContain(r.defaultConfiguration.level);
    }
    const byId = Object.fromEntries(rules.map((r) => [r.id, r]));
    expect(byId.VLD005.properties).toMatchObject({ checkov: ['CKV_AWS_17'], trivy: ['AVD-AWS-0180'] });
    expect(byId.VLD001.properties).toMatchObject({ checkov: ['CKV2_AWS_11'] });
    expect(byId.VLD101.defaultConfiguration.level).toBe('error');
    expect(byId.VLD101.properties.tags).toContain('troubleshooting');
    expect(byId.VLD020.properties).toMatchObject({ checkov: ['CKV_AWS_158'], trivy: ['AVD-AWS-0017'] });
    // The only results: log groups without a key of yours, each suppressed where the stack says why.
    const results = log.runs[0].results;
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) {
      expect(r.ruleId).toBe('VLD020');
      expect(r.suppressions).toEqual([expect.objectContaining({ kind: 'inSource', status: 'accepted', justification: expect.stringContaining('CKV_AWS_158') })]);
    }
  });

  test('the driver names the install that works today (the packed tarball) and the published one; informationUri only from a homepage', () => {
    const driver = sarifLog(check(stack()), { version: '0.2.0' }).runs[0].tool.driver;
    expect(driver).not.toHaveProperty('informationUri');
    expect(driver.fullDescription.text).toContain('npm install --no-save ./vpc-lambda-dynamodb-0.2.0.tgz');
    expect(driver.fullDescription.text).toContain('Once published: npm install --no-save vpc-lambda-dynamodb.');
    const linked = sarifLog(check(stack()), { version: '0.2.0', informationUri: 'https://example.com/vpc-lambda-dynamodb' });
    expect(linked.runs[0].tool.driver.informationUri).toBe('https://example.com/vpc-lambda-dynamodb');
    expect(validate(SCHEMA, linked)).toEqual([]);
  });

  test('a broken stack: each finding a result at its rule, the resource a logical location and its line in cdk.tf.json', () => {
    const input = loadStack(writeStack(broken('VLD105')));
    const report = analyze(input.graph, {}, input.file);
    const log = sarifLog(report);
    expect(validate(SCHEMA, log)).toEqual([]);
    const results = log.runs[0].results;
    expect(results.map((r) => r.ruleId)).toContain('VLD105');
    const r = results.find((x) => x.ruleId === 'VLD105')!;
    expect(r.level).toBe('error');
    expect(log.runs[0].tool.driver.rules[r.ruleIndex!].id).toBe('VLD105');
    const address = r.locations[0].logicalLocations[0].fullyQualifiedName;
    expect(address).toMatch(/^aws_security_group\./);
    const text = readFileSync(input.file, 'utf8');
    const region = (r.locations[0] as { physicalLocation?: { region?: { startLine: number } } }).physicalLocation!.region!;
    expect(text.split('\n')[region.startLine - 1]).toContain(`"${address.split('.')[1].replace(/\[.*$/, '')}":`);
  });

  test('with the HCL sources at hand, the location is the .tf file and line that declare the resource (root module and installed module)', () => {
    const root = mkdtempSync(join(tmpdir(), 'vld-sarif-src-'));
    writeFileSync(join(root, 'versions.tf'), 'terraform {}\n');
    writeFileSync(join(root, 'main.tf'), 'locals {}\n\nresource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n');
    mkdirSync(join(root, '.terraform', 'modules', 'fn'), { recursive: true });
    writeFileSync(join(root, '.terraform', 'modules', 'modules.json'), JSON.stringify({ Modules: [{ Key: 'fn', Dir: '.terraform/modules/fn' }] }));
    writeFileSync(join(root, '.terraform', 'modules', 'fn', 'main.tf'), '\n\nresource "aws_security_group" "this" {\n}\n');
    expect(locateInSource(root, 'aws_vpc.main')).toEqual({ file: join(root, 'main.tf'), line: 3 });
    expect(locateInSource(root, 'module.fn["orders"].aws_security_group.this[0]')).toEqual({ file: join(root, '.terraform', 'modules', 'fn', 'main.tf'), line: 3 });
    expect(locateInSource(root, 'aws_subnet.absent')).toBeUndefined();

    const report = check(broken('VLD105'));
    const sg = report.troubleshooting.find((f) => f.id === 'VLD105')!.resource.split(',')[0];
    writeFileSync(join(root, 'sg.tf'), `resource "aws_security_group" "${sg.split('.')[1].replace(/\[.*$/, '')}" {\n}\n`);
    const log = sarifLog(report, { sourceDir: root });
    expect(validate(SCHEMA, log)).toEqual([]);
    const location = log.runs[0].results.find((r) => r.ruleId === 'VLD105')!.locations[0] as { physicalLocation?: { artifactLocation: { uri: string }; region?: { startLine: number } } };
    expect(location.physicalLocation!.artifactLocation.uri).toMatch(/^file:\/\/.*\/sg\.tf$/);
    expect(location.physicalLocation!.region).toEqual({ startLine: 1 });
  });

  test('a plan names an instance by "address": its line and column', () => {
    expect(locateAddress('{\n  "planned_values": {"resources": [{"address":"aws_vpc.main"}]}', 'aws_vpc.main')).toEqual({ line: 2, column: 37 });
  });
});

describe('--format markdown', () => {
  test('the default stack: verdict first, reachability, findings, cost, and a mermaid network with the functions and tables', () => {
    const md = renderMarkdown(check(stack()));
    expect(md.split('\n')[0]).toBe('## ✅ OK: 2/2 functions reach DynamoDB privately, 0 error(s), 0 warning(s), fixed network cost $0.00/month');
    for (const heading of ['### Reachability', '### Findings (0)', '### Monthly network cost', '### Network']) expect(md).toContain(heading);
    const mermaid = /```mermaid\n([\s\S]*?)\n```/.exec(md)![1];
    expect(mermaid.startsWith('flowchart LR')).toBe(true);
    expect(mermaid).toContain('subgraph vpc["VPC"]');
    // The names people use (Name tags, function and table names), status in words.
    for (const name of [
      'λ vpc-lambda-dynamodb-products: OK',
      'λ vpc-lambda-dynamodb-user-activity: OK',
      'table vpc-lambda-dynamodb-products',
      'table vpc-lambda-dynamodb-user-activity',
      'DynamoDB gateway endpoint',
      'route table vpc-lambda-dynamodb-private-us-east-1a',
      'subnets vpc-lambda-dynamodb-private-us-east-1a, vpc-lambda-dynamodb-private-us-east-1b',
      '|"OK: PutItem,GetItem"|',
    ]) {
      expect(mermaid).toContain(name);
    }
    // Both functions share their subnets: one frame holds them.
    expect(mermaid.match(/subgraph g\d+/g)).toHaveLength(1);
    expect(mermaid).not.toMatch(/BROKEN|UNVERIFIED|❌/);
    expect(mermaid).not.toContain('linkStyle');
  });

  test('a route table without the endpoint: FAIL first, the broken edge dashed, red and labelled', () => {
    const md = renderMarkdown(check(broken('VLD102')));
    expect(md.split('\n')[0]).toMatch(/^## ❌ FAIL: 0\/2 functions reach DynamoDB privately/);
    expect(md).toMatch(/\| VLD102 \| ❌ error \|/);
    const mermaid = /```mermaid\n([\s\S]*?)\n```/.exec(md)![1];
    const lines = mermaid.split('\n').filter((l) => /-->|---|-\.-/.test(l));
    const brokenEdge = lines.findIndex((l) => l.includes('-.-x|"BROKEN: endpoint not on this route table"|'));
    expect(brokenEdge).toBeGreaterThanOrEqual(0);
    expect(mermaid).toContain(`linkStyle ${brokenEdge} stroke:#d00`);
  });

  test('a public subnet: the internet gateway edge is broken', () => {
    const mermaid = renderMarkdown(check(broken('VLD106')));
    expect(mermaid).toMatch(/-\.-x\|"BROKEN: 0\.0\.0\.0\/0 to an internet gateway \(public subnet\)"\| n\d+/);
    expect(mermaid).toContain('["internet gateway"]');
  });
});

describe('npm run check -- --format, --fail-on', () => {
  const sound = writeStack(stack());
  const failing = writeStack(broken('VLD105'));
  const warningOnly = (() => {
    const json = stack();
    delete json.resource!.aws_flow_log;
    return writeStack(json);
  })();

  test('--format sarif and markdown print those formats; --json is --format json', () => {
    const sarif = runCheck(['--stack', sound, '--format', 'sarif']);
    expect(sarif.code).toBe(0);
    expect(JSON.parse(sarif.stdout)).toMatchObject({ version: '2.1.0', runs: [{ tool: { driver: { name: 'vpc-lambda-dynamodb check' } } }] });
    const md = runCheck(['--stack', failing, '--format', 'markdown']);
    expect(md.code).toBe(1);
    expect(md.stdout).toMatch(/^## ❌ FAIL/);
    expect(runCheck(['--stack', sound, '--json']).stdout).toBe(runCheck(['--stack', sound, '--format', 'json']).stdout);
  });

  test('--fail-on: error (default) passes warnings, warning fails on them, never passes errors', () => {
    expect(runCheck(['--stack', warningOnly]).code).toBe(0);
    const strict = runCheck(['--stack', warningOnly, '--fail-on', 'warning']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/FAIL: 2\/2 functions reach DynamoDB privately, 0 error\(s\), [1-9]\d* warning\(s\)/);
    expect(runCheck(['--stack', failing]).code).toBe(1);
    const never = runCheck(['--stack', failing, '--fail-on', 'never', '--format', 'markdown']);
    expect(never.code).toBe(0);
    expect(never.stdout).toMatch(/^## ✅ OK: /);
  });
});

describe('--format text: a report people read in a terminal or a CI log', () => {
  test('every line within 120 columns, for the default stack and each broken one; names beside addresses', () => {
    for (const json of [stack(), stack({ natMode: 'single' }), ...BROKEN.map((b) => b.build())]) {
      const text = renderText(check(json));
      const wide = text.split('\n').filter((line) => [...line].length > TEXT_WIDTH);
      expect(wide).toEqual([]);
    }
    const text = renderText(check(stack()));
    // The Name tag and the address it is written as, never cut short.
    expect(text).toContain('vpc-lambda-dynamodb-private-us-east-1a');
    expect(text).toContain('(network_private_route_table[0])');
    expect(text).not.toContain('…');
    expect(text).toMatch(/^vpc-lambda-dynamodb-products: private$/m);
  });
});
