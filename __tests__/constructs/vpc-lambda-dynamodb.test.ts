import { Testing } from 'cdktf';
import { FunctionCode } from '../../modules/constructs/function-code';
import { FunctionSettings, VpcLambdaDynamoDb, VpcLambdaDynamoDbProps } from '../../modules/constructs/vpc-lambda-dynamodb';
import { ConfigError } from '../../modules/private/config-error';
import { systemOutputs } from '../../modules/stacks/system-outputs';
import { testBundles } from '../support/synth';

type Blocks = Record<string, Record<string, unknown>>;
const SHARED = 'arn:aws:dynamodb:us-east-1:123456789012:table/shared-customers';

function synth(props: Partial<VpcLambdaDynamoDbProps>, after?: (system: VpcLambdaDynamoDb) => void): Record<string, Blocks> {
  const text = Testing.synthScope((scope) => {
    const system = new VpcLambdaDynamoDb(scope, 'orders', { namePrefix: 'orders-dev', region: 'us-east-1', availabilityZones: ['us-east-1a', 'us-east-1b'], ...props });
    after?.(system);
  });
  // synthScope's stack suffixes logical ids with a path hash; drop it so addresses read plainly.
  const json = JSON.parse(text.replace(/_[0-9A-F]{8}\b/g, ''));
  return json.resource;
}
const code = () => FunctionCode.fromBundleDir(testBundles().products);
const fn = (extra: Partial<FunctionSettings> = {}): FunctionSettings => ({ code: code(), ...extra });
const statementsOf = (policy: unknown) => (JSON.parse(String(policy)) as { Statement: Array<{ Sid?: string; Effect: string; Action: string[]; Resource: string[] | string }> }).Statement;

describe('VpcLambdaDynamoDb: your tables and functions from one declaration', () => {
  const resources = synth({
    tables: { orders: { hashKey: 'id' }, events: { hashKey: 'pk', rangeKey: 'sk', ttlAttribute: 'expires_at' } },
    functions: {
      api: fn({ tableAccess: { orders: ['dynamodb:GetItem', 'dynamodb:PutItem'] }, environment: { STAGE: 'dev' } }),
      audit: fn({ tableAccess: { events: ['dynamodb:PutItem', 'dynamodb:Query'], [SHARED]: ['dynamodb:GetItem'] } }),
    },
  });
  const byName = (type: string) => Object.fromEntries(Object.values(resources[type] ?? {}).map((r) => [String(r.name ?? r.function_name), r]));

  test('each function: its own role, log group and security group; named by its key', () => {
    expect(Object.keys(byName('aws_lambda_function')).sort()).toEqual(['orders-dev-api', 'orders-dev-audit']);
    expect(Object.keys(byName('aws_iam_role')).sort()).toEqual(expect.arrayContaining(['orders-dev-api-role', 'orders-dev-audit-role']));
    expect(Object.keys(byName('aws_security_group')).sort()).toEqual(['orders-dev-api-lambda', 'orders-dev-audit-lambda']);
    expect(Object.keys(byName('aws_dynamodb_table')).sort()).toEqual(['orders-dev-events', 'orders-dev-orders']);
    const api = byName('aws_lambda_function')['orders-dev-api'] as { environment: { variables: Record<string, string> } };
    expect(api.environment.variables).toMatchObject({ STAGE: 'dev', ORDERS_TABLE: '${aws_dynamodb_table.orders_tables_orders_table.name}' });
  });

  test('roles: exactly the declared actions on exactly the declared tables; index ARNs only with Query/Scan', () => {
    const policies = Object.values(resources.aws_iam_role_policy).filter((p) => p.name === 'least-privilege');
    const dynamo = policies.map((p) => statementsOf(p.policy).filter((s) => s.Action.some((a) => a.startsWith('dynamodb:'))));
    expect(dynamo).toEqual([
      [{ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: ['${aws_dynamodb_table.orders_tables_orders_table.arn}'] }],
      [
        { Effect: 'Allow', Action: ['dynamodb:PutItem', 'dynamodb:Query'], Resource: ['${aws_dynamodb_table.orders_tables_events_table.arn}'] },
        { Effect: 'Allow', Action: ['dynamodb:Query'], Resource: ['${aws_dynamodb_table.orders_tables_events_table.arn}/index/*'] },
        { Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: [SHARED] },
      ],
    ]);
  });

  test('the endpoint policy is the union of the grants, created tables and ARNs alike', () => {
    const [endpoint] = Object.values(resources.aws_vpc_endpoint);
    const [statement] = statementsOf(endpoint.policy);
    expect(statement.Action).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']);
    expect(statement.Resource).toEqual(expect.arrayContaining(['${aws_dynamodb_table.orders_tables_orders_table.arn}', SHARED, `${SHARED}/index/*`]));
    expect(statement.Resource).toHaveLength(6);
  });

  test('security groups: 443 to the DynamoDB prefix list only; no database, no internet', () => {
    const egress = Object.values(resources.aws_vpc_security_group_egress_rule);
    expect(egress.map((r) => [r.from_port, r.prefix_list_id])).toEqual([
      [443, '${aws_vpc_endpoint.orders_dynamodb_endpoint.prefix_list_id}'],
      [443, '${aws_vpc_endpoint.orders_dynamodb_endpoint.prefix_list_id}'],
    ]);
    expect(resources.aws_vpc_security_group_ingress_rule).toBeUndefined();
    expect(resources.aws_db_instance).toBeUndefined();
  });
});

describe('VpcLambdaDynamoDb: defaults and later grants', () => {
  test('no tables or functions: a private network whose endpoint lets nothing through', () => {
    const resources = synth({});
    for (const type of ['aws_lambda_function', 'aws_dynamodb_table', 'aws_db_instance']) expect([type, resources[type]]).toEqual([type, undefined]);
    const [endpoint] = Object.values(resources.aws_vpc_endpoint);
    expect(statementsOf(endpoint.policy)).toEqual([{ Sid: 'NoTableGranted', Effect: 'Deny', Principal: '*', Action: ['dynamodb:*'], Resource: '*' }]);
  });

  test('a grant made after construction reaches the role and the endpoint policy', () => {
    const resources = synth({ tables: { orders: { hashKey: 'id' } }, functions: { api: fn() } }, (system) => system.table('orders').grantReadData(system.function('api')));
    const [endpoint] = Object.values(resources.aws_vpc_endpoint);
    expect(statementsOf(endpoint.policy)[0].Action).toContain('dynamodb:Query');
  });

  test('database access: 5432 both ways and rds-db:connect, only for the function that asks', () => {
    const resources = synth({ database: { deletionProtection: false }, functions: { api: fn(), reports: fn({ databaseAccess: true }) } });
    const toDb = Object.values(resources.aws_vpc_security_group_egress_rule).filter((r) => r.from_port === 5432);
    expect(toDb).toHaveLength(1);
    expect(String(toDb[0].security_group_id)).toContain('orders_reports_security_group');
    const ingress = Object.values(resources.aws_vpc_security_group_ingress_rule).map((r) => String(r.referenced_security_group_id));
    expect(ingress).toHaveLength(1);
    expect(ingress[0]).toMatch(/^\$\{aws_security_group\.orders_reports_security_group[\w]*\.id\}$/);
    const reportsPolicies = Object.values(resources.aws_iam_role_policy).map((p) => String(p.policy)).filter((p) => p.includes('rds-db:connect'));
    expect(reportsPolicies).toHaveLength(1);
  });
});

describe('VpcLambdaDynamoDb: index grants, provisioned tables and table tags', () => {
  const resources = synth({
    tags: { env: 'dev' },
    tables: {
      orders: {
        hashKey: 'id',
        globalSecondaryIndexes: { byCustomer: { hashKey: 'customerId' } },
        tags: { team: 'orders', env: 'test' },
      },
      events: {
        hashKey: 'pk',
        billingMode: 'PROVISIONED',
        readCapacity: 5,
        writeCapacity: 5,
        tableClass: 'STANDARD_INFREQUENT_ACCESS',
        autoScaling: { readMinCapacity: 5, readMaxCapacity: 50, writeMinCapacity: 5, writeMaxCapacity: 20 },
      },
    },
    functions: {
      api: fn({ tableAccess: { 'orders/index/byCustomer': ['dynamodb:Query'], events: ['dynamodb:PutItem'] } }),
      shared: fn({ tableAccess: { [`${SHARED}/index/byRegion`]: ['dynamodb:Query'] } }),
    },
  });
  const ORDERS = '${aws_dynamodb_table.orders_tables_orders_table.arn}';
  const EVENTS = '${aws_dynamodb_table.orders_tables_events_table.arn}';

  test('a tableAccess key naming an index grants exactly <arn>/index/<name>, and sets the table variable', () => {
    const policies = Object.values(resources.aws_iam_role_policy).filter((p) => p.name === 'least-privilege');
    const dynamo = policies.map((p) => statementsOf(p.policy).filter((s) => s.Action.some((a) => a.startsWith('dynamodb:'))));
    expect(dynamo).toEqual([
      [
        { Effect: 'Allow', Action: ['dynamodb:Query'], Resource: [`${ORDERS}/index/byCustomer`] },
        { Effect: 'Allow', Action: ['dynamodb:PutItem'], Resource: [EVENTS] },
      ],
      [{ Effect: 'Allow', Action: ['dynamodb:Query'], Resource: [`${SHARED}/index/byRegion`] }],
    ]);
    const api = Object.values(resources.aws_lambda_function).find((f) => f.function_name === 'orders-dev-api') as { environment: { variables: Record<string, string> } };
    expect(api.environment.variables).toMatchObject({ ORDERS_TABLE: '${aws_dynamodb_table.orders_tables_orders_table.name}' });
  });

  test('the endpoint policy names the index, not the table it belongs to', () => {
    const [endpoint] = Object.values(resources.aws_vpc_endpoint);
    const [statement] = statementsOf(endpoint.policy);
    expect(statement.Resource).toEqual([`${ORDERS}/index/byCustomer`, EVENTS, `${EVENTS}/index/*`, `${SHARED}/index/byRegion`]);
  });

  test('a table\'s settings pass through: billing, capacity, class, autoscaling, and its tags over the system\'s', () => {
    const tables = Object.values(resources.aws_dynamodb_table);
    const events = tables.find((t) => t.name === 'orders-dev-events')!;
    expect(events).toMatchObject({ billing_mode: 'PROVISIONED', read_capacity: 5, write_capacity: 5, table_class: 'STANDARD_INFREQUENT_ACCESS' });
    expect(Object.keys(resources.aws_appautoscaling_target ?? {})).toHaveLength(2);
    expect(tables.find((t) => t.name === 'orders-dev-orders')!.tags).toEqual({ env: 'test', team: 'orders', Name: 'orders-dev-orders' });
    expect(events.tags).toEqual({ env: 'dev', Name: 'orders-dev-events' });
  });
});

test('the deploy stack\'s table_stream_arns: by table key, only the tables with a stream', () => {
  const json = JSON.parse(
    Testing.synthScope((scope) => {
      const system = new VpcLambdaDynamoDb(scope, 'orders', {
        namePrefix: 'orders-dev',
        region: 'us-east-1',
        availabilityZones: ['us-east-1a', 'us-east-1b'],
        tables: { orders: { hashKey: 'id', streamViewType: 'NEW_AND_OLD_IMAGES' }, events: { hashKey: 'pk' } },
      });
      systemOutputs(scope, system);
    }).replace(/_[0-9A-F]{8}\b/g, ''),
  );
  expect(json.output.table_stream_arns.value).toEqual({ orders: '${aws_dynamodb_table.orders_tables_orders_table.stream_arn}' });
  expect(json.output.table_stream_arns.description).toBe("ARNs of the tables' streams, by table key: only the tables with streamViewType set.");
});

describe('VpcLambdaDynamoDb: bad declarations are refused at synth, naming function and key', () => {
  const ACTIONS = 'from dynamodb:GetItem, dynamodb:BatchGetItem, dynamodb:Query, dynamodb:Scan, dynamodb:PutItem, dynamodb:UpdateItem, dynamodb:DeleteItem, dynamodb:BatchWriteItem, dynamodb:ConditionCheckItem, dynamodb:DescribeTable; wildcards are refused';
  /** The one line a bad declaration gets. */
  const refusal = (props: Partial<VpcLambdaDynamoDbProps>): string => {
    try {
      synth(props);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error('synthesized without an error');
  };

  test.each<[string, Partial<VpcLambdaDynamoDbProps>, string]>([
    ['unknown table key', { functions: { api: fn({ tableAccess: { nope: ['dynamodb:GetItem'] } }) } }, 'functions.api.tableAccess.nope: is neither a key of tables (none) nor a DynamoDB table ARN'],
    ['wildcard action', { tables: { orders: { hashKey: 'id' } }, functions: { api: fn({ tableAccess: { orders: ['dynamodb:*' as never] } }) } }, `functions.api.tableAccess.orders: dynamodb:*: name DynamoDB actions ${ACTIONS}`],
    ['no actions', { tables: { orders: { hashKey: 'id' } }, functions: { api: fn({ tableAccess: { orders: [] } }) } }, `functions.api.tableAccess.orders: (none): name DynamoDB actions ${ACTIONS}`],
    ['an index the table does not declare', { tables: { orders: { hashKey: 'id', globalSecondaryIndexes: { byCustomer: { hashKey: 'customerId' } } } }, functions: { api: fn({ tableAccess: { 'orders/index/byStatus': ['dynamodb:Query'] } }) } }, 'functions.api.tableAccess.orders/index/byStatus: the table orders has no index byStatus; its indexes: byCustomer'],
    ['a non-index action on an index', { tables: { orders: { hashKey: 'id', globalSecondaryIndexes: { byCustomer: { hashKey: 'customerId' } } } }, functions: { api: fn({ tableAccess: { 'orders/index/byCustomer': ['dynamodb:PutItem'] } }) } }, 'functions.api.tableAccess.orders/index/byCustomer: dynamodb:PutItem does not apply to an index; an index grant takes dynamodb:Query or dynamodb:Scan'],
    ['an index of a table that is not declared', { functions: { api: fn({ tableAccess: { 'nope/index/byCustomer': ['dynamodb:Query'] } }) } }, 'functions.api.tableAccess.nope: is neither a key of tables (none) nor a DynamoDB table ARN'],
    ['database access with no database', { functions: { api: fn({ databaseAccess: true }) } }, 'functions.api.databaseAccess: is true but there is no database: set database (enabled, or existing)'],
    ['a key that cannot be part of a name', { functions: { Api_1: fn() } }, 'functions.Api_1: key must be 1 to 32 lowercase letters, digits and hyphens, starting with a letter: it becomes part of resource names'],
    ['internet egress without NAT', { functions: { api: fn({ internetEgress: true }) } }, 'functions.api.internetEgress: needs natMode single or per-az: without NAT there is no internet path to allow'],
    ['a runtime Lambda has but the handlers are not built for', { functions: { api: fn({ runtime: 'python3.12' as never }) } }, 'functions.api.runtime: "python3.12" cannot run code built here (fromEntry, fromBundleDir: Node.js); use nodejs22.x, nodejs20.x, nodejs24.x, or give a prebuilt zip (fromZip, fromS3)'],
    ['a stream from a table that is not declared', { functions: { api: fn({ streamFrom: 'orders' }) } }, 'functions.api.streamFrom: "orders" is not a key of tables (none)'],
    ['a stream from a table without one', { tables: { orders: { hashKey: 'id' } }, functions: { api: fn({ streamFrom: 'orders' }) } }, 'functions.api.streamFrom: table orders has no stream; set its streamViewType'],
    ['memory below Lambda\'s minimum', { functions: { api: fn({ memorySize: 64 }) } }, "functions.api.memorySize: 64 is outside Lambda's limits; allowed 128 to 10240 MB (whole numbers)"],
    ['a function with no code', { functions: { api: {} as FunctionSettings } }, "functions.api.code: is required (a FunctionCode: FunctionCode.fromEntry('src/api.ts'), fromZip, fromBundleDir or fromS3)"],
    ['a path where the code goes', { functions: { api: fn({ code: 'src/api.ts' as never }) } }, "functions.api.code: expected a FunctionCode: FunctionCode.fromEntry('src/api.ts'), fromZip, fromBundleDir or fromS3, got \"src/api.ts\""],
    ['a table with no hash key', { tables: { orders: {} as never } }, 'tables.orders.hashKey: is required (the partition key attribute, like "id")'],
    [
      'a function name too long for its role',
      { namePrefix: 'a-thirty-two-character-prefix-xy', functions: { 'a-key-of-thirty-characters-abc': fn() } },
      'functions.a-key-of-thirty-characters-abc: a-thirty-two-character-prefix-xy-a-key-of-thirty-characters-abc is longer than 59 characters (the role is named <namePrefix>-<key>-role and IAM allows 64); shorten namePrefix or the key',
    ],
    ['a credential in the environment', { functions: { api: fn({ environment: { DB_PASSWORD: 'x' } }) } }, 'functions.api.environment.DB_PASSWORD: looks like a credential; functions get credentials from IAM or Secrets Manager, never from plain environment variables'],
    ['code that does not bundle', { functions: { api: fn({ code: FunctionCode.fromEntry('/nonexistent/api.ts') }) } }, 'functions.api.code: entry file /nonexistent/api.ts does not exist'],
  ])('%s', (_what, props, message) => {
    expect(refusal(props)).toBe(message);
  });
});

describe('VpcLambdaDynamoDb: a misspelt or unknown prop is refused, with the prop it was probably meant to be', () => {
  // Apps run through tsx, where TypeScript never sees these: without the check each is ignored.
  test.each<[string, unknown, string]>([
    ['a function prop', { functions: { api: { ...fn(), timout: 120 } } }, 'functions.api.timout: not a prop of FunctionSettings; did you mean timeout?'],
    ['VpcFunction\'s name for a system prop', { functions: { api: { ...fn(), allowInternetEgress: true } } }, 'functions.api.allowInternetEgress: not a prop of FunctionSettings; did you mean internetEgress?'],
    ['a top-level prop', { natMod: 'single' }, 'natMod: not a prop of VpcLambdaDynamoDbProps; did you mean natMode?'],
    ['a table prop', { tables: { orders: { hashKey: 'id', sortKey: 'at' } as never } }, 'tables.orders.sortKey: not a prop of TableSettings; known: tableName, hashKey, hashKeyType, rangeKey, rangeKeyType, attributes, globalSecondaryIndexes, localSecondaryIndexes, billingMode, readCapacity, writeCapacity, autoScaling, tableClass, streamViewType, ttlAttribute, deletionProtection, pointInTimeRecovery, kmsKeyArn, environmentVariable, tags'],
    ['a flow log prop', { flowLogs: { retention: 7 } }, 'flowLogs.retention: not a prop of FlowLogSettings; did you mean retentionInDays?'],
    ['a database prop', { database: { instanceType: 'db.t4g.small' } }, 'database.instanceType: not a prop of DatabaseSettings; did you mean instanceClass?'],
    ['an existing database prop', { database: { existing: { securityGroupId: 'sg-0123456789abcdef0', hostname: 'db', databaseName: 'app', resourceId: 'db-A', instanceArn: 'arn:aws:rds:us-east-1:123456789012:db:a' } } }, 'database.existing.hostname: not a prop of ExistingDatabaseProps; did you mean host?'],
    ['an existing VPC prop', { existingVpc: { vpcId: 'vpc-0123456789abcdef0', subnetIds: [], privateRouteTableIds: [] } }, 'existingVpc.subnetIds: not a prop of ExistingVpcProps; did you mean privateSubnetIds?'],
  ])('%s', (_what, props, message) => {
    expect(() => synth(props as Partial<VpcLambdaDynamoDbProps>)).toThrow(new ConfigError(message.slice(0, message.indexOf(': ')), message.slice(message.indexOf(': ') + 2)));
  });
});
