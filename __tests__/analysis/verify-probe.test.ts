/**
 * `verify --probe` against the fake account (support/fake-aws-account.ts): Lambda's Invoke in
 * its REST-JSON wire format (X-Amz-Function-Error, the payload as the body), each function
 * answering the probe as its handler would (functions/shared/probe.ts; the handlers' own probe
 * tests run them against a local DynamoDB in __tests__/functions).
 */
import { FakeAwsAccount, probeAnswer, probeTimedOut } from '../support/fake-aws-account';
import { BOTH_FUNCTIONS, runVerify, SEED_FUNCTIONS, useFakeAccount } from '../support/verify-run';
import type { ProbeReport } from '../../analysis/probe-report';

const FUNCTIONS = SEED_FUNCTIONS;
const both = BOTH_FUNCTIONS;
const fakeAccount = useFakeAccount();
let fake: FakeAwsAccount;
beforeEach(() => {
  fake = fakeAccount();
});
const verify = runVerify;

interface JsonReport {
  probe?: ProbeReport;
  failed: boolean;
  troubleshooting: Array<{ id: string; resource: string; message: string; symptom?: string }>;
}
const invokes = () => fake.calls().filter((c) => c.action === 'lambda:InvokeFunction');
const fn = (name: string) => fake.account.functions.find((f) => f.name === name)!;

test('without --probe no function is invoked, and the report has no probe section', async () => {
  const result = await verify([...both, '--format', 'json']);
  expect(result.code).toBe(0);
  expect(invokes()).toEqual([]);
  expect((JSON.parse(result.stdout) as JsonReport).probe).toBeUndefined();
});

test('sound: each function invoked once with the probe event, every table and action ok with latencies, exit 0', async () => {
  const result = await verify([...both, '--probe', '--format', 'json']);
  expect(result.stderr).toBe('');
  const report = JSON.parse(result.stdout) as JsonReport;
  expect(report.probe!.event).toEqual({ vldProbe: 1 });
  expect(report.probe!.functions.map((f) => [f.function, f.ok, f.tables.map((t) => `${t.table} ${t.action} ${t.ok}`)])).toEqual([
    [FUNCTIONS[0], true, ['vpc-lambda-dynamodb-products dynamodb:GetItem true', 'vpc-lambda-dynamodb-products dynamodb:PutItem true']],
    [FUNCTIONS[1], true, ['vpc-lambda-dynamodb-user-activity dynamodb:GetItem true', 'vpc-lambda-dynamodb-user-activity dynamodb:PutItem true']],
  ]);
  for (const f of report.probe!.functions) {
    expect(f.ms).toBeGreaterThanOrEqual(0);
    expect(f.tables.every((t) => t.ms === 6)).toBe(true); // the latency the function reported, carried through
  }
  expect(report.troubleshooting.filter((f) => f.id === 'VLD120')).toEqual([]);
  expect(invokes().map((c) => c.status)).toEqual([200, 200]);
  expect(result.code).toBe(0);
});

test('the text report: one line per function, table and action, and the verdict counts the probe', async () => {
  const result = await verify([...both, '--probe']);
  expect(result.code).toBe(0);
  const lines = result.stdout.split('\n');
  const section = lines.indexOf('4. Probe (verify --probe)');
  expect(section).toBeGreaterThan(0);
  expect(lines[section + 1]).toBe('invoked with {"vldProbe":1}: GetItem of a key that cannot exist, PutItem refused by its condition (no write)');
  expect(lines.slice(section + 2, section + 6)).toEqual([
    expect.stringMatching(/^vpc-lambda-dynamodb-products: GetItem vpc-lambda-dynamodb-products: ok, 6 ms \(invoke \d+ ms\)$/),
    expect.stringMatching(/^vpc-lambda-dynamodb-products: PutItem vpc-lambda-dynamodb-products: ok, 6 ms \(invoke \d+ ms\)$/),
    expect.stringMatching(/^vpc-lambda-dynamodb-user-activity: GetItem vpc-lambda-dynamodb-user-activity: ok, 6 ms \(invoke \d+ ms\)$/),
    expect.stringMatching(/^vpc-lambda-dynamodb-user-activity: PutItem vpc-lambda-dynamodb-user-activity: ok, 6 ms \(invoke \d+ ms\)$/),
  ]);
  expect(lines[lines.length - 1]).toMatch(/^OK: 2\/2 functions reach DynamoDB privately, probe ok 2\/2, 0 error\(s\)/);
});

test('the endpoint policy refuses GetItem (the model cannot see it: the account looks sound): VLD120 naming the symptom, exit 1', async () => {
  const products = fn(FUNCTIONS[0]);
  const message = `AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/products-fn/${FUNCTIONS[0]} is not authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:us-east-1:123456789012:table/${FUNCTIONS[0]} because no VPC endpoint policy allows the dynamodb:GetItem action`;
  products.probe = probeAnswer(products, { 'dynamodb:GetItem': { errorClass: 'access-denied-endpoint-policy', message } });
  const result = await verify([...both, '--probe', '--format', 'json']);
  const report = JSON.parse(result.stdout) as JsonReport;
  expect(report.probe!.functions.map((f) => f.ok)).toEqual([false, true]);
  const found = report.troubleshooting.filter((f) => f.id === 'VLD120');
  expect(found).toEqual([
    expect.objectContaining({
      resource: `aws_lambda_function.live["${FUNCTIONS[0]}"]`,
      symptom: 'AccessDeniedException: ... no VPC endpoint policy allows the dynamodb:GetItem action',
      message: expect.stringMatching(/^vpc-lambda-dynamodb-products: GetItem on vpc-lambda-dynamodb-products failed in 7 ms \(access-denied-endpoint-policy\): AccessDeniedException: .* because no VPC endpoint policy allows the dynamodb:GetItem action; likely the endpoint policy does not allow dynamodb:GetItem on the table \(VLD104\)$/),
    }),
  ]);
  expect(report.failed).toBe(true);
  expect(result.code).toBe(1);
  const text = await verify([...both, '--probe']);
  // A long line wraps at the report's 120 columns, its continuation indented.
  expect(text.stdout.replace(/\n  /g, ' ')).toMatch(/^vpc-lambda-dynamodb-products: GetItem vpc-lambda-dynamodb-products: FAILED, access-denied-endpoint-policy: AccessDeniedException: \.\.\. no VPC endpoint policy allows the dynamodb:GetItem action \(7 ms; invoke \d+ ms\)$/m);
  expect(text.stdout.split('\n').pop()).toMatch(/^FAIL: 2\/2 functions reach DynamoDB privately, probe ok 1\/2, 1 error\(s\)/);
});

test('the function times out (Lambda: X-Amz-Function-Error Unhandled, Sandbox.Timedout): "Task timed out after 3.00 seconds", exit 1', async () => {
  fn(FUNCTIONS[1]).probe = probeTimedOut(3);
  const result = await verify([...both, '--probe', '--format', 'json']);
  const report = JSON.parse(result.stdout) as JsonReport;
  expect(report.probe!.functions[1]).toEqual({ function: FUNCTIONS[1], ms: expect.any(Number), ok: false, tables: [], failure: { kind: 'function-timeout', message: 'Task timed out after 3.00 seconds' } });
  expect(report.troubleshooting.filter((f) => f.id === 'VLD120').map((f) => [f.resource, f.symptom])).toEqual([[`aws_lambda_function.live["${FUNCTIONS[1]}"]`, 'Task timed out after 3.00 seconds']]);
  expect(result.code).toBe(1);
  expect((await verify([...both, '--probe'])).stdout).toMatch(/^vpc-lambda-dynamodb-user-activity: FAILED in \d+ ms: Task timed out after 3.00 seconds$/m);
});

test('the handler reports no answer from DynamoDB (a blackholed route): "Unable to connect to DynamoDB", exit 1', async () => {
  const products = fn(FUNCTIONS[0]);
  products.probe = probeAnswer(products, { 'dynamodb:PutItem': { errorClass: 'timeout', message: 'Unable to connect to DynamoDB: no answer in 1500 ms (probe deadline)' } });
  const result = await verify([...both, '--probe', '--format', 'json']);
  const found = (JSON.parse(result.stdout) as JsonReport).troubleshooting.filter((f) => f.id === 'VLD120');
  expect(found.map((f) => f.symptom)).toEqual(['Unable to connect to DynamoDB']);
  expect(found[0].message).toContain('likely no route to DynamoDB through the gateway endpoint');
  expect(result.code).toBe(1);
});

test('a function deployed before probe mode (it answers 400 to the probe): VLD120 says so, never a pass', async () => {
  fn(FUNCTIONS[0]).probe = { payload: { statusCode: 400, headers: {}, body: '{"error":"invalid input"}' } };
  const result = await verify([...both, '--probe', '--format', 'json']);
  const found = (JSON.parse(result.stdout) as JsonReport).troubleshooting.filter((f) => f.id === 'VLD120');
  expect(found.map((f) => f.message)).toEqual([expect.stringMatching(/^vpc-lambda-dynamodb-products: the function answered \{"statusCode":400.*not a probe result: deploy this version's handler \(probe mode\) to probe it$/)]);
  expect(result.code).toBe(1);
});

test("the verifier may not invoke (lambda:InvokeFunction denied): exit 3 naming it, no report", async () => {
  fake.account.deny.push('lambda:InvokeFunction');
  const result = await verify([...both, '--probe']);
  expect([result.code, result.stdout, result.stderr]).toEqual([3, '', 'error: could not look in us-east-1: lambda:InvokeFunction (access denied (AccessDeniedException))']);
});

test('Invoke throttled once (TooManyRequestsException, 429): retried, the verdict stands; past the retries: exit 3', async () => {
  fake.account.throttle['lambda:InvokeFunction'] = 1;
  expect((await verify([...both, '--probe'])).code).toBe(0);
  expect(invokes().map((c) => c.status).sort()).toEqual([200, 200, 429]);
  fake.account.throttle['lambda:InvokeFunction'] = 10;
  const result = await verify([...both, '--probe']);
  expect([result.code, result.stderr]).toEqual([3, 'error: could not look in us-east-1: lambda:InvokeFunction (throttled after retries (TooManyRequestsException))']);
}, 30000);

test.each([
  ['markdown', (out: string) => [...out.matchAll(/VLD\d{3}/g)].map((m) => m[0])],
  ['sarif', (out: string) => (JSON.parse(out) as { runs: Array<{ results: Array<{ ruleId: string }> }> }).runs[0].results.map((r) => r.ruleId)],
])('--format %s carries VLD120 for a failed probe', async (format, ids) => {
  fn(FUNCTIONS[1]).probe = probeTimedOut(3);
  const result = await verify([...both, '--probe', '--format', format as string]);
  expect(result.code).toBe(1);
  expect((ids as (out: string) => string[])(result.stdout)).toContain('VLD120');
  if (format === 'markdown') expect(result.stdout).toContain(`| ${FUNCTIONS[1]} |  |  | ❌ Task timed out after 3.00 seconds |`);
});

test('docs/verify-probe-policy.json grants exactly the probe\'s one action, and verify-policy.json does not grant it', async () => {
  const { readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  expect((await verify([...both, '--probe'])).code).toBe(0);
  const root = join(__dirname, '..', '..');
  const granted = (file: string) => (JSON.parse(readFileSync(join(root, file), 'utf8')) as { Statement: Array<{ Action: string | string[] }> }).Statement.flatMap((s) => s.Action);
  const probeOnly = [...new Set(invokes().map((c) => c.action))];
  expect(granted('docs/verify-probe-policy.json')).toEqual(probeOnly);
  expect(granted('docs/verify-policy.json')).not.toContain('lambda:InvokeFunction');
});
