import { App, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { ConfigError } from '../../modules/private/config-error';
import { BUILT_FOR, checkFramework, frameworkOf } from '../../modules/private/framework';
import { PlainIdStack } from '../../modules/stacks/plain-id-stack';
import { VpcLambdaDynamoDb } from '../../modules/constructs/vpc-lambda-dynamodb';
import { DynamoDbTable } from '../../modules/constructs/dynamodb-table';

/**
 * The mixed-framework check, without CDK Terrain installed: a cdktf stack or app whose jsii
 * type information says `cdktn.` stands in for a CDK Terrain one (cdktn's classes carry the
 * same stack and app symbols as cdktf's and differ in that name only). The real thing, both
 * directions with cdktn itself, is __tests__/cdktn/mixed-frameworks.test.ts.
 */
const RTTI = Symbol.for('jsii.rtti');
class TerrainLikeStack extends TerraformStack {
  static readonly [RTTI] = { fqn: 'cdktn.TerraformStack', version: '0.24.0' };
}
class TerrainLikeApp extends App {
  static readonly [RTTI] = { fqn: 'cdktn.App', version: '0.24.0' };
}

const props = { region: 'us-east-1', availabilityZones: ['us-east-1a', 'us-east-1b'], tables: { orders: { hashKey: 'id' } } };

test('this build is the cdktf one, and the frameworks are read from jsii type information, also through a subclass', () => {
  expect(BUILT_FOR).toBe('cdktf');
  class OrdersStack extends TerraformStack {}
  expect(frameworkOf(new OrdersStack(Testing.app(), 'orders'))).toBe('cdktf');
  expect(frameworkOf(new TerrainLikeStack(Testing.app(), 'orders'))).toBe('cdktn');
  expect(frameworkOf(new Construct(undefined as never, ''))).toBeUndefined();
});

test('a construct of the cdktf build in a CDK Terrain stack: one line naming both frameworks, at construction', () => {
  const stack = new TerrainLikeStack(Testing.app(), 'orders');
  let caught: unknown;
  try {
    new VpcLambdaDynamoDb(stack, 'system', props);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ConfigError);
  expect((caught as Error).message).toBe(
    'scope: VpcLambdaDynamoDb "system" is from vpc-lambda-dynamodb, built for cdktf (CDKTF), but its stack "orders" is cdktn (CDK Terrain); ' +
      'the two frameworks cannot be mixed in one app: import from vpc-lambda-dynamodb/cdktn in a cdktn app',
  );
});

test('the cdktn build in a cdktf stack: the message the other way round', () => {
  const stack = new TerraformStack(Testing.app(), 'orders');
  const table = new Construct(stack, 'orders-table');
  expect(() => checkFramework(table, 'DynamoDbTable', 'cdktn')).toThrow(
    new ConfigError(
      'scope',
      'DynamoDbTable "orders-table" is from vpc-lambda-dynamodb/cdktn, built for cdktn (CDK Terrain), but its stack "orders" is cdktf (CDKTF); ' +
        'the two frameworks cannot be mixed in one app: import from vpc-lambda-dynamodb in a cdktf app',
    ),
  );
});

test("a cdktf stack of this package under a CDK Terrain app is refused naming the app", () => {
  expect(() => new PlainIdStack(new TerrainLikeApp(), 'deploy')).toThrow(/^scope: PlainIdStack "deploy" is from vpc-lambda-dynamodb, built for cdktf \(CDKTF\), but its app is cdktn \(CDK Terrain\);/);
});

test('the same framework, or a scope with no stack or app, passes', () => {
  const stack = new PlainIdStack(Testing.app(), 'orders');
  expect(() => new DynamoDbTable(stack, 'orders', { tableName: 'orders', hashKey: 'id' })).not.toThrow();
  expect(() => checkFramework(new Construct(new Construct(undefined as never, ''), 'bare'), 'Network')).not.toThrow();
});
