import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { validate } from '../support/json-schema';
import {
  cleanEnv,
  missingPackageTools,
  packRepo,
  PEER_PACKAGES,
  repoRoot,
  repoTsx,
  run,
  scratchCliProject,
  scratchProjectWith,
  typeCheck,
  writeFileIn,
} from '../support/package-install';
import { describeWithTerraform, planDeployStack } from '../support/terraform';
import { handlerSource, USAGE_HEADING, usageSample, usageSection, UsageSample } from '../support/readme-usage';
import { packageProblems } from '../../scripts/release/package-check';
import {
  actionsOf,
  effectsOf,
  endpointStatements,
  expectPrivateSubnets,
  resourcesOfStatements,
  roleDynamoDbStatements,
  StackJson,
  tableArnPattern,
  userResource,
} from '../support/user-stack-checks';

/**
 * The package as a user gets it: `npm pack` (prepack builds lib/), installed with its peer
 * dependencies into a fresh project outside the repo, running the README's own main.ts; and
 * installed alone (`--omit=peer`, no CDKTF package at all), as a pipeline runs `check`.
 */
const ci = process.env.CI === 'true';
const section = usageSection(readFileSync(join(repoRoot, 'README.md'), 'utf8'));
const missingTool = missingPackageTools();
const why = !section ? `README.md has no "${USAGE_HEADING}" section yet` : missingTool;
const name = 'the npm package installed into a user project runs the README example';

/** One `npm pack` for the file's two projects, removed after both. */
let packed: { tarball: string; files: string[] } | undefined;
function packOnce(): { tarball: string; files: string[] } {
  packed ??= packRepo();
  return packed;
}
afterAll(() => {
  if (packed) rmSync(dirname(packed.tarball), { recursive: true, force: true });
});

if (why && ci) {
  describe(name, () => {
    test('can run under CI', () => {
      throw new Error(`CI=true but ${why}`);
    });
  });
} else if (why) {
  console.warn(`skipping "${name}": ${why}`);
  describe.skip(`${name} (skipped: ${why})`, () => {
    test('README example', () => undefined);
  });
} else {
  describe(name, () => {
    let sample: UsageSample;
    let files: string[] = [];
    let dir = '';
    let stack: StackJson = {};
    let stackDir = '';
    const cleanup: string[] = [];

    beforeAll(() => {
      sample = usageSample(section!);
      const pack = packOnce();
      files = pack.files;
      dir = scratchProjectWith(pack.tarball).dir;
      cleanup.push(dir);
      writeFileSync(join(dir, 'main.ts'), sample.mainTs);
      for (const handler of sample.handlerFiles) writeFileIn(dir, handler, handlerSource(handler));
      run(repoTsx, ['main.ts'], dir);
      const stacksDir = join(dir, 'cdktf.out', 'stacks');
      const stacks = existsSync(stacksDir) ? readdirSync(stacksDir).filter((s) => existsSync(join(stacksDir, s, 'cdk.tf.json'))) : [];
      if (stacks.length !== 1) throw new Error(`expected one stack under ${stacksDir}, found ${stacks.length}`);
      stackDir = join(stacksDir, stacks[0]);
      stack = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')) as StackJson;
    }, 300000);

    afterAll(() => {
      for (const path of cleanup) rmSync(path, { recursive: true, force: true });
    });

    test('the tarball holds the compiled constructs with their types, and no sources or tests', () => {
      expect(files).toEqual(expect.arrayContaining(['package/package.json', 'package/README.md', 'package/lib/modules/index.js', 'package/lib/modules/index.d.ts']));
      const sources = files.filter((file) => /\.ts$/.test(file) && !/\.d\.ts$/.test(file));
      const strays = files.filter((file) => !/^package\/(lib\/modules\/|lib\/cdktn\/(constructs|private)\/|lib\/analysis\/|lib\/scripts\/(check|verify)\.js$|bin\/vpc-lambda-dynamodb\.js$|package\.json$|README\.md$|CHANGELOG\.md$|LICENSE|docs\/[^/]+\.md$|docs\/verify(-probe|-evidence)?-policy\.json$)/.test(file));
      expect({ sources, strays }).toEqual({ sources: [], strays: [] });
    });

    test('the tarball passes the release check (npm run release -- npm): no tests, fixtures, state or credentials, its entry points present', () => {
      const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Parameters<typeof packageProblems>[1];
      expect(packageProblems(files.map((file) => file.replace(/^package\//, '')), pkg, repoRoot)).toEqual([]);
    });

    test('the docs the README links ship with it, so its links resolve in the installed package', () => {
      const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
      const linked = [...readme.matchAll(/\]\((docs\/[^)#\s]+\.md)/g)].map((match) => `package/${match[1]}`);
      expect(linked.length).toBeGreaterThan(0);
      expect(linked.filter((doc) => !files.includes(doc))).toEqual([]);
    });

    test('plain node loads the installed package through its exports map', () => {
      const out = run(
        process.execPath,
        ['-e', "const m = require('vpc-lambda-dynamodb'); require.resolve('vpc-lambda-dynamodb/package.json'); console.log(typeof m.ConfigError)"],
        dir,
      );
      expect(out.stdout.trim()).toBe('function');
    });

    test('the installed CLI checks the stack the README example wrote: its function reaches its table privately', () => {
      const ok = spawnSync('npx', ['--no-install', 'vpc-lambda-dynamodb', 'check', '--stack', stackDir], { cwd: dir, env: cleanEnv(), encoding: 'utf8' });
      expect([ok.status, ok.stderr]).toEqual([0, '']);
      expect(ok.stdout).toMatch(/^OK: 1\/1 functions reach DynamoDB privately/m);
      const sarif = spawnSync('npx', ['--no-install', 'vpc-lambda-dynamodb', 'check', '--stack', stackDir, '--format', 'sarif'], { cwd: dir, env: cleanEnv(), encoding: 'utf8' });
      expect(JSON.parse(sarif.stdout).version).toBe('2.1.0');
      const unknown = spawnSync('npx', ['--no-install', 'vpc-lambda-dynamodb', 'deploy'], { cwd: dir, env: cleanEnv(), encoding: 'utf8' });
      expect([unknown.status, unknown.stderr.trim()]).toEqual([2, 'error: unknown command "deploy"; the commands are: check, verify']);
    });

    test("the README's main.ts type-checks against the installed package (exports and main/types)", () => {
      typeCheck(dir, ['main.ts', ...sample.handlerFiles.filter((file) => /\.ts$/.test(file))]);
    });

    test('the function runs in the private subnets, one per availability zone', () => {
      const [, fn] = userResource(stack, 'aws_lambda_function', sample.functionKey, 'function_name');
      const zones = /availabilityZones:\s*\[([^\]]*)\]/.exec(sample.mainTs)?.[1].match(/['"][^'"]+['"]/g)?.length ?? 2;
      expect(expectPrivateSubnets(stack, fn, zones).length).toBeGreaterThan(0);
      expect((fn.vpc_config as { security_group_ids?: unknown[] }).security_group_ids?.length).toBeGreaterThan(0);
    });

    test("the function's zip is the user's handler, built into the stack's assets", () => {
      const [, fn] = userResource(stack, 'aws_lambda_function', sample.functionKey, 'function_name');
      const zip = String(fn.filename).replace('${path.module}', stackDir);
      expect(existsSync(zip)).toBe(true);
      expect(String(fn.source_code_hash)).not.toBe('');
    });

    test("the function's role allows the README's DynamoDB actions on the user's table and nothing else", () => {
      const [tableId] = userResource(stack, 'aws_dynamodb_table', sample.tableKey, 'name');
      const [, fn] = userResource(stack, 'aws_lambda_function', sample.functionKey, 'function_name');
      const statements = roleDynamoDbStatements(stack, fn);
      expect(statements.length).toBeGreaterThan(0);
      expect(effectsOf(statements)).toEqual(['Allow']);
      expect(actionsOf(statements)).toEqual(sample.dynamoDbActions);
      const resources = resourcesOfStatements(statements);
      expect(resources.filter((arn) => !tableArnPattern(tableId).test(arn))).toEqual([]);
      expect(resources.length).toBeGreaterThan(0);
    });

    test("the DynamoDB gateway endpoint's policy names the user's table", () => {
      const [tableId] = userResource(stack, 'aws_dynamodb_table', sample.tableKey, 'name');
      const resources = resourcesOfStatements(endpointStatements(stack));
      expect(resources.some((arn) => tableArnPattern(tableId).test(arn))).toBe(true);
      // Every resource is a table of the stack: no "*", no table the user did not declare.
      const tables = Object.keys(stack.resource?.aws_dynamodb_table ?? {});
      expect(resources.filter((arn) => !tables.some((id) => tableArnPattern(id).test(arn)))).toEqual([]);
    });
  });
}

const cliName = 'the CLI installed alone (npm install <tarball> --omit=peer): check reads a plan, --help, one-line errors';
if (missingTool && ci) {
  describe(cliName, () => {
    test('can run under CI', () => {
      throw new Error(`CI=true but ${missingTool}`);
    });
  });
} else if (missingTool) {
  console.warn(`skipping "${cliName}": ${missingTool}`);
  describe.skip(`${cliName} (skipped: ${missingTool})`, () => {
    test('the installed CLI', () => undefined);
  });
} else {
  // The plan is the default deploy stack's, planned offline (terraform and the mirror needed:
  // describeWithTerraform skips with the reason, or fails under CI=true).
  describeWithTerraform(cliName, (tool) => {
    const SCHEMA = JSON.parse(readFileSync(join(repoRoot, '__tests__', 'analysis', 'schemas', 'sarif-2.1.0-rtm.5.json'), 'utf8')) as Record<string, unknown>;
    let project = '';
    let infra = '';

    /** A shell command line in `cwd`, stdout redirected by the shell as a pipeline does. */
    const sh = (line: string, cwd = infra) => spawnSync('sh', ['-c', line], { cwd, env: cleanEnv(), encoding: 'utf8' });
    const npx = (args: string) => sh(`npx --no-install vpc-lambda-dynamodb ${args}`);

    beforeAll(async () => {
      project = scratchCliProject(packOnce().tarball).dir;
      // The root module beside its plan, as `terraform show -json plan.bin > plan.json` leaves it.
      const { plan, dir } = await planDeployStack(tool(), {});
      infra = join(project, 'infra');
      cpSync(dir, infra, { recursive: true, filter: (src) => !/[\\/]\.terraform([\\/]|$)|\.bin$/.test(src) });
      writeFileSync(join(infra, 'plan.json'), JSON.stringify(plan));
    }, 300000);

    afterAll(() => {
      if (project) rmSync(project, { recursive: true, force: true });
    });

    test('no CDKTF package is installed: cdktf, constructs and @cdktf/provider-aws do not resolve from the package', () => {
      const pkg = join(project, 'node_modules', 'vpc-lambda-dynamodb');
      expect(existsSync(join(pkg, 'bin', 'vpc-lambda-dynamodb.js'))).toBe(true);
      const probe = `for (const p of ${JSON.stringify(PEER_PACKAGES)}) { try { require.resolve(p, { paths: [${JSON.stringify(pkg)}] }); console.log(p); } catch {} }`;
      expect(run(process.execPath, ['-e', probe], project).stdout).toBe('');
    });

    test('npm install <tarball> without --omit=peer installs no CDKTF package either (the peers are optional)', () => {
      const plain = scratchCliProject(packOnce().tarball, []).dir;
      try {
        expect(PEER_PACKAGES.filter((p) => existsSync(join(plain, 'node_modules', p)))).toEqual([]);
        expect(existsSync(join(plain, 'node_modules', 'vpc-lambda-dynamodb', 'package.json'))).toBe(true);
      } finally {
        rmSync(plain, { recursive: true, force: true });
      }
    });

    test('check --plan plan.json --format sarif > out.sarif: exit 0, nothing on stderr, valid SARIF 2.1.0 with the plan checked', () => {
      const ran = npx('check --plan plan.json --format sarif > out.sarif');
      expect([ran.status, ran.stderr]).toEqual([0, '']);
      const log = JSON.parse(readFileSync(join(infra, 'out.sarif'), 'utf8')) as { runs: Array<{ tool: { driver: { name: string; rules: unknown[] } }; results: Array<{ level: string }> }> };
      expect(validate(SCHEMA, log)).toEqual([]);
      expect(log.runs[0].tool.driver.name).toBe('vpc-lambda-dynamodb check');
      expect(log.runs[0].tool.driver.rules.length).toBeGreaterThan(20);
      expect(log.runs[0].results.filter((r) => r.level === 'error')).toEqual([]);
    });

    test('check --plan plan.json (text): the verdict, the first line naming the bin', () => {
      const ran = npx('check --plan plan.json');
      expect([ran.status, ran.stderr]).toEqual([0, '']);
      expect(ran.stdout.split('\n')[0]).toBe('vpc-lambda-dynamodb check: plan plan.json');
      expect(ran.stdout).toMatch(/^OK: 2\/2 functions reach DynamoDB privately/m);
    });

    test('--help, -h and check --help: the usage in the bin\'s own name, exit 0', () => {
      for (const flag of ['--help', '-h']) {
        const ran = npx(flag);
        expect([flag, ran.status, ran.stderr, ran.stdout.split('\n')[0]]).toEqual([flag, 0, '', 'Usage: vpc-lambda-dynamodb <command> [options]']);
      }
      const check = npx('check --help');
      expect([check.status, check.stderr, check.stdout.split('\n')[0]]).toEqual([0, '', 'Usage: vpc-lambda-dynamodb check [options]']);
      expect(check.stdout).not.toContain('npm run');
    });

    test('verify runs from the installed package: its SDK clients are dependencies; an account it cannot reach is exit 3, one line', () => {
      const help = npx('verify --help');
      expect([help.status, help.stderr, help.stdout.split('\n')[0]]).toEqual([0, '', 'Usage: vpc-lambda-dynamodb verify [options]']);
      const env = 'AWS_ENDPOINT_URL=http://127.0.0.1:9 AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=y AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true';
      const blind = sh(`${env} npx --no-install vpc-lambda-dynamodb verify --function orders --region us-east-1`);
      expect([blind.status, blind.stdout]).toEqual([3, '']);
      expect(blind.stderr.trim().split('\n')).toEqual(['error: could not look in us-east-1: lambda:GetFunctionConfiguration (endpoint unreachable (ECONNREFUSED))']);
    });

    test('bad input: one line naming it, exit 2, and the redirected report file stays empty', () => {
      const missing = npx('check --plan missing.json --format sarif > bad.sarif');
      expect([missing.status, missing.stderr]).toEqual([2, 'error: --plan: cannot read missing.json (ENOENT)\n']);
      expect(statSync(join(infra, 'bad.sarif')).size).toBe(0);
      const noStack = sh('npx --no-install vpc-lambda-dynamodb check > bad.txt', project);
      expect(noStack.status).toBe(2);
      expect(noStack.stderr.trim().split('\n')).toEqual([
        'error: --stack: no cdktf.out/stacks/vpc-lambda-dynamodb (synthesize your CDKTF app with cdktf synth, or pass --stack <folder holding cdk.tf.json> or --plan <plan.json>)',
      ]);
      expect(statSync(join(project, 'bad.txt')).size).toBe(0);
    });
  });
}
