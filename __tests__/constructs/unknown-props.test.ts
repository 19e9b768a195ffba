import { Testing } from 'cdktf';
import { Construct } from 'constructs';
import { DynamoDbGatewayEndpoint } from '../../modules/constructs/dynamodb-gateway-endpoint';
import { DynamoDbTable } from '../../modules/constructs/dynamodb-table';
import { FlowLogs } from '../../modules/constructs/flow-logs';
import { FunctionCode } from '../../modules/constructs/function-code';
import { FunctionSecurityGroup } from '../../modules/constructs/function-security-group';
import { NatGateways } from '../../modules/constructs/nat-gateways';
import { Network } from '../../modules/constructs/network';
import { PostgresDatabase } from '../../modules/constructs/postgres-database';
import { LAMBDA_RUNTIMES, VpcFunction } from '../../modules/constructs/vpc-function';
import { ConfigError } from '../../modules/private/config-error';
import { didYouMean } from '../../modules/private/known-props';
import { functionProps, testNetwork } from './support';

// Apps run through tsx, which strips types without checking them: a misspelt prop reaches the
// construct, which would ignore it. Each construct refuses it, naming where it is and, when one
// is close, the prop it was probably meant to be.

/** The one line `build` is refused with, at construct scale. */
function refusal(build: (scope: Construct) => void): string {
  try {
    Testing.synthScope(build);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('synthesized without an error');
}

const db = { securityGroupId: 'sg-0123456789abcdef0', host: 'db.internal', databaseName: 'app', resourceId: 'db-ABCDEFGHIJKLMNOP', instanceArn: 'arn:aws:rds:us-east-1:123456789012:db:orders' };
const bad = <T>(props: T, extra: Record<string, unknown>): T => ({ ...props, ...extra });

describe('each construct refuses a prop it does not have', () => {
  test.each<[string, (scope: Construct) => void, string]>([
    ['VpcFunction', (s) => new VpcFunction(s, 'api', bad(functionProps(testNetwork(s)), { timout: 120 })), 'functions.api.timout: not a prop of VpcFunctionProps; did you mean timeout?'],
    ['VpcFunction, the system\'s name', (s) => new VpcFunction(s, 'api', bad(functionProps(testNetwork(s)), { internetEgress: true })), 'functions.api.internetEgress: not a prop of VpcFunctionProps; did you mean allowInternetEgress?'],
    ['DynamoDbTable', (s) => new DynamoDbTable(s, 'orders', bad({ tableName: 'orders', hashKey: 'id' }, { sortKey: 'ts' })), 'tables.orders.sortKey: not a prop of DynamoDbTableProps; known: tableName, hashKey, hashKeyType, rangeKey, rangeKeyType, attributes, globalSecondaryIndexes, localSecondaryIndexes, billingMode, readCapacity, writeCapacity, autoScaling, tableClass, streamViewType, ttlAttribute, deletionProtection, pointInTimeRecovery, kmsKeyArn, environmentVariable, tags'],
    ['DynamoDbTable.fromTableArn', (s) => DynamoDbTable.fromTableArn(s, 'shared', 'arn:aws:dynamodb:us-east-1:123456789012:table/shared', { envVar: 'X' } as never), 'tables.shared.envVar: not a prop of fromTableArn options; known: environmentVariable'],
    ['Network', (s) => new Network(s, 'network', bad({ namePrefix: 'n', region: 'us-east-1', availabilityZones: ['us-east-1a', 'us-east-1b'] }, { cidr: '10.1.0.0/16' })), 'cidr: not a prop of NetworkProps; did you mean vpcCidr?'],
    ['Network.existingVpc', (s) => new Network(s, 'network', { namePrefix: 'n', region: 'us-east-1', availabilityZones: ['us-east-1a', 'us-east-1b'], existingVpc: bad({ vpcId: 'vpc-0123456789abcdef0', privateSubnetIds: [], privateRouteTableIds: [] }, { privateRouteTables: [] }) }), 'existingVpc.privateRouteTables: not a prop of ExistingVpcProps; did you mean privateRouteTableIds?'],
    ['NatGateways', (s) => new NatGateways(s, 'nat', bad({ namePrefix: 'n', network: testNetwork(s) }, { natMode: 'single' })), 'natMode: not a prop of NatGatewaysProps; did you mean mode?'],
    ['FlowLogs', (s) => new FlowLogs(s, 'flow_logs', bad({ namePrefix: 'n', region: 'us-east-1', vpcId: 'vpc-0123456789abcdef0', accountId: '123456789012' }, { retentionDays: 7 })), 'flowLogs.retentionDays: not a prop of FlowLogsProps; did you mean retentionInDays?'],
    ['DynamoDbGatewayEndpoint', (s) => new DynamoDbGatewayEndpoint(s, 'dynamodb', bad({ namePrefix: 'n', region: 'us-east-1', vpcId: 'vpc-0123456789abcdef0', routeTableIds: ['rtb-0123456789abcdef0'] }, { routeTables: [] })), 'routeTables: not a prop of DynamoDbGatewayEndpointProps; did you mean routeTableIds?'],
    ['FunctionSecurityGroup', (s) => new FunctionSecurityGroup(s, 'sg', bad({ name: 'n-api', vpcId: 'vpc-0123456789abcdef0', dynamoDbPrefixListId: 'pl-02cd2c6b' }, { prefixListId: 'pl-1' })), 'prefixListId: not a prop of FunctionSecurityGroupProps; did you mean dynamoDbPrefixListId?'],
    ['PostgresDatabase', (s) => { const n = testNetwork(s); new PostgresDatabase(s, 'database', bad({ namePrefix: 'n', vpcId: n.vpcId, subnets: n.privateSubnets }, { engine: '16' })); }, 'database.engine: not a prop of PostgresDatabaseProps; did you mean engineVersion?'],
    ['PostgresDatabase.fromExisting', (s) => PostgresDatabase.fromExisting(s, 'database', bad(db, { portNumber: 5433 })), 'database.existing.portNumber: not a prop of ExistingDatabaseProps; did you mean port?'],
    ['FunctionCode.fromS3', () => FunctionCode.fromS3('builds', 'api.zip', { version: '3' } as never), 'code.version: not a prop of fromS3 options; did you mean objectVersion?'],
  ])('%s', (_construct, build, message) => {
    expect(refusal(build)).toBe(message);
  });
});

describe('a missing required prop is named, not a TypeError from deep inside', () => {
  test.each<[string, (scope: Construct) => void, string]>([
    ['VpcFunction without code', (s) => new VpcFunction(s, 'api', { ...functionProps(testNetwork(s)), code: undefined as never }), "functions.api.code: is required (a FunctionCode: FunctionCode.fromEntry('src/api.ts'), fromZip, fromBundleDir or fromS3)"],
    ['DynamoDbTable without a hash key', (s) => new DynamoDbTable(s, 'orders', { tableName: 'orders' } as never), 'tables.orders.hashKey: is required (the partition key attribute, like "id")'],
    ['fromExisting without a host', (s) => PostgresDatabase.fromExisting(s, 'database', { ...db, host: undefined as never }), 'database.existing.host: is required (a prop of ExistingDatabaseProps)'],
  ])('%s', (_what, build, message) => {
    expect(refusal(build)).toBe(message);
  });
});

describe('VpcFunction names itself in every error: functions.<id>.<prop>', () => {
  test.each<[string, Record<string, unknown>, string]>([
    ['runtime', { runtime: 'python2.7' }, `functions.api.runtime: "python2.7" is not supported; allowed: ${LAMBDA_RUNTIMES.join(', ')}`],
    ['runtime for code built here', { runtime: 'python3.12' }, 'functions.api.runtime: "python3.12" cannot run code built here (fromEntry, fromBundleDir: Node.js); use nodejs22.x, nodejs20.x, nodejs24.x, or give a prebuilt zip (fromZip, fromS3)'],
    ['internet egress without NAT', { allowInternetEgress: true }, 'functions.api.allowInternetEgress: needs natEnabled (a NAT path, natMode single or per-az): without it there is no internet path to allow'],
    ['a name too long for its role', { functionName: 'f'.repeat(60) }, `functions.api.functionName: "${'f'.repeat(60)}" must be 1 to 59 letters, digits, hyphens or underscores (the role is named <functionName>-role and IAM allows 64)`],
    ['a credential in the environment', { environment: { API_TOKEN: 'x' } }, 'functions.api.environment.API_TOKEN: looks like a credential; functions get credentials from IAM or Secrets Manager, never from plain environment variables'],
    ['code that does not bundle', { code: FunctionCode.fromEntry('/nonexistent/api.ts') }, 'functions.api.code: entry file /nonexistent/api.ts does not exist'],
  ])('%s', (_what, extra, message) => {
    expect(refusal((s) => new VpcFunction(s, 'api', bad(functionProps(testNetwork(s)), extra)))).toBe(message);
  });

  test('a 59-character name (its role 64) is accepted', () => {
    expect(() => Testing.synthScope((s) => new VpcFunction(s, 'api', functionProps(testNetwork(s), { functionName: 'f'.repeat(59) })))).not.toThrow();
  });
});

describe('didYouMean', () => {
  const known = ['timeout', 'memorySize', 'internetEgress', 'externalModules', 'code'];
  test.each<[string, string | undefined]>([
    ['timout', 'timeout'],
    ['TimeOut', 'timeout'],
    ['memory_size', 'memorySize'],
    ['allowInternetEgress', 'internetEgress'],
    ['external', 'externalModules'],
    ['foo', undefined],
    ['cod', 'code'],
    ['handler', undefined],
  ])('%s -> %s', (typed, meant) => {
    expect(didYouMean(typed, known)).toBe(meant);
  });
});
