import { existsSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { missingPackageTools, packRepo, repoRoot, repoTsx, run, scratchProjectWith, typeCheck, writeFileIn } from '../support/package-install';
import { CDKTN_USAGE_HEADING, cdktnUsage, handlerSource, usageSample, usageSection } from '../support/readme-usage';
import { describeWithTerraform, expectOk } from '../support/terraform';
import { init, planJson, PlanJson, writeOfflineProviderOverride } from '../../scripts/terraform-offline';
import { cdktfNames } from '../../scripts/cdktn/rewrite';
import { CDKTN_VERSIONS, scratchCdktnProject } from './support/cdktn';

/**
 * The package as a CDK Terrain user gets it: `npm pack`, installed with cdktn,
 * @cdktn/provider-aws and constructs (no cdktf at all) into a project outside the repo, running
 * the README's CDK Terrain main.ts (the CDKTF one with its imports replaced). Its stack is the
 * CDKTF build's, from the same main.ts in a cdktf project, apart from the provider; and it
 * plans offline, pinned to aws 5.100 the way the README says (the mirror has no 6.x).
 */
const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const cdktfSection = usageSection(readme);
const cdktnSection = usageSection(readme, CDKTN_USAGE_HEADING);
const missingTool = missingPackageTools();
const why = !cdktfSection || !cdktnSection ? `README.md lacks "${!cdktfSection ? 'Use the constructs in your own CDKTF app' : CDKTN_USAGE_HEADING}"` : missingTool;
const name = "the npm package in a scratch CDK Terrain app runs the README's cdktn example";

interface StackJson {
  resource?: Record<string, Record<string, unknown>>;
  data?: Record<string, Record<string, unknown>>;
  provider?: unknown;
  terraform?: { required_providers?: Record<string, { version?: string; source?: string }>; [key: string]: unknown };
  [key: string]: unknown;
}

/** Runs the user's main.ts in `dir` and reads the one stack it writes. */
function synth(dir: string, mainTs: string, handlers: string[]): { stack: StackJson; stackDir: string } {
  writeFileSync(join(dir, 'main.ts'), mainTs);
  for (const handler of handlers) writeFileIn(dir, handler, handlerSource(handler));
  run(repoTsx, ['main.ts'], dir);
  const stacksDir = join(dir, 'cdktf.out', 'stacks');
  const stacks = existsSync(stacksDir) ? readdirSync(stacksDir).filter((s) => existsSync(join(stacksDir, s, 'cdk.tf.json'))) : [];
  if (stacks.length !== 1) throw new Error(`expected one stack under ${stacksDir}, found ${stacks.length}`);
  const stackDir = join(stacksDir, stacks[0]);
  // The default local backend's state path is inside the app's folder: `<app>` in both apps.
  const text = readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8').split(realpathSync(dir)).join('<app>').split(dir).join('<app>');
  return { stack: JSON.parse(text) as StackJson, stackDir };
}

/** A JSON value without its `//` keys (CDKTF's metadata: framework name and version, construct paths). */
function withoutMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== '//').map(([key, v]) => [key, withoutMetadata(v)]));
}

/** The stack without what differs by framework: the provider block, the provider pins and the `//` metadata. */
function withoutProvider(stack: StackJson): StackJson {
  const { provider: _provider, ...rest } = withoutMetadata(stack) as StackJson;
  const { required_providers: _pins, ...terraform } = rest.terraform ?? {};
  return { ...rest, terraform };
}

/** Resource and data addresses (`aws_vpc.network_vpc`, `data.aws_region.aws_region`) of a stack, sorted. */
const addressesOf = (stack: StackJson) =>
  [
    ...Object.entries(stack.resource ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`)),
    ...Object.entries(stack.data ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((n) => `data.${type}.${n}`)),
  ].sort();

/** The configured resource and data addresses of a plan (count and for_each indexes dropped). */
function plannedAddresses(plan: PlanJson): string[] {
  const config = plan.configuration as { root_module?: { resources?: Array<{ address: string }> } };
  return [...new Set((config.root_module?.resources ?? []).map((r) => r.address))].sort();
}

if (why && process.env.CI === 'true') {
  describe(name, () => {
    test('can run under CI', () => {
      throw new Error(`CI=true but ${why}`);
    });
  });
} else if (why) {
  console.warn(`skipping "${name}": ${why}`);
  describe.skip(`${name} (skipped: ${why})`, () => {
    test('README cdktn example', () => undefined);
  });
} else {
  describe(name, () => {
    const cleanup: string[] = [];
    let files: string[] = [];
    let app = '';
    let mainTs = '';
    let handlers: string[] = [];
    let providerOverride: string | undefined;
    let cdktn: { stack: StackJson; stackDir: string };
    let cdktf: { stack: StackJson; stackDir: string };

    beforeAll(() => {
      const sample = usageSample(cdktfSection!);
      const usage = cdktnUsage(cdktnSection!, sample);
      mainTs = usage.mainTs;
      providerOverride = usage.providerOverride;
      handlers = sample.handlerFiles;
      const pack = packRepo();
      cleanup.push(dirname(pack.tarball));
      files = pack.files;
      app = scratchCdktnProject(pack.tarball);
      cleanup.push(app);
      cdktn = synth(app, mainTs, handlers);
      const cdktfApp = scratchProjectWith(pack.tarball).dir;
      cleanup.push(cdktfApp);
      cdktf = synth(cdktfApp, sample.mainTs, handlers);
    }, 600000);

    afterAll(() => {
      for (const path of cleanup) rmSync(path, { recursive: true, force: true });
    });

    test('the tarball holds the cdktn build beside the cdktf one, and none of its files names a cdktf module', () => {
      expect(files).toEqual(expect.arrayContaining(['package/lib/cdktn/constructs/index.js', 'package/lib/cdktn/constructs/index.d.ts', 'package/lib/cdktn/private/framework.js']));
      expect(files.filter((file) => /^package\/lib\/cdktn\/stacks\//.test(file))).toEqual([]);
      const installed = join(app, 'node_modules', 'vpc-lambda-dynamodb');
      const shipped = files.filter((file) => /^package\/lib\/cdktn\/.*\.(js|d\.ts)$/.test(file)).map((file) => file.replace(/^package\//, ''));
      expect(shipped.length).toBeGreaterThan(40);
      const named = shipped.flatMap((file) => cdktfNames(readFileSync(join(installed, file), 'utf8'), file).map((module) => `${file}: ${module}`));
      expect(named).toEqual([]);
    });

    test('the app has CDK Terrain and no cdktf; plain node loads vpc-lambda-dynamodb/cdktn through the exports map', () => {
      const probe = `for (const p of ['cdktf', '@cdktf/provider-aws/lib/provider']) { try { require.resolve(p); console.log('resolves ' + p); } catch {} }
const m = require('vpc-lambda-dynamodb/cdktn'); console.log(typeof m.VpcLambdaDynamoDb, typeof m.FunctionCode.fromEntry, require('cdktn/package.json').version)`;
      expect(run(process.execPath, ['-e', probe], app).stdout.trim()).toBe(`function function ${CDKTN_VERSIONS.cdktn}`);
    });

    test("the README's cdktn main.ts type-checks against the installed package (exports for node16, typesVersions for node10)", () => {
      typeCheck(app, ['main.ts', ...handlers.filter((file) => /\.ts$/.test(file))]);
    });

    test('the stack is the cdktf build\'s apart from the provider: the same resources, data sources and values', () => {
      expect(addressesOf(cdktn.stack).length).toBeGreaterThan(10);
      expect(withoutProvider(cdktn.stack)).toEqual(withoutProvider(cdktf.stack));
      // The provider line differs: @cdktn/provider-aws 25.x pins hashicorp/aws 6.x, @cdktf/provider-aws 20.x 5.x.
      expect(cdktn.stack.terraform?.required_providers?.aws?.version).toMatch(/^6\./);
      expect(cdktf.stack.terraform?.required_providers?.aws?.version).toMatch(/^5\./);
      expect(cdktn.stack.provider).toEqual(cdktf.stack.provider);
    });

    describeWithTerraform('planned offline, pinned to aws 5.100 as the README says', (tool) => {
      let plan: PlanJson;
      let pinned: StackJson;

      beforeAll(() => {
        if (!providerOverride) throw new Error(`README section "${CDKTN_USAGE_HEADING}" gives no \`this.addOverride(...)\` for the provider version`);
        const withPin = mainTs.replace(/(\n(\s*)super\(scope, id\);\n)/, `$1$2${providerOverride}\n`);
        if (withPin === mainTs) throw new Error("README's main.ts has no `super(scope, id);` to put the provider override after");
        rmSync(join(app, 'cdktf.out'), { recursive: true, force: true });
        const synthesized = synth(app, withPin, handlers);
        pinned = synthesized.stack;
        writeOfflineProviderOverride(synthesized.stackDir);
        expectOk(init(tool(), synthesized.stackDir), 'terraform init');
        const result = planJson(tool(), synthesized.stackDir);
        expectOk(result, 'terraform plan');
        plan = result.plan!;
      }, 300000);

      test("the README's override pins the provider, and changes nothing else", () => {
        expect(pinned.terraform?.required_providers?.aws?.version).toBe('~> 5.100');
        expect(withoutProvider(pinned)).toEqual(withoutProvider(cdktn.stack));
      });

      test('terraform plans every resource and data source of the cdktf build', () => {
        expect(plannedAddresses(plan)).toEqual(addressesOf(cdktf.stack));
        const creates = (plan.resource_changes ?? []).filter((change) => change.change.actions.includes('create'));
        expect(creates.length).toBeGreaterThan(10);
      });
    });
  });
}

