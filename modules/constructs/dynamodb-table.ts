import { Construct } from 'constructs';
import { AppautoscalingPolicy } from '@cdktf/provider-aws/lib/appautoscaling-policy';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { ConfigError } from '../private/config-error';
import { checkProps, PropSpec } from '../private/known-props';
import { checkKmsKeyArn } from '../private/kms-key';
import { isLiteral, tagsWithName } from '../private/tokens';
import { suppressScannerRules } from '../private/scanner-suppressions';
import { checkFramework } from '../private/framework';

/** DynamoDB actions a grant may name; anything else (and any wildcard) is refused. */
export const DYNAMODB_DATA_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
] as const;
/** One of {@link DYNAMODB_DATA_ACTIONS}. */
export type DynamoDbAction = (typeof DYNAMODB_DATA_ACTIONS)[number];

/** What `grantReadData` allows (AWS CDK's read set, without streams). */
export const DYNAMODB_READ_ACTIONS: DynamoDbAction[] = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable'];
/** What `grantWriteData` allows. */
export const DYNAMODB_WRITE_ACTIONS: DynamoDbAction[] = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:DescribeTable'];
/** Actions that read an index too: a grant with one of them includes `<table arn>/index/*`. */
export const DYNAMODB_INDEX_ACTIONS: readonly string[] = ['dynamodb:Query', 'dynamodb:Scan'];

/** Table ARN shape; the table name is the last part. */
const TABLE_ARN = /^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/([A-Za-z0-9_.-]{3,255})$/;

/** Something that can be granted table access: a function. */
export interface IGrantable {
  /**
   * Allows `actions` on a table (and its indexes where an action needs them), or on exactly
   * `resources` when given (one index: `<table arn>/index/<name>`).
   */
  addTableAccess(tableArn: string, actions: string[], resources?: string[]): void;
  /** Sets an environment variable of the grantee. */
  addEnvironment(name: string, value: string): void;
}

/** A table, created here or imported, that functions can be granted access to. */
export interface ITable {
  /** Table name. */
  readonly tableName: string;
  /** Table ARN. */
  readonly tableArn: string;
  /** Name of the environment variable a grant sets to the table's name (`ORDERS_TABLE`). */
  readonly environmentVariable: string;
  /** The table's index names (global, then local); undefined for an imported table (not known here). */
  readonly indexNames?: readonly string[];
  /**
   * Allows exactly these actions on this table and tells the function the table's name. With
   * `options.index`, on that index only (`<table arn>/index/<name>`): Query and Scan.
   */
  grant(grantee: IGrantable, actions: DynamoDbAction[], options?: TableGrantOptions): void;
  /** Allows reading items, queries and scans (indexes included). */
  grantReadData(grantee: IGrantable): void;
  /** Allows writing and deleting items. */
  grantWriteData(grantee: IGrantable): void;
  /** Both. */
  grantReadWriteData(grantee: IGrantable): void;
}

/** Options of {@link ITable.grant}. */
export interface TableGrantOptions {
  /**
   * Grant on this index only: the statement's resource is `<table arn>/index/<index>`.
   * @default undefined: the table (and `<arn>/index/*` for Query and Scan)
   */
  readonly index?: string;
}

/**
 * Refuses a grant on an index the table does not declare (when its indexes are known) or with
 * an action that does not read an index; `input` names where the grant was written.
 */
export function checkIndexGrant(input: string, table: Pick<ITable, 'indexNames'>, tableLabel: string, index: string, actions: readonly string[]): void {
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(index)) throw new ConfigError(input, `"${index}" is not an index name (3 to 255 letters, digits, '_', '-' or '.')`);
  if (table.indexNames && !table.indexNames.includes(index)) {
    throw new ConfigError(input, `the table ${tableLabel} has no index ${index}; its indexes: ${table.indexNames.length ? table.indexNames.join(', ') : 'none'}`);
  }
  const other = actions.filter((a) => isLiteral(a) && !DYNAMODB_INDEX_ACTIONS.includes(a));
  if (other.length > 0) throw new ConfigError(input, `${other.join(', ')} does not apply to an index; an index grant takes ${DYNAMODB_INDEX_ACTIONS.join(' or ')}`);
}

/** `orders` -> `ORDERS_TABLE`, `user-activity` -> `USER_ACTIVITY_TABLE`. */
export function tableEnvironmentVariable(key: string): string {
  return `${key.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_TABLE`;
}

/** The table name in a DynamoDB table ARN, or undefined when it is not one. */
export function tableNameOfArn(arn: string): string | undefined {
  return TABLE_ARN.exec(arn)?.[1];
}

/** Refuses actions that are not named DynamoDB data actions (wildcards included). */
export function checkTableActions(input: string, actions: readonly string[]): void {
  const unknown = actions.filter((a) => isLiteral(a) && !(DYNAMODB_DATA_ACTIONS as readonly string[]).includes(a));
  if (unknown.length > 0 || actions.length === 0) {
    throw new ConfigError(input, `${unknown.length ? unknown.join(', ') : '(none)'}: name DynamoDB actions from ${DYNAMODB_DATA_ACTIONS.join(', ')}; wildcards are refused`);
  }
}

abstract class TableBase extends Construct implements ITable {
  abstract readonly tableName: string;
  abstract readonly tableArn: string;
  abstract readonly environmentVariable: string;
  readonly indexNames?: readonly string[];

  grant(grantee: IGrantable, actions: DynamoDbAction[], options: TableGrantOptions = {}): void {
    checkTableActions(`${this.node.id}.grant`, actions);
    checkProps(`tables.${this.node.id}.grant`, options, 'TableGrantOptions', { index: 'optional' });
    if (options.index === undefined) grantee.addTableAccess(this.tableArn, [...actions]);
    else {
      checkIndexGrant(`tables.${this.node.id}.grant.index`, this, this.node.id, options.index, actions);
      grantee.addTableAccess(this.tableArn, [...actions], [`${this.tableArn}/index/${options.index}`]);
    }
    grantee.addEnvironment(this.environmentVariable, this.tableName);
  }
  grantReadData(grantee: IGrantable): void {
    this.grant(grantee, DYNAMODB_READ_ACTIONS);
  }
  grantWriteData(grantee: IGrantable): void {
    this.grant(grantee, DYNAMODB_WRITE_ACTIONS);
  }
  grantReadWriteData(grantee: IGrantable): void {
    this.grant(grantee, [...new Set([...DYNAMODB_READ_ACTIONS, ...DYNAMODB_WRITE_ACTIONS])]);
  }
}

/** What a stream record holds of the changed item. */
export const DYNAMODB_STREAM_VIEW_TYPES = ['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES'] as const;

/** Key attribute types DynamoDB accepts: string, number, binary. */
export const DYNAMODB_KEY_TYPES = ['S', 'N', 'B'] as const;

/** What an index holds besides its keys: everything, the keys only, or the keys and `nonKeyAttributes`. */
export const DYNAMODB_PROJECTION_TYPES = ['ALL', 'KEYS_ONLY', 'INCLUDE'] as const;
export type DynamoDbProjectionType = (typeof DYNAMODB_PROJECTION_TYPES)[number];

/** DynamoDB billing modes: on-demand, or provisioned capacity. */
export const DYNAMODB_BILLING_MODES = ['PAY_PER_REQUEST', 'PROVISIONED'] as const;
/** DynamoDB table classes. */
export const DYNAMODB_TABLE_CLASSES = ['STANDARD', 'STANDARD_INFREQUENT_ACCESS'] as const;
/** Target utilization Application Auto Scaling accepts for DynamoDB, in percent. */
export const DYNAMODB_TARGET_UTILIZATION = { min: 20, max: 90, default: 70 } as const;

/** Target-tracking autoscaling of a PROVISIONED table's capacity (and each global index's, with the same bounds). */
export interface TableAutoScalingProps {
  /** Fewest read capacity units, at least 1. */
  readonly readMinCapacity: number;
  /** Most read capacity units. */
  readonly readMaxCapacity: number;
  /** Fewest write capacity units, at least 1. */
  readonly writeMinCapacity: number;
  /** Most write capacity units. */
  readonly writeMaxCapacity: number;
  /**
   * Consumed-to-provisioned percentage to keep, 20 to 90.
   * @default 70
   */
  readonly targetUtilization?: number;
}

/** A global secondary index (its own partition key; billed like the table). */
export interface GlobalSecondaryIndexProps {
  /** Partition key attribute of the index (its type from `attributes`, else `S`). */
  readonly hashKey: string;
  /**
   * Sort key attribute of the index.
   * @default undefined: no sort key
   */
  readonly rangeKey?: string;
  /**
   * What the index holds besides its keys.
   * @default 'ALL'
   */
  readonly projectionType?: DynamoDbProjectionType;
  /**
   * Attributes an `INCLUDE` index holds besides its keys (only with `INCLUDE`).
   * @default undefined
   */
  readonly nonKeyAttributes?: string[];
  /**
   * Read capacity units of the index (required with the table's billingMode PROVISIONED, refused on demand).
   * @default undefined: on demand
   */
  readonly readCapacity?: number;
  /**
   * Write capacity units of the index (required with the table's billingMode PROVISIONED, refused on demand).
   * @default undefined: on demand
   */
  readonly writeCapacity?: number;
}

/** A local secondary index: the table's partition key with another sort key (needs a table with a sort key). */
export interface LocalSecondaryIndexProps {
  /** Sort key attribute of the index (its type from `attributes`, else `S`). */
  readonly rangeKey: string;
  /**
   * What the index holds besides its keys.
   * @default 'ALL'
   */
  readonly projectionType?: DynamoDbProjectionType;
  /**
   * Attributes an `INCLUDE` index holds besides its keys (only with `INCLUDE`).
   * @default undefined
   */
  readonly nonKeyAttributes?: string[];
}

/** Props of {@link DynamoDbTable}. */
export interface DynamoDbTableProps {
  /** Table name. */
  readonly tableName: string;
  /** Partition key attribute. */
  readonly hashKey: string;
  /**
   * Partition key type.
   * @default 'S'
   */
  readonly hashKeyType?: (typeof DYNAMODB_KEY_TYPES)[number];
  /**
   * Sort key attribute.
   * @default undefined: no sort key
   */
  readonly rangeKey?: string;
  /**
   * Sort key type (needs `rangeKey`).
   * @default 'S'
   */
  readonly rangeKeyType?: (typeof DYNAMODB_KEY_TYPES)[number];
  /**
   * Types of the indexes' key attributes, by name (`{ customerId: 'S', placedAt: 'N' }`).
   * @default {}: an index key not listed here is a string (`S`)
   */
  readonly attributes?: Record<string, (typeof DYNAMODB_KEY_TYPES)[number]>;
  /**
   * Global secondary indexes, by index name. Query and Scan grants already cover `<table arn>/index/*`.
   * @default {}
   */
  readonly globalSecondaryIndexes?: Record<string, GlobalSecondaryIndexProps>;
  /**
   * Local secondary indexes, by index name (the table needs `rangeKey`).
   * @default {}
   */
  readonly localSecondaryIndexes?: Record<string, LocalSecondaryIndexProps>;
  /**
   * On-demand, or PROVISIONED capacity (`readCapacity`, `writeCapacity`, optional `autoScaling`).
   * @default 'PAY_PER_REQUEST'
   */
  readonly billingMode?: (typeof DYNAMODB_BILLING_MODES)[number];
  /**
   * Read capacity units (required with PROVISIONED, refused on demand).
   * @default undefined: on demand
   */
  readonly readCapacity?: number;
  /**
   * Write capacity units (required with PROVISIONED, refused on demand).
   * @default undefined: on demand
   */
  readonly writeCapacity?: number;
  /**
   * Target-tracking autoscaling of the table's and its global indexes' capacity (PROVISIONED only); Terraform then leaves capacity to Application Auto Scaling.
   * @default undefined: the capacity stays as given
   */
  readonly autoScaling?: TableAutoScalingProps;
  /**
   * Storage class: STANDARD, or STANDARD_INFREQUENT_ACCESS (cheaper storage, dearer requests).
   * @default 'STANDARD'
   */
  readonly tableClass?: (typeof DYNAMODB_TABLE_CLASSES)[number];
  /**
   * Turns the table's stream on with this view of each changed item.
   * @default undefined: no stream
   */
  readonly streamViewType?: (typeof DYNAMODB_STREAM_VIEW_TYPES)[number];
  /**
   * Attribute holding each item's expiry time (epoch seconds).
   * @default undefined: no TTL
   */
  readonly ttlAttribute?: string;
  /**
   * Refuse deletion (data outlives stacks).
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Point-in-time recovery (35 days of restores).
   * @default true
   */
  readonly pointInTimeRecovery?: boolean;
  /**
   * Customer-managed KMS key for encryption at rest.
   * @default undefined: the AWS managed key aws/dynamodb (in your KMS and CloudTrail)
   */
  readonly kmsKeyArn?: string;
  /**
   * Name of the environment variable a grant sets to the table's name.
   * @default `<ID>_TABLE` from the construct id (`orders` -> `ORDERS_TABLE`)
   */
  readonly environmentVariable?: string;
  /**
   * Tags besides `Name`.
   * @default {}
   */
  readonly tags?: Record<string, string>;
}

/**
 * A DynamoDB table: on-demand billing, encrypted, point-in-time recovery and deletion
 * protection on: the settings a security review asks for first. `DynamoDbTable.fromTableArn`
 * imports one made elsewhere, to grant functions access to it.
 */
export class DynamoDbTable extends TableBase {
  /** Imports a table by ARN; its name comes from the ARN. */
  static fromTableArn(scope: Construct, id: string, tableArn: string, options: { environmentVariable?: string } = {}): ITable {
    checkProps(`tables.${id}`, options, 'fromTableArn options', { environmentVariable: 'optional' });
    return new ImportedTable(scope, id, tableArn, options.environmentVariable);
  }

  public readonly tableName: string;
  public readonly tableArn: string;
  public readonly environmentVariable: string;
  /** ARN of the table's stream (for an event source mapping), or undefined without `streamViewType`. */
  public readonly tableStreamArn?: string;
  public readonly indexNames: readonly string[];

  constructor(scope: Construct, id: string, props: DynamoDbTableProps) {
    super(scope, id);
    checkFramework(this, 'DynamoDbTable');
    validateTableProps(id, props);
    const gsis = Object.entries(props.globalSecondaryIndexes ?? {});
    const lsis = Object.entries(props.localSecondaryIndexes ?? {});
    // Every key attribute once (DynamoDB refuses a definition no key uses), the table's first.
    const keyNames = [props.hashKey, props.rangeKey, ...gsis.flatMap(([, i]) => [i.hashKey, i.rangeKey]), ...lsis.map(([, i]) => i.rangeKey)].filter((n): n is string => !!n);
    const typeOf = (name: string) => props.attributes?.[name] ?? (name === props.hashKey ? props.hashKeyType : name === props.rangeKey ? props.rangeKeyType : undefined) ?? 'S';
    const attribute = [...new Set(keyNames)].map((name) => ({ name, type: typeOf(name) }));
    const projection = (i: { projectionType?: DynamoDbProjectionType; nonKeyAttributes?: string[] }) => ({ projectionType: i.projectionType ?? 'ALL', nonKeyAttributes: i.nonKeyAttributes });
    const scaling = props.autoScaling;
    const table = new DynamodbTable(this, 'table', {
      name: props.tableName,
      billingMode: props.billingMode ?? 'PAY_PER_REQUEST',
      readCapacity: props.readCapacity,
      writeCapacity: props.writeCapacity,
      tableClass: props.tableClass,
      hashKey: props.hashKey,
      rangeKey: props.rangeKey,
      attribute,
      globalSecondaryIndex:
        gsis.length > 0 ? gsis.map(([name, i]) => ({ name, hashKey: i.hashKey, rangeKey: i.rangeKey, ...projection(i), readCapacity: i.readCapacity, writeCapacity: i.writeCapacity })) : undefined,
      localSecondaryIndex: lsis.length > 0 ? lsis.map(([name, i]) => ({ name, rangeKey: i.rangeKey, ...projection(i) })) : undefined,
      streamEnabled: props.streamViewType ? true : undefined,
      streamViewType: props.streamViewType,
      ttl: props.ttlAttribute ? { enabled: true, attributeName: props.ttlAttribute } : undefined,
      pointInTimeRecovery: { enabled: props.pointInTimeRecovery ?? true },
      serverSideEncryption: props.kmsKeyArn ? { enabled: true, kmsKeyArn: props.kmsKeyArn } : { enabled: true },
      deletionProtectionEnabled: props.deletionProtection ?? true,
      tags: tagsWithName(props.tags ?? {}, props.tableName),
      // Auto Scaling owns the capacity (the table's and its global indexes'): Terraform would reset it.
      lifecycle: scaling ? { ignoreChanges: ['read_capacity', 'write_capacity', 'global_secondary_index'] } : undefined,
    });
    if (props.kmsKeyArn === undefined || !isLiteral(props.kmsKeyArn)) suppressScannerRules(table, 'dynamoDbCustomerKey');
    if (scaling) {
      for (const index of [undefined, ...gsis.map(([name]) => name)]) {
        for (const direction of ['Read', 'Write'] as const) {
          const id = `${index ? `index_${index}_` : ''}${direction.toLowerCase()}`;
          const target = new AppautoscalingTarget(this, `${id}_capacity`, {
            serviceNamespace: 'dynamodb',
            resourceId: `table/${table.name}${index ? `/index/${index}` : ''}`,
            scalableDimension: `dynamodb:${index ? 'index' : 'table'}:${direction}CapacityUnits`,
            minCapacity: direction === 'Read' ? scaling.readMinCapacity : scaling.writeMinCapacity,
            maxCapacity: direction === 'Read' ? scaling.readMaxCapacity : scaling.writeMaxCapacity,
          });
          const metric = `DynamoDB${direction}CapacityUtilization`;
          new AppautoscalingPolicy(this, `${id}_capacity_policy`, {
            name: `${metric}:${target.resourceId}`,
            policyType: 'TargetTrackingScaling',
            resourceId: target.resourceId,
            scalableDimension: target.scalableDimension,
            serviceNamespace: target.serviceNamespace,
            targetTrackingScalingPolicyConfiguration: {
              predefinedMetricSpecification: { predefinedMetricType: metric },
              targetValue: scaling.targetUtilization ?? DYNAMODB_TARGET_UTILIZATION.default,
            },
          });
        }
      }
    }
    this.tableName = table.name;
    this.tableArn = table.arn;
    this.tableStreamArn = props.streamViewType ? table.streamArn : undefined;
    this.indexNames = [...gsis, ...lsis].map(([name]) => name);
    this.environmentVariable = props.environmentVariable ?? tableEnvironmentVariable(id);
  }
}

class ImportedTable extends TableBase {
  public readonly tableName: string;
  public readonly environmentVariable: string;

  constructor(
    scope: Construct,
    id: string,
    public readonly tableArn: string,
    environmentVariable?: string,
  ) {
    super(scope, id);
    checkFramework(this, 'DynamoDbTable.fromTableArn');
    const name = isLiteral(tableArn) ? tableNameOfArn(tableArn) : undefined;
    if (isLiteral(tableArn) && !name) {
      throw new ConfigError(`${id}.tableArn`, `"${tableArn}" is not a DynamoDB table ARN (arn:aws:dynamodb:<region>:<account>:table/<name>)`);
    }
    this.tableName = name ?? tableArn;
    this.environmentVariable = environmentVariable ?? tableEnvironmentVariable(name ?? id);
  }
}

/** Every prop of {@link DynamoDbTableProps}: unknown ones are refused (see checkProps). */
const DYNAMODB_TABLE_PROPS = {
  tableName: 'required',
  hashKey: 'required',
  hashKeyType: 'optional',
  rangeKey: 'optional',
  rangeKeyType: 'optional',
  attributes: 'optional',
  globalSecondaryIndexes: 'optional',
  localSecondaryIndexes: 'optional',
  billingMode: 'optional',
  readCapacity: 'optional',
  writeCapacity: 'optional',
  autoScaling: 'optional',
  tableClass: 'optional',
  streamViewType: 'optional',
  ttlAttribute: 'optional',
  deletionProtection: 'optional',
  pointInTimeRecovery: 'optional',
  kmsKeyArn: 'optional',
  environmentVariable: 'optional',
  tags: 'optional',
} as const satisfies PropSpec<DynamoDbTableProps>;

function validateTableProps(id: string, props: DynamoDbTableProps): void {
  checkProps(`tables.${id}`, props, 'DynamoDbTableProps', DYNAMODB_TABLE_PROPS, { hashKey: 'the partition key attribute, like "id"' });
  if (isLiteral(props.tableName) && !/^[A-Za-z0-9_.-]{3,255}$/.test(props.tableName)) {
    throw new ConfigError(`tables.${id}`, `table name "${props.tableName}" must be 3 to 255 letters, digits, '_', '-' or '.'`);
  }
  if (!props.hashKey) throw new ConfigError(`tables.${id}.hashKey`, 'is required');
  for (const [input, type] of [['hashKeyType', props.hashKeyType], ['rangeKeyType', props.rangeKeyType]] as const) {
    if (type !== undefined && isLiteral(type) && !(DYNAMODB_KEY_TYPES as readonly string[]).includes(type)) {
      throw new ConfigError(`tables.${id}.${input}`, `"${type}" is not a key type; allowed: ${DYNAMODB_KEY_TYPES.join(', ')}`);
    }
  }
  validateIndexes(id, props);
  validateBilling(id, props);
  if (props.streamViewType !== undefined && isLiteral(props.streamViewType) && !(DYNAMODB_STREAM_VIEW_TYPES as readonly string[]).includes(props.streamViewType)) {
    throw new ConfigError(`tables.${id}.streamViewType`, `"${props.streamViewType}" is not a stream view type; allowed: ${DYNAMODB_STREAM_VIEW_TYPES.join(', ')}`);
  }
  if (props.rangeKeyType !== undefined && !props.rangeKey) {
    throw new ConfigError(`tables.${id}.rangeKeyType`, 'is set without rangeKey');
  }
  checkKmsKeyArn(`tables.${id}.kmsKeyArn`, props.kmsKeyArn);
}

/** A capacity: a whole number of units, at least 1 (a token passes). */
const isCapacity = (n: number | undefined) => n !== undefined && (!isLiteral(n) || (Number.isInteger(n) && n >= 1));

/** Billing mode, capacities (the table's and each global index's), autoscaling and table class, each refused by its path. */
function validateBilling(id: string, props: DynamoDbTableProps): void {
  const at = (path: string) => `tables.${id}.${path}`;
  const mode = props.billingMode ?? 'PAY_PER_REQUEST';
  if (isLiteral(mode) && !(DYNAMODB_BILLING_MODES as readonly string[]).includes(mode)) throw new ConfigError(at('billingMode'), `"${mode}" is not a billing mode; allowed: ${DYNAMODB_BILLING_MODES.join(', ')}`);
  if (props.tableClass !== undefined && isLiteral(props.tableClass) && !(DYNAMODB_TABLE_CLASSES as readonly string[]).includes(props.tableClass)) {
    throw new ConfigError(at('tableClass'), `"${props.tableClass}" is not a table class; allowed: ${DYNAMODB_TABLE_CLASSES.join(', ')}`);
  }
  const provisioned = mode === 'PROVISIONED';
  const capacities = (path: string, x: { readCapacity?: number; writeCapacity?: number }) => {
    for (const key of ['readCapacity', 'writeCapacity'] as const) {
      const value = x[key];
      if (provisioned && !isCapacity(value)) {
        throw new ConfigError(at(`${path}${key}`), value === undefined ? 'is required with billingMode PROVISIONED (a whole number of units, at least 1)' : `${value} is not a whole number of units, at least 1`);
      }
      if (!provisioned && value !== undefined) throw new ConfigError(at(`${path}${key}`), 'is only for billingMode PROVISIONED; on demand has no capacity to set');
    }
  };
  capacities('', props);
  for (const [name, index] of Object.entries(props.globalSecondaryIndexes ?? {})) capacities(`globalSecondaryIndexes.${name}.`, index);
  const scaling = props.autoScaling;
  if (scaling === undefined) return;
  checkProps(at('autoScaling'), scaling, 'TableAutoScalingProps', AUTO_SCALING_PROPS);
  if (!provisioned) throw new ConfigError(at('autoScaling'), 'is only for billingMode PROVISIONED (on demand scales by itself)');
  for (const direction of ['read', 'write'] as const) {
    const min = scaling[`${direction}MinCapacity`];
    const max = scaling[`${direction}MaxCapacity`];
    if (isLiteral(min) && isLiteral(max) && !(isCapacity(min) && isCapacity(max) && min <= max)) {
      throw new ConfigError(at(`autoScaling.${direction}MinCapacity`), `${min} to ${max}: each min must be a whole number, at least 1 and at most its max`);
    }
  }
  const target = scaling.targetUtilization;
  if (target !== undefined && isLiteral(target) && !(target >= DYNAMODB_TARGET_UTILIZATION.min && target <= DYNAMODB_TARGET_UTILIZATION.max)) {
    throw new ConfigError(at('autoScaling.targetUtilization'), `${target} is outside ${DYNAMODB_TARGET_UTILIZATION.min} to ${DYNAMODB_TARGET_UTILIZATION.max} (percent)`);
  }
}

const AUTO_SCALING_PROPS = {
  readMinCapacity: 'required',
  readMaxCapacity: 'required',
  writeMinCapacity: 'required',
  writeMaxCapacity: 'required',
  targetUtilization: 'optional',
} as const satisfies PropSpec<TableAutoScalingProps>;

/** DynamoDB's index limits: 20 global (the default quota), 5 local. */
const MAX_GLOBAL_INDEXES = 20;
const MAX_LOCAL_INDEXES = 5;

/** Index names, key attributes, projections and the attribute types they use, each refused by its path. */
function validateIndexes(id: string, props: DynamoDbTableProps): void {
  const at = (path: string) => `tables.${id}.${path}`;
  for (const [name, type] of Object.entries(props.attributes ?? {})) {
    if (isLiteral(type) && !(DYNAMODB_KEY_TYPES as readonly string[]).includes(type)) throw new ConfigError(at(`attributes.${name}`), `"${type}" is not a key type; allowed: ${DYNAMODB_KEY_TYPES.join(', ')}`);
  }
  for (const [key, given] of [[props.hashKey, props.hashKeyType], [props.rangeKey, props.rangeKeyType]] as const) {
    const listed = key ? props.attributes?.[key] : undefined;
    if (key && listed && given && listed !== given) throw new ConfigError(at(`attributes.${key}`), `is ${listed}, but the table's key type says ${given}`);
  }
  const gsis = Object.entries(props.globalSecondaryIndexes ?? {});
  const lsis = Object.entries(props.localSecondaryIndexes ?? {});
  if (gsis.length > MAX_GLOBAL_INDEXES) throw new ConfigError(at('globalSecondaryIndexes'), `has ${gsis.length} indexes; DynamoDB allows ${MAX_GLOBAL_INDEXES}`);
  if (lsis.length > MAX_LOCAL_INDEXES) throw new ConfigError(at('localSecondaryIndexes'), `has ${lsis.length} indexes; DynamoDB allows ${MAX_LOCAL_INDEXES}`);
  if (lsis.length > 0 && !props.rangeKey) throw new ConfigError(at('localSecondaryIndexes'), 'needs the table to have a rangeKey (a local index shares the partition key and replaces the sort key)');
  const names = new Set<string>();
  for (const [kind, entries] of [['globalSecondaryIndexes', gsis], ['localSecondaryIndexes', lsis]] as const) {
    for (const [name, index] of entries as Array<[string, GlobalSecondaryIndexProps & LocalSecondaryIndexProps]>) {
      const path = `${kind}.${name}`;
      if (kind === 'globalSecondaryIndexes') checkProps(at(path), index as GlobalSecondaryIndexProps, 'GlobalSecondaryIndexProps', GSI_PROPS);
      else checkProps(at(path), index as LocalSecondaryIndexProps, 'LocalSecondaryIndexProps', LSI_PROPS);
      if (!/^[A-Za-z0-9_.-]{3,255}$/.test(name)) throw new ConfigError(at(path), 'an index name must be 3 to 255 letters, digits, \'_\', \'-\' or \'.\'');
      if (names.has(name)) throw new ConfigError(at(path), 'names an index the table already has');
      names.add(name);
      if (kind === 'globalSecondaryIndexes' && !index.hashKey) throw new ConfigError(at(`${path}.hashKey`), 'is required');
      if (kind === 'localSecondaryIndexes' && !index.rangeKey) throw new ConfigError(at(`${path}.rangeKey`), 'is required');
      if (kind === 'localSecondaryIndexes' && index.rangeKey === props.rangeKey) throw new ConfigError(at(`${path}.rangeKey`), `is the table's own sort key "${props.rangeKey}"; a local index needs another one`);
      const projection = index.projectionType ?? 'ALL';
      if (isLiteral(projection) && !(DYNAMODB_PROJECTION_TYPES as readonly string[]).includes(projection)) throw new ConfigError(at(`${path}.projectionType`), `"${projection}" is not a projection; allowed: ${DYNAMODB_PROJECTION_TYPES.join(', ')}`);
      const included = index.nonKeyAttributes ?? [];
      if (projection === 'INCLUDE' && included.length === 0) throw new ConfigError(at(`${path}.nonKeyAttributes`), 'is required with projectionType INCLUDE (the attributes the index holds besides its keys)');
      if (projection !== 'INCLUDE' && included.length > 0) throw new ConfigError(at(`${path}.nonKeyAttributes`), `is only for projectionType INCLUDE; ${projection} ${projection === 'ALL' ? 'holds every attribute' : 'holds the keys only'}`);
    }
  }
}

const GSI_PROPS = {
  hashKey: 'required',
  rangeKey: 'optional',
  projectionType: 'optional',
  nonKeyAttributes: 'optional',
  readCapacity: 'optional',
  writeCapacity: 'optional',
} as const satisfies PropSpec<GlobalSecondaryIndexProps>;
const LSI_PROPS = { rangeKey: 'required', projectionType: 'optional', nonKeyAttributes: 'optional' } as const satisfies PropSpec<LocalSecondaryIndexProps>;
