import { ConfigError } from '../../private/config-error';
import { tableNameOfArn } from '../../constructs/dynamodb-table';
import { FunctionCode } from '../../constructs/function-code';
import { FunctionSettings, TableSettings, VpcLambdaDynamoDbProps } from '../../constructs/vpc-lambda-dynamodb';
import { DeployConfig } from './deploy-config';

/** Bundled handler folders of the example system, one per function (functions/bundle.ts). */
export interface FunctionBundles {
  readonly products: string;
  readonly userActivity: string;
}

/**
 * The example system the deploy stack builds by default, written in the constructs' own
 * interface: two tables, `products` (PutItem + GetItem on products) and `user-activity`
 * (reads a user from PostgreSQL, PutItem + GetItem on user-activity: idempotency records), and the database. The deploy
 * configuration's `functions`, `tables` and `database` keys are this example's knobs.
 */
export function seedSystemProps(config: DeployConfig, bundles: FunctionBundles | undefined): Pick<VpcLambdaDynamoDbProps, 'tables' | 'functions' | 'database'> {
  if (!config.functions.enabled) return {};
  if (!bundles) throw new ConfigError('functions', 'are enabled but no bundles were given; bundle them (functions/bundle.ts) or set functions.enabled false');
  const { tables: t, functions: f, database } = config;
  // In the configuration's own names (the constructs would say functions.products.internetEgress).
  if (f.allowInternetEgress && config.natMode === 'none') {
    throw new ConfigError('functions.allowInternetEgress', 'needs natMode single or per-az: without NAT there is no internet path to allow');
  }
  if (!t.create && !t.existing) {
    throw new ConfigError('tables.existing', 'is required when tables.create is false: give the name and ARN of both tables');
  }
  for (const [key, table] of Object.entries(t.existing ?? {})) {
    if (!tableNameOfArn(table.arn)) {
      throw new ConfigError(`tables.existing.${key}.arn`, `"${table.arn}" is not a DynamoDB table ARN (arn:aws:dynamodb:<region>:<account>:table/<name>)`);
    }
  }
  const tables: Record<string, TableSettings> = t.create
    ? {
        products: { hashKey: 'id', deletionProtection: t.deletionProtection, kmsKeyArn: t.kmsKeyArn },
        // expiresAt: idempotency records (functions/user-activity/handler.ts) expire; activity items have no expiresAt and stay.
        'user-activity': { hashKey: 'userId', rangeKey: 'timestamp', ttlAttribute: 'expiresAt', deletionProtection: t.deletionProtection, kmsKeyArn: t.kmsKeyArn },
      }
    : {};
  // An existing table is granted by ARN; the handlers still read PRODUCTS_TABLE / USER_ACTIVITY_TABLE.
  const target = (key: 'products' | 'user-activity', existing?: { name: string; arn: string }) =>
    t.create || !existing ? { access: key, environment: {} } : { access: existing.arn, environment: { [key === 'products' ? 'PRODUCTS_TABLE' : 'USER_ACTIVITY_TABLE']: existing.name } };
  const products = target('products', t.existing?.products);
  const activity = target('user-activity', t.existing?.userActivity);
  const common = {
    memorySize: f.memorySize,
    timeout: f.timeout,
    architecture: f.architecture,
    reservedConcurrency: f.reservedConcurrency,
    logRetentionInDays: f.logRetentionInDays,
    internetEgress: f.allowInternetEgress,
    applicationLogLevel: f.applicationLogLevel,
    systemLogLevel: f.systemLogLevel,
    failureQueueEnabled: f.failureQueueEnabled,
    maximumRetryAttempts: f.maximumRetryAttempts,
    tracing: f.tracing,
  };
  const functions: Record<string, FunctionSettings> = {
    products: {
      ...common,
      description: 'Puts a product into the products table and reads it back, through the DynamoDB gateway endpoint',
      code: FunctionCode.fromBundleDir(bundles.products),
      environment: products.environment,
      tableAccess: { [products.access]: ['dynamodb:PutItem', 'dynamodb:GetItem'] },
    },
    'user-activity': {
      ...common,
      description: 'Reads a user from PostgreSQL and records the activity in DynamoDB',
      code: FunctionCode.fromBundleDir(bundles.userActivity),
      environment: activity.environment,
      // GetItem: a redelivered event reads its idempotency record to answer as the first delivery did.
      tableAccess: { [activity.access]: ['dynamodb:PutItem', 'dynamodb:GetItem'] },
      databaseAccess: database.enabled || database.existing !== undefined,
    },
  };
  return {
    tables,
    functions,
    database: database.enabled || database.existing ? { ...database, enabled: true } : undefined,
  };
}
