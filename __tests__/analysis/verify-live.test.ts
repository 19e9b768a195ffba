/**
 * `verify` against a fake account (support/fake-aws-account.ts) that speaks the real wire
 * protocols, reached through AWS_ENDPOINT_URL: the SDK's own serializers, paginators, retries
 * and error parsing run. Each test edits the seed system and reads the verdict, the finding ids
 * and the exit code.
 */
import { FakeAwsAccount } from '../support/fake-aws-account';
import { BOTH_FUNCTIONS, runVerify, SEED_FUNCTIONS, useFakeAccount } from '../support/verify-run';

const FUNCTIONS = SEED_FUNCTIONS;
const both = BOTH_FUNCTIONS;
const fakeAccount = useFakeAccount();
let fake: FakeAwsAccount;
beforeEach(() => {
  fake = fakeAccount();
});
const verify = runVerify;


interface JsonReport {
  reachability: { functions: Array<{ name: string; reachable: boolean; reasons: string[]; subnets: Array<{ subnet: string; routeTable: string; endpointRoute: string; internet: string }> }> };
  troubleshooting: Array<{ id: string; resource: string; message: string; severity: string }>;
  security: Array<{ id: string; resource: string }>;
}

test('the sound seed system: both functions verified, exit 0, every read call made through the SDK', async () => {
  const result = await verify([...both, '--format', 'json']);
  expect(result.stderr).toBe('');
  const report = JSON.parse(result.stdout) as JsonReport;
  expect(report.reachability.functions.map((f) => [f.name, f.reachable])).toEqual(FUNCTIONS.map((f) => [f, true]));
  expect(report.troubleshooting.filter((f) => /^VLD1/.test(f.id))).toEqual([]);
  expect(result.code).toBe(0);
  const actions = new Set(fake.calls().map((c) => c.action));
  expect([...actions].sort()).toEqual(
    ['dynamodb:DescribeTable', 'dynamodb:GetResourcePolicy', 'ec2:DescribeFlowLogs', 'ec2:DescribeNatGateways', 'ec2:DescribeNetworkAcls', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribePrefixLists', 'ec2:DescribeRouteTables', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeVpcEndpoints', 'iam:GetRole', 'iam:GetRolePolicy', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies', 'lambda:GetFunctionConfiguration'].sort(),
  );
  // Three route tables, one a page: the paginator followed nextToken.
  expect(fake.calls().filter((c) => c.action === 'ec2:DescribeRouteTables')).toHaveLength(3);
});

test('the text report names the live account and says OK', async () => {
  const result = await verify(both);
  expect(result.code).toBe(0);
  expect(result.stdout.split('\n')[0]).toBe('npm run verify: live account us-east-1');
  expect(result.stdout).toContain('OK: 2/2 functions reach DynamoDB privately');
});

test('the endpoint detached from one route table by hand: VLD102 on that function, exit 1', async () => {
  fake.account.endpoints[0].routeTableIds = ['rtb-0a1'];
  const result = await verify([...both, '--format', 'json']);
  const report = JSON.parse(result.stdout) as JsonReport;
  expect(report.reachability.functions.every((f) => !f.reachable)).toBe(true);
  expect(report.troubleshooting.map((f) => f.id)).toContain('VLD102');
  expect(result.code).toBe(1);
});

test("a subnet's association removed: it falls back to the VPC's main route table, which has no endpoint route: VLD102, exit 1", async () => {
  fake.account.routeTables.find((t) => t.id === 'rtb-0b2')!.subnetIds = [];
  const result = await verify([...both, '--format', 'json']);
  const report = JSON.parse(result.stdout) as JsonReport;
  expect(report.reachability.functions[0].subnets.map((s) => [s.subnet, s.routeTable, s.endpointRoute])).toEqual([
    ['aws_subnet.live["subnet-0a1"]', 'aws_route_table.live["rtb-0a1"]', 'yes'],
    ['aws_subnet.live["subnet-0b2"]', 'aws_route_table.live["rtb-0main"]', 'no'],
  ]);
  expect(report.troubleshooting.map((f) => f.id)).toContain('VLD102');
  expect(result.code).toBe(1);
  // The main route table on the endpoint too: verified again.
  fake.account.endpoints[0].routeTableIds.push('rtb-0main');
  expect((await verify(both)).code).toBe(0);
});

test.each([
  ['sarif', (out: string) => (JSON.parse(out) as { runs: Array<{ results: Array<{ ruleId: string }> }> }).runs[0].results.map((r) => r.ruleId)],
  ['markdown', (out: string) => [...out.matchAll(/VLD\d{3}/g)].map((m) => m[0])],
])('--format %s carries the same finding id (VLD102 for a detached endpoint)', async (format, ids) => {
  fake.account.endpoints[0].routeTableIds = [];
  const result = await verify([...both, '--format', format as string]);
  expect(result.code).toBe(1);
  expect((ids as (out: string) => string[])(result.stdout)).toContain('VLD102');
});

// verify reads the endpoints of the functions' VPCs only: a function in none sees no endpoint,
// so its id is VLD101 where check on a configuration holding an endpoint elsewhere could differ.
test('a function taken out of its VPC: not private ("not attached to a VPC"), VLD101, exit 1; no EC2 network calls for it', async () => {
  for (const f of fake.account.functions) Object.assign(f, { subnetIds: [], securityGroupIds: [], vpcId: '' });
  const result = await verify([...both, '--format', 'json']);
  const report = JSON.parse(result.stdout) as JsonReport;
  expect(report.reachability.functions.map((f) => f.reachable)).toEqual([false, false]);
  expect(report.reachability.functions.every((f) => f.reasons.includes('not attached to a VPC'))).toBe(true);
  expect(report.troubleshooting.map((f) => f.id)).toContain('VLD101');
  expect(result.code).toBe(1);
  expect(fake.calls().some((c) => c.action === 'ec2:DescribeSubnets')).toBe(false);
});

test("routes: a NAT default route keeps the verdict (the endpoint route is more specific); an internet gateway's makes the subnet public, VLD106", async () => {
  fake.account.routeTables.find((t) => t.id === 'rtb-0a1')!.routes.push({ cidr: '0.0.0.0/0', nat: 'nat-0abc' });
  const nat = await verify([...both, '--format', 'json']);
  const natReport = JSON.parse(nat.stdout) as JsonReport;
  expect(natReport.reachability.functions[0].subnets.map((s) => s.internet)).toEqual(['nat', 'none']);
  expect(nat.code).toBe(0);
  fake.account.routeTables.find((t) => t.id === 'rtb-0b2')!.routes.push({ cidr: '0.0.0.0/0', gateway: 'igw-0abc' });
  const igw = await verify([...both, '--format', 'json']);
  const igwReport = JSON.parse(igw.stdout) as JsonReport;
  // One per function that runs there: both do.
  expect(igwReport.troubleshooting.filter((f) => f.id === 'VLD106').map((f) => f.resource)).toEqual(['aws_subnet.live["subnet-0b2"]', 'aws_subnet.live["subnet-0b2"]']);
  expect(igw.code).toBe(1);
});

test('PutItem removed from a role in the console: VLD103 on that function, exit 1', async () => {
  const role = fake.account.roles.find((r) => r.name === 'user-activity-fn')!;
  role.inline.dynamodb = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/vpc-lambda-dynamodb-user-activity' }] };
  const result = await verify([...both, '--format', 'json']);
  const report = JSON.parse(result.stdout) as JsonReport;
  expect(report.reachability.functions.map((f) => [f.name, f.reachable])).toEqual([[FUNCTIONS[0], true], [FUNCTIONS[1], false]]);
  expect(report.troubleshooting.filter((f) => f.id === 'VLD103').map((f) => f.resource)).toEqual(['aws_lambda_function.live["vpc-lambda-dynamodb-user-activity"]']);
  expect(result.code).toBe(1);
});

test("a customer managed policy attached instead of the inline one is read through GetPolicy/GetPolicyVersion", async () => {
  const role = fake.account.roles.find((r) => r.name === 'products-fn')!;
  const arn = 'arn:aws:iam::123456789012:policy/products-rw';
  fake.account.policies.push({ arn, name: 'products-rw', document: role.inline.dynamodb });
  role.inline = {};
  role.attached = [arn];
  const result = await verify([...both, '--format', 'json']);
  expect(result.code).toBe(0);
  expect(fake.calls().map((c) => c.action)).toEqual(expect.arrayContaining(['iam:GetPolicy', 'iam:GetPolicyVersion']));
});

test("the verifier's IAM calls denied: exit 3, one line naming the denied actions, no report", async () => {
  fake.account.deny.push('iam:GetRole', 'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies');
  const result = await verify(both);
  expect(result.stdout).toBe('');
  expect(result.stderr).toBe('error: could not look in us-east-1: iam:GetRole (access denied (AccessDenied)), iam:ListRolePolicies (access denied (AccessDenied)), iam:ListAttachedRolePolicies (access denied (AccessDenied))');
  expect(result.code).toBe(3);
});

test('an EC2 call denied (UnauthorizedOperation) is exit 3 too', async () => {
  fake.account.deny.push('ec2:DescribeVpcEndpoints');
  const result = await verify(both);
  expect([result.code, result.stderr]).toEqual([3, 'error: could not look in us-east-1: ec2:DescribeVpcEndpoints (access denied (UnauthorizedOperation))']);
});

test('throttled (RequestLimitExceeded, HTTP 503) once: the SDK retries and the verdict stands', async () => {
  fake.account.throttle['ec2:DescribeSubnets'] = 1;
  const result = await verify(both);
  expect(result.code).toBe(0);
  expect(fake.calls().filter((c) => c.action === 'ec2:DescribeSubnets').map((c) => c.status)).toEqual([503, 200]);
});

test('throttled past the retries: exit 3, "throttled", not a verdict', async () => {
  fake.account.throttle['ec2:DescribeSubnets'] = 10;
  const result = await verify(both);
  expect([result.code, result.stdout, result.stderr]).toEqual([3, '', 'error: could not look in us-east-1: ec2:DescribeSubnets (throttled after retries (RequestLimitExceeded))']);
  expect(fake.calls().filter((c) => c.action === 'ec2:DescribeSubnets')).toHaveLength(3);
}, 30000);

test('expired credentials: exit 3 at the first call, naming it', async () => {
  fake.account.expiredCredentials = true;
  const result = await verify(both);
  expect([result.code, result.stdout, result.stderr]).toEqual([3, '', 'error: could not look in us-east-1: lambda:GetFunctionConfiguration (credentials refused (ExpiredTokenException))']);
});

test('no credentials at all: exit 3, not a stack trace', async () => {
  for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) delete process.env[k];
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  const result = await verify(both);
  expect(result.code).toBe(3);
  expect(result.stderr).toMatch(/^error: could not look in us-east-1: lambda:GetFunctionConfiguration \(no credentials \(Could not load credentials from any providers\)\)$/);
  expect(fake.calls()).toEqual([]);
});

test('AWS_ENDPOINT_URL_<SERVICE> wins over AWS_ENDPOINT_URL, as the SDK resolves it', async () => {
  process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:9';
  for (const s of ['LAMBDA', 'EC2', 'IAM', 'DYNAMODB']) process.env[`AWS_ENDPOINT_URL_${s}`] = fake.url;
  expect((await verify(both)).code).toBe(0);
  delete process.env.AWS_ENDPOINT_URL_IAM;
  const result = await verify(both);
  expect([result.code, result.stderr]).toEqual([3, expect.stringMatching(/^error: could not look in us-east-1: iam:GetRole \(endpoint unreachable \(ECONNREFUSED\)\)/)]);
}, 30000);

test('a table named by its ARN in the environment is read and verified the same', async () => {
  fake.account.functions[0].environment = { PRODUCTS_TABLE: 'arn:aws:dynamodb:us-east-1:123456789012:table/vpc-lambda-dynamodb-products' };
  const result = await verify([...both, '--format', 'json']);
  expect(fake.calls().filter((c) => c.action === 'dynamodb:DescribeTable')).toHaveLength(2);
  expect(result.code).toBe(0);
});

test('a function named twice (name and ARN) is verified once; the state verify builds reads the same with check --state', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const args = [...both, '--function', 'arn:aws:lambda:us-east-1:123456789012:function:vpc-lambda-dynamodb-products', '--format', 'json'];
  const result = await verify(args);
  const report = JSON.parse(result.stdout) as JsonReport & { input: unknown };
  expect(report.reachability.functions.map((f) => f.name)).toEqual(FUNCTIONS);
  // The same findings and verdicts from check --state on the state verify built.
  const { liveClients, destroyClients } = await import('../../analysis/live/clients');
  const { readAccount } = await import('../../analysis/live/read-account');
  const { stateFromAccount } = await import('../../analysis/live/to-state');
  const { main: checkMain } = await import('../../scripts/check');
  const clients = liveClients('us-east-1');
  const state = stateFromAccount(await readAccount(clients, FUNCTIONS));
  destroyClients(clients);
  const file = join(mkdtempSync(join(tmpdir(), 'vld-verify-state-')), 'state.json');
  writeFileSync(file, JSON.stringify(state));
  const out: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  try {
    expect(await checkMain(['node', 'check', '--state', file, '--format', 'json'])).toBe(0);
  } finally {
    log.mockRestore();
  }
  const checked = JSON.parse(out.join('\n')) as JsonReport & { input: unknown };
  const { input: _a, ...fromVerify } = report;
  const { input: _b, ...fromCheck } = checked;
  expect(fromCheck).toEqual(fromVerify);
});

describe('bad input: exit 2, one line naming it', () => {
  test('an unknown function names it and the region', async () => {
    const result = await verify(['--function', 'nope']);
    expect([result.code, result.stdout, result.stderr]).toEqual([2, '', 'error: --function: no function "nope" in us-east-1']);
  });
  test('no --function', async () => {
    const result = await verify([]);
    expect([result.code, result.stderr]).toEqual([2, 'error: --function: name at least one function to verify (or give --outputs outputs.json)']);
  });
  test('no region anywhere', async () => {
    delete process.env.AWS_REGION;
    const result = await verify(['--function', 'x']);
    expect([result.code, result.stderr]).toEqual([2, "error: --region: no region given, none in AWS_REGION and none in the profile's config"]);
  });
  test("without --region, the profile's region is the SDK's (AWS_PROFILE in AWS_CONFIG_FILE)", async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const config = join(mkdtempSync(join(tmpdir(), 'vld-verify-config-')), 'config');
    writeFileSync(config, '[profile verifier]\nregion = eu-west-1\n');
    // With AWS_PROFILE set, the SDK takes the profile's credentials, not the environment's.
    const credentials = join(config, '..', 'credentials');
    writeFileSync(credentials, '[verifier]\naws_access_key_id = AKIAFAKEPROFILEFAKE1\naws_secret_access_key = fake\n');
    for (const k of ['AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) delete process.env[k];
    Object.assign(process.env, { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_PROFILE: 'verifier' });
    const result = await verify(['--function', 'nope']);
    expect([result.code, result.stderr]).toEqual([2, 'error: --function: no function "nope" in eu-west-1']);
  });
  test('a region that is not one', async () => {
    const result = await verify(['--function', 'x', '--region', 'mars']);
    expect([result.code, result.stderr]).toEqual([2, 'error: --region: "mars" is not a region name (like us-east-1)']);
  });
});

test('`npm run verify` as a process: an unknown function is one line on stderr, exit 2, no stack trace', async () => {
  // Asynchronous: the fake answers from this process's event loop, which spawnSync would block.
  const { spawn } = await import('node:child_process');
  const { resolve } = await import('node:path');
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/verify.ts', '--function', 'nope', '--region', 'eu-west-1'], {
    cwd: resolve(__dirname, '..', '..'),
    env: { ...process.env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const status = await new Promise<number | null>((done) => child.on('close', done));
  expect([status, stdout, stderr]).toEqual([2, '', 'error: --function: no function "nope" in eu-west-1\n']);
}, 60000);

test('docs/verify-policy.json grants exactly the actions verify makes (with an attached policy, every call runs), and docs/verify.md shows the same', async () => {
  const { readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const role = fake.account.roles[0];
  const arn = 'arn:aws:iam::123456789012:policy/products-rw';
  fake.account.policies.push({ arn, name: 'products-rw', document: role.inline.dynamodb });
  role.attached = [arn];
  expect((await verify(both)).code).toBe(0);
  const made = [...new Set(fake.calls().map((c) => c.action))].sort();
  const granted = (doc: { Statement: Array<{ Action: string[] }> }) => doc.Statement.flatMap((s) => s.Action).sort();
  const root = join(__dirname, '..', '..');
  expect(granted(JSON.parse(readFileSync(join(root, 'docs/verify-policy.json'), 'utf8')))).toEqual(made);
  const shown = /```json\n([\s\S]*?)```/.exec(readFileSync(join(root, 'docs/verify.md'), 'utf8'))![1];
  expect(granted(JSON.parse(shown))).toEqual(made);
  const readme = /## Verify the deployed system[\s\S]*?```json\n([\s\S]*?)```/.exec(readFileSync(join(root, 'README.md'), 'utf8'))![1];
  expect(granted(JSON.parse(readme))).toEqual(made);

  // --evidence flow-logs adds exactly what docs/verify-evidence-policy.json grants.
  const before = fake.calls().length;
  fake.account.flowLogRecords = {};
  expect((await verify([...both, '--evidence', 'flow-logs'])).code).toBe(0);
  const added = [...new Set(fake.calls().slice(before).map((c) => c.action))].filter((a) => !made.includes(a)).sort();
  expect(granted(JSON.parse(readFileSync(join(root, 'docs/verify-evidence-policy.json'), 'utf8')))).toEqual(added);
});

describe('what only the deployed system shows', () => {
  test("a network ACL edited by hand to admit answers only from the VPC: VLD110 naming the ACL's rule, exit 1", async () => {
    const acl = fake.account.networkAcls[0];
    acl.entries = [
      { rule: 100, egress: true, action: 'allow', protocol: '6', cidr: '0.0.0.0/0', from: 443, to: 443 },
      { rule: 100, egress: false, action: 'allow', protocol: '6', cidr: '10.0.0.0/16', from: 1024, to: 65535 },
    ];
    const result = await verify([...both, '--format', 'json']);
    const report = JSON.parse(result.stdout) as JsonReport;
    const found = report.troubleshooting.filter((f) => f.id === 'VLD110');
    // One per function and subnet behind it: two functions in two subnets.
    expect(found.map((f) => f.resource)).toEqual(Array(4).fill('aws_network_acl.live["acl-0default"]'));
    expect(found[0].message).toBe('vpc-lambda-dynamodb-products runs in aws_subnet.live["subnet-0a1"], whose network ACL blocks ingress tcp 1024 (the answers\' ports 1024-65535) from 3.218.182.0/24: no rule allows it (the ACL\'s last rule denies)');
    expect(result.code).toBe(1);
  });

  test("rules for exactly DynamoDB's prefix-list CIDRs: undecidable before apply, verified live (the account knows the CIDRs)", async () => {
    const [pl] = fake.account.prefixLists;
    fake.account.networkAcls[0].entries = pl.cidrs.flatMap((cidr, i) => [
      { rule: 100 + i, egress: true, action: 'allow' as const, protocol: '6', cidr, from: 443, to: 443 },
      { rule: 100 + i, egress: false, action: 'allow' as const, protocol: '6', cidr, from: 1024, to: 65535 },
    ]);
    expect((await verify(both)).code).toBe(0);
    // One of the two CIDRs left out: part of DynamoDB's addresses is dropped.
    fake.account.networkAcls[0].entries = fake.account.networkAcls[0].entries.filter((e) => e.cidr !== pl.cidrs[1] || !e.egress);
    const result = await verify([...both, '--format', 'json']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`egress tcp 443 to ${pl.cidrs[1]}: no rule allows it`);
  });

  test("a table resource policy that denies the function's writes: VLD111 on that table only, exit 1", async () => {
    fake.account.tables[0].resourcePolicy = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Principal: { AWS: 'arn:aws:iam::123456789012:role/products-fn' }, Action: 'dynamodb:PutItem', Resource: '*' }],
    };
    const result = await verify([...both, '--format', 'json']);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.troubleshooting.filter((f) => f.id === 'VLD111').map((f) => f.resource)).toEqual(['aws_dynamodb_table.live["vpc-lambda-dynamodb-products"]']);
    expect(report.reachability.functions.map((f) => f.reachable)).toEqual([false, true]);
    expect(result.code).toBe(1);
  });

  test('a function stuck in Pending is VLD112; one Active without an interface in a subnet is VLD113 for that subnet', async () => {
    fake.account.functions[0].state = 'Pending';
    fake.account.lambdaInterfaces = fake.account.lambdaInterfaces.filter((n) => n.subnetId !== 'subnet-0b2');
    const result = await verify([...both, '--format', 'json']);
    const report = JSON.parse(result.stdout) as JsonReport;
    const live = report.troubleshooting.filter((f) => /^VLD11[23]$/.test(f.id)).map((f) => [f.id, f.resource]);
    expect(live).toEqual([
      ['VLD112', 'aws_lambda_function.live["vpc-lambda-dynamodb-products"]'],
      ['VLD113', 'aws_subnet.live["subnet-0b2"]'],
    ]);
    expect(result.code).toBe(1);
  });

  test("a subnet on the VPC's main route table that carries the endpoint: verified, with the VLD114 warning (exit 0)", async () => {
    fake.account.routeTables.find((t) => t.id === 'rtb-0b2')!.subnetIds = [];
    fake.account.endpoints[0].routeTableIds.push('rtb-0main');
    const result = await verify([...both, '--format', 'json']);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.troubleshooting.map((f) => [f.id, f.resource, f.severity])).toEqual([['VLD114', 'aws_subnet.live["subnet-0b2"]', 'warning']]);
    expect(result.code).toBe(0);
    const sarif = JSON.parse((await verify([...both, '--format', 'sarif'])).stdout) as { runs: Array<{ tool: { driver: { rules: Array<{ id: string }> } } }> };
    expect(sarif.runs[0].tool.driver.rules.map((r) => r.id)).toEqual(expect.arrayContaining(['VLD112', 'VLD113', 'VLD114']));
  });

  test('NAT gateways and flow logs are read: the cost counts the NAT, and a VPC without flow logs gets VLD001', async () => {
    fake.account.natGateways.push({ id: 'nat-0abc', subnetId: 'subnet-0pub', vpcId: 'vpc-0seed', eni: 'eni-0nat' });
    const withNat = JSON.parse((await verify([...both, '--format', 'json'])).stdout) as { cost: { fixedMonthly: number }; security: Array<{ id: string }> };
    expect(withNat.cost.fixedMonthly).toBeGreaterThan(30);
    expect(withNat.security.map((f) => f.id)).not.toContain('VLD001');
    fake.account.flowLogs = [];
    const without = JSON.parse((await verify([...both, '--format', 'json'])).stdout) as { security: Array<{ id: string; resource: string }> };
    expect(without.security.filter((f) => f.id === 'VLD001').map((f) => f.resource)).toEqual(['aws_vpc.live["vpc-0seed"]']);
  });
});

describe('--outputs and --role-arn', () => {
  const { writeFileSync, mkdtempSync } = jest.requireActual<typeof import('node:fs')>('node:fs');
  const { join } = jest.requireActual<typeof import('node:path')>('node:path');
  const { tmpdir } = jest.requireActual<typeof import('node:os')>('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'vld-outputs-'));
  const file = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };
  const arn = (name: string, region = 'us-east-1') => `arn:aws:lambda:${region}:123456789012:function:${name}`;
  const moduleOutputs = {
    function_arns: { sensitive: false, type: ['map', 'string'], value: { products: arn(FUNCTIONS[0]), user_activity: arn(FUNCTIONS[1]) } },
    function_names: { sensitive: false, type: ['map', 'string'], value: { products: FUNCTIONS[0], user_activity: FUNCTIONS[1] } },
    vpc_id: { sensitive: false, type: 'string', value: 'vpc-0seed' },
  };

  test("the module's `terraform output -json`: both functions verified, the region from their ARNs (none set anywhere else)", async () => {
    delete process.env.AWS_REGION;
    const result = await verify(['--outputs', file('module.json', moduleOutputs), '--format', 'json']);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.reachability.functions.map((f) => [f.name, f.reachable])).toEqual(FUNCTIONS.map((f) => [f, true]));
    expect(result.code).toBe(0);
  });

  test('a root that passes the whole module through one output, with only function_names: read the same', async () => {
    const result = await verify(['--outputs', file('root.json', { orders: { sensitive: false, type: ['object', {}], value: { function_names: moduleOutputs.function_names.value, table_names: {} } } }), '--format', 'json']);
    expect((JSON.parse(result.stdout) as JsonReport).reachability.functions.map((f) => f.name)).toEqual(FUNCTIONS);
  });

  test.each([
    ['not JSON', 'oops', /^error: --outputs: .*not\.json is not JSON \(write it with: terraform output -json > /],
    ['another shape (a plan)', { format_version: '1.2', planned_values: {} }, /^error: --outputs: .* is not `terraform output -json` of the module or the deploy stack: it needs a function_arns or function_names output$/],
    ['outputs without functions', { vpc_id: moduleOutputs.vpc_id }, /needs a function_arns or function_names output$/],
    ['functions in two regions', { function_arns: { value: { a: arn('a'), b: arn('b', 'eu-west-1') } } }, /^error: --outputs: .* names functions in us-east-1 and eu-west-1: verify one region at a time$/],
  ])('bad input, %s: exit 2, one line naming --outputs', async (_case, content, message) => {
    const result = await verify(['--outputs', file('not.json', content)]);
    expect([result.code, result.stdout]).toEqual([2, '']);
    expect(result.stderr.split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(fake.calls()).toEqual([]);
  });

  test('--region that contradicts the ARNs in the outputs is refused, naming both', async () => {
    const result = await verify(['--outputs', file('module.json', moduleOutputs), '--region', 'eu-west-1']);
    expect([result.code, result.stderr]).toEqual([2, expect.stringMatching(/^error: --region: eu-west-1, but the functions in .* are in us-east-1$/)]);
  });

  test('--role-arn: STS AssumeRole once, then every read call signed with the assumed credentials', async () => {
    const role = 'arn:aws:iam::123456789012:role/vld-verifier';
    fake.account.assumableRoles = [role];
    const result = await verify([...both, '--role-arn', role]);
    expect(result.code).toBe(0);
    const calls = fake.calls();
    expect(calls[0]).toMatchObject({ action: 'sts:AssumeRole', accessKey: 'AKIAFAKEFAKEFAKEFAKE' });
    expect(calls.filter((c) => c.action === 'sts:AssumeRole')).toHaveLength(1);
    expect(new Set(calls.slice(1).map((c) => c.accessKey))).toEqual(new Set(['ASIAASSUMEDROLEFAKE0']));
  });

  test('--role-arn refused by STS: exit 3 naming sts:AssumeRole and the role, no read call made', async () => {
    const result = await verify([...both, '--role-arn', 'arn:aws:iam::123456789012:role/not-mine']);
    expect([result.code, result.stdout]).toEqual([3, '']);
    expect(result.stderr).toBe('error: could not look in us-east-1: sts:AssumeRole on arn:aws:iam::123456789012:role/not-mine (access denied (AccessDenied))');
    expect(fake.calls().map((c) => c.action)).toEqual(['sts:AssumeRole']);
  });

  test('--role-arn that is not a role ARN: exit 2 naming it', async () => {
    const result = await verify([...both, '--role-arn', 'vld-verifier']);
    expect([result.code, result.stderr]).toEqual([2, 'error: --role-arn: "vld-verifier" is not an IAM role ARN (arn:aws:iam::123456789012:role/NAME)']);
  });
});

describe('--evidence flow-logs: what the traffic really did', () => {
  const group = '/vpc/vpc-lambda-dynamodb/flow-logs';
  const now = Date.now();
  /** A default-format record (version 2) of one flow, `minutesAgo` back. */
  const record = (eni: string, src: string, dst: string, dstPort: number, action: 'ACCEPT' | 'REJECT', minutesAgo = 5) => {
    const t = Math.floor((now - minutesAgo * 60_000) / 1000);
    return { at: now - minutesAgo * 60_000, message: `2 123456789012 ${eni} ${src} ${dst} 40123 ${dstPort} 6 10 1200 ${t} ${t + 60} ${action} OK` };
  };
  const evidence = async (args: string[] = []) => {
    const result = await verify([...both, '--evidence', 'flow-logs', ...args, '--format', 'json']);
    return { ...result, report: result.stdout ? (JSON.parse(result.stdout) as JsonReport & { evidence: { functions: Array<{ function: string; accepted: number; throughEndpoint?: number; throughNat: number; rejected: number }> } }) : undefined };
  };

  test('flows from the functions\' interfaces to the prefix list, none on a NAT: evidence of the endpoint path, exit 0, and the text says how it was told', async () => {
    fake.account.flowLogRecords = { [group]: [record('eni-0a1fn', '10.0.1.25', '52.94.1.10', 443, 'ACCEPT'), record('eni-0b2fn', '10.0.2.25', '3.218.182.40', 443, 'ACCEPT'), record('eni-0a1fn', '10.0.1.25', '10.0.2.9', 5432, 'ACCEPT')] };
    const { code, report } = await evidence();
    expect(code).toBe(0);
    expect(report!.evidence.functions.map((e) => [e.function, e.accepted, e.throughNat, e.rejected])).toEqual(FUNCTIONS.map((f) => [f, 2, 0, 0]));
    expect(report!.troubleshooting.filter((f) => /^VLD11[567]$/.test(f.id))).toEqual([]);
    const text = await verify([...both, '--evidence', 'flow-logs']);
    expect(text.stdout).toContain(`Flow-log evidence, last 1h (${group}):`);
    expect(text.stdout).toContain('vpc-lambda-dynamodb-products: 2 accepted to DynamoDB, none on a NAT gateway, 0 through NAT, 0 rejected');
    // The query asked for the functions' interfaces only, over the window.
    expect(fake.calls().filter((c) => c.action === 'logs:GetQueryResults').length).toBeGreaterThanOrEqual(2);
  });

  test('no DynamoDB traffic in the window is no evidence (VLD117, a warning), never a pass; records older than --since do not count', async () => {
    fake.account.flowLogRecords = { [group]: [record('eni-0a1fn', '10.0.1.25', '52.94.1.10', 443, 'ACCEPT', 120)] };
    const { code, report } = await evidence(['--since', '30m']);
    expect(report!.evidence.functions.every((e) => e.accepted === 0)).toBe(true);
    expect(report!.troubleshooting.filter((f) => f.id === 'VLD117').map((f) => f.severity)).toEqual(['warning', 'warning']);
    expect(code).toBe(0);
    const wider = await evidence(['--since', '3h']);
    expect(wider.report!.evidence.functions.every((e) => e.accepted === 1)).toBe(true);
  });

  test('DynamoDB traffic on the NAT gateway of a subnet whose route table lost the endpoint: VLD115, exit 1', async () => {
    fake.account.natGateways.push({ id: 'nat-0abc', subnetId: 'subnet-0pub', vpcId: 'vpc-0seed', eni: 'eni-0nat' });
    fake.account.routeTables.find((t) => t.id === 'rtb-0a1')!.routes.push({ cidr: '0.0.0.0/0', nat: 'nat-0abc' });
    fake.account.flowLogRecords = { [group]: [record('eni-0a1fn', '10.0.1.25', '52.94.1.10', 443, 'ACCEPT'), record('eni-0nat', '10.0.101.10', '52.94.1.10', 443, 'ACCEPT')] };
    const { code, report } = await evidence();
    expect(report!.troubleshooting.filter((f) => f.id === 'VLD115').map((f) => f.message)).toEqual(FUNCTIONS.map((f) => `${f}: 1 flow(s) to DynamoDB went through a NAT gateway in the last 1h`));
    expect(code).toBe(1);
  });

  test('with the v5 fields, traffic-path tells the endpoint (7) from NAT (1) on the function\'s own records', async () => {
    fake.account.flowLogs[0].logFormat = '${version} ${interface-id} ${srcaddr} ${dstaddr} ${dstport} ${action} ${pkt-srcaddr} ${pkt-dst-aws-service} ${flow-direction} ${traffic-path}';
    fake.account.flowLogRecords = {
      [group]: [
        { at: now - 60_000, message: '5 eni-0a1fn 10.0.1.25 52.94.1.10 443 ACCEPT 10.0.1.25 DYNAMODB egress 7' },
        { at: now - 60_000, message: '5 eni-0b2fn 10.0.2.25 52.94.1.11 443 ACCEPT 10.0.2.25 DYNAMODB egress 1' },
      ],
    };
    const { code, report } = await evidence();
    expect(report!.evidence.functions[0]).toMatchObject({ accepted: 2, throughEndpoint: 1, throughNat: 1 });
    expect(report!.troubleshooting.map((f) => f.id)).toContain('VLD115');
    expect(code).toBe(1);
  });

  test('rejected flows to DynamoDB (a security group edited by hand): VLD116, exit 1', async () => {
    fake.account.flowLogRecords = { [group]: [record('eni-0a1fn', '10.0.1.25', '52.94.1.10', 443, 'REJECT')] };
    const { code, report } = await evidence();
    expect(report!.troubleshooting.filter((f) => f.id === 'VLD116')).toHaveLength(2);
    expect(code).toBe(1);
  });

  test('no flow log on the VPC: VLD117 "no flow log ... no evidence", and no query', async () => {
    fake.account.flowLogs = [];
    const { report } = await evidence();
    expect(report!.troubleshooting.filter((f) => f.id === 'VLD117').map((f) => f.message)[0]).toBe('vpc-lambda-dynamodb-products: no flow log to CloudWatch Logs on its VPC or subnets: no evidence');
    expect(fake.calls().some((c) => c.action.startsWith('logs:'))).toBe(false);
  });

  test('logs:StartQuery denied: exit 3 naming it (blind, not broken)', async () => {
    fake.account.deny.push('logs:StartQuery');
    const { code, stderr, stdout } = await evidence();
    expect([code, stdout]).toEqual([3, '']);
    expect(stderr).toBe('error: could not look in us-east-1: logs:StartQuery (access denied (AccessDeniedException))');
  });

  test.each(['yesterday', '0h', '45d', '2999-01-01'])('--since %s is refused by name before any call (exit 2)', async (since) => {
    const { code, stderr } = await evidence(['--since', since]);
    expect([code, stderr]).toEqual([2, `error: --since: "${since}" is not a duration like 15m, 1h or 2d (at most 30d) nor a past ISO date`]);
    expect(fake.calls()).toEqual([]);
  });

  test('--evidence of another kind is refused by name', async () => {
    const { code } = await evidence().then(() => verify([...both, '--evidence', 'pcap']));
    expect(code).toBe(2);
  });
});
