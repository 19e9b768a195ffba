import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  cleanEnv,
  missingPackageTools,
  packRepo,
  repoRoot,
  repoTsx,
  run,
  scratchProjectWith,
  typeCheck,
  writeFileIn,
} from '../support/package-install';
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
 * dependencies into a fresh project outside the repo, running the README's own main.ts.
 */
const ci = process.env.CI === 'true';
const section = usageSection(readFileSync(join(repoRoot, 'README.md'), 'utf8'));
const missingTool = missingPackageTools();
const why = !section ? `README.md has no "${USAGE_HEADING}" section yet` : missingTool;
const name = 'the npm package installed into a user project runs the README example';

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
      const packed = packRepo();
      cleanup.push(dirname(packed.tarball));
      files = packed.files;
      dir = scratchProjectWith(packed.tarball).dir;
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
      const strays = files.filter((file) => !/^package\/(lib\/modules\/|lib\/analysis\/|lib\/scripts\/check\.js$|bin\/vpc-lambda-dynamodb\.js$|package\.json$|README\.md$|CHANGELOG\.md$|LICENSE)/.test(file));
      expect({ sources, strays }).toEqual({ sources: [], strays: [] });
    });

    test('the tarball passes the release check (npm run release -- npm): no tests, fixtures, state or credentials, its entry points present', () => {
      const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Parameters<typeof packageProblems>[1];
      expect(packageProblems(files.map((file) => file.replace(/^package\//, '')), pkg, repoRoot)).toEqual([]);
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
      expect([unknown.status, unknown.stderr.trim()]).toEqual([2, 'error: unknown command "deploy"; the one command is: check']);
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
