import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as cdktf from 'cdktf';
import { AwsProvider as CdktfAwsProvider } from '@cdktf/provider-aws/lib/provider';
import * as fromCdktfBuild from '../../modules/constructs';
import { cdktnModules, rewrittenSourceTree } from './support/cdktn';

/**
 * One app with both frameworks installed, as a project moving from cdktf to cdktn has them:
 * cdktf and the cdktf build from the repo, CDK Terrain and the cdktn build (the rewritten
 * modules, rewrittenSourceTree) from the tier's cache, one constructs for both. A construct of
 * either build in the other framework's stack fails at construction with one line naming
 * both, not with `TypeError: e._resetResolveDiscoveredProviderFeatureUsage is not a function`
 * from inside the other framework's synth.
 */
type Build = typeof fromCdktfBuild;
type Framework = typeof cdktf;
const nm = cdktnModules();
/* eslint-disable @typescript-eslint/no-require-imports */
const cdktn = require(join(nm, 'cdktn')) as Framework;
const { AwsProvider: CdktnAwsProvider } = require(join(nm, '@cdktn', 'provider-aws', 'lib', 'provider')) as { AwsProvider: typeof CdktfAwsProvider };
const fromCdktnBuild = require(join(rewrittenSourceTree(), 'modules', 'constructs')) as Build;
/* eslint-enable @typescript-eslint/no-require-imports */

const props = {
  namePrefix: 'orders-dev',
  availabilityZones: ['us-east-1a', 'us-east-1b'],
  tables: { orders: { hashKey: 'id' } },
};

function stackOf(framework: Framework, provider: typeof CdktfAwsProvider, outdir: string): cdktf.TerraformStack {
  const app = new framework.App({ outdir });
  const stack = new framework.TerraformStack(app, 'orders');
  new provider(stack, 'aws', { region: 'us-east-1' });
  return stack;
}

/** The error `make` throws, as [name, message]. */
function thrown(make: () => unknown): [string, string] {
  try {
    make();
  } catch (error) {
    return [(error as Error).name, (error as Error).message];
  }
  return ['nothing thrown', ''];
}

let outdir = '';
beforeEach(() => {
  outdir = mkdtempSync(join(tmpdir(), 'vld-mixed-'));
});
afterEach(() => rmSync(outdir, { recursive: true, force: true }));

test('the two frameworks are really both here: cdktf 0.21 and CDK Terrain, told apart by their jsii names', () => {
  const rtti = (type: unknown) => (type as Record<symbol, { fqn: string }>)[Symbol.for('jsii.rtti')].fqn;
  expect([rtti(cdktf.TerraformStack), rtti(cdktn.TerraformStack)]).toEqual(['cdktf.TerraformStack', 'cdktn.TerraformStack']);
  expect(cdktn.TerraformStack).not.toBe(cdktf.TerraformStack);
});

test('the cdktn build in a CDK Terrain stack synthesizes (app.synth(), here on Node ' + process.versions.node + ')', () => {
  const stack = stackOf(cdktn, CdktnAwsProvider, outdir);
  new fromCdktnBuild.VpcLambdaDynamoDb(stack, 'orders', props);
  (stack.node.root as cdktf.App).synth();
  const json = JSON.parse(readFileSync(join(outdir, 'stacks', 'orders', 'cdk.tf.json'), 'utf8')) as { resource: Record<string, unknown>; terraform: { required_providers: { aws: { version: string } } } };
  expect(Object.keys(json.resource)).toEqual(expect.arrayContaining(['aws_vpc', 'aws_vpc_endpoint', 'aws_dynamodb_table']));
  expect(json.terraform.required_providers.aws.version).toMatch(/^6\./);
});

test('vpc-lambda-dynamodb (cdktf) in a CDK Terrain stack: one line naming both, at construction', () => {
  const stack = stackOf(cdktn, CdktnAwsProvider, outdir);
  expect(thrown(() => new fromCdktfBuild.VpcLambdaDynamoDb(stack, 'orders', props))).toEqual([
    'ConfigError',
    'scope: VpcLambdaDynamoDb "orders" is from vpc-lambda-dynamodb, built for cdktf (CDKTF), but its stack "orders" is cdktn (CDK Terrain); ' +
      'the two frameworks cannot be mixed in one app: import from vpc-lambda-dynamodb/cdktn in a cdktn app',
  ]);
});

test('vpc-lambda-dynamodb/cdktn in a cdktf stack: one line naming both, at construction', () => {
  const stack = stackOf(cdktf, CdktfAwsProvider, outdir);
  expect(thrown(() => new fromCdktnBuild.VpcLambdaDynamoDb(stack, 'orders', props))).toEqual([
    'ConfigError',
    'scope: VpcLambdaDynamoDb "orders" is from vpc-lambda-dynamodb/cdktn, built for cdktn (CDK Terrain), but its stack "orders" is cdktf (CDKTF); ' +
      'the two frameworks cannot be mixed in one app: import from vpc-lambda-dynamodb in a cdktf app',
  ]);
  // A construct built on its own (not through VpcLambdaDynamoDb) is refused the same way.
  expect(thrown(() => new fromCdktnBuild.DynamoDbTable(stack, 'table', { tableName: 't', hashKey: 'id' }))[1]).toMatch(/^scope: DynamoDbTable "table" is from vpc-lambda-dynamodb\/cdktn, built for cdktn \(CDK Terrain\), but its stack "orders" is cdktf \(CDKTF\);/);
});
