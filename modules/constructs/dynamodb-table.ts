import { Construct } from 'constructs';
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
  /** Allows `actions` on a table (and its indexes where an action needs them). */
  addTableAccess(tableArn: string, actions: string[]): void;
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
  /** Allows exactly these actions on this table and tells the function the table's name. */
  grant(grantee: IGrantable, actions: DynamoDbAction[]): void;
  /** Allows reading items, queries and scans (indexes included). */
  grantReadData(grantee: IGrantable): void;
  /** Allows writing and deleting items. */
  grantWriteData(grantee: IGrantable): void;
  /** Both. */
  grantReadWriteData(grantee: IGrantable): void;
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

  grant(grantee: IGrantable, actions: DynamoDbAction[]): void {
    checkTableActions(`${this.node.id}.grant`, actions);
    grantee.addTableAccess(this.tableArn, [...actions]);
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

/** Key attribute types DynamoDB accepts: string, number, binary. */
export const DYNAMODB_KEY_TYPES = ['S', 'N', 'B'] as const;

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

  constructor(scope: Construct, id: string, props: DynamoDbTableProps) {
    super(scope, id);
    checkFramework(this, 'DynamoDbTable');
    validateTableProps(id, props);
    const attribute = [{ name: props.hashKey, type: props.hashKeyType ?? 'S' }, ...(props.rangeKey ? [{ name: props.rangeKey, type: props.rangeKeyType ?? 'S' }] : [])];
    const table = new DynamodbTable(this, 'table', {
      name: props.tableName,
      billingMode: 'PAY_PER_REQUEST',
      hashKey: props.hashKey,
      rangeKey: props.rangeKey,
      attribute,
      ttl: props.ttlAttribute ? { enabled: true, attributeName: props.ttlAttribute } : undefined,
      pointInTimeRecovery: { enabled: props.pointInTimeRecovery ?? true },
      serverSideEncryption: props.kmsKeyArn ? { enabled: true, kmsKeyArn: props.kmsKeyArn } : { enabled: true },
      deletionProtectionEnabled: props.deletionProtection ?? true,
      tags: tagsWithName(props.tags ?? {}, props.tableName),
    });
    if (props.kmsKeyArn === undefined || !isLiteral(props.kmsKeyArn)) suppressScannerRules(table, 'dynamoDbCustomerKey');
    this.tableName = table.name;
    this.tableArn = table.arn;
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
  if (props.rangeKeyType !== undefined && !props.rangeKey) {
    throw new ConfigError(`tables.${id}.rangeKeyType`, 'is set without rangeKey');
  }
  checkKmsKeyArn(`tables.${id}.kmsKeyArn`, props.kmsKeyArn);
}
