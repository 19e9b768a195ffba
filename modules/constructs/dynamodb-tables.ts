import { Construct } from 'constructs';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { ConfigError } from '../private/config-error';
import { PolicyStatement } from '../private/iam-statements';
import { choose, countWhen, counted, countedOne, isLiteral, tagsWithName } from '../private/tokens';

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

/** Something whose role can be granted IAM statements: a function. */
export interface IGrantable {
  /** Adds a statement to the grantee's own policy. */
  addToRolePolicy(statement: PolicyStatement): void;
  /** Sets an environment variable of the grantee. */
  addEnvironment(name: string, value: string): void;
}

/** A table, created here or existing, that functions can be granted access to. */
export class TableRef {
  constructor(
    /** Table name. */
    public readonly tableName: string,
    /** Table ARN. */
    public readonly tableArn: string,
    /** Name of the environment variable that carries the table name to functions. */
    private readonly environmentVariable: string,
  ) {}

  /** Allows exactly these actions on this table (not its indexes) and tells the function the table's name. */
  grant(grantee: IGrantable, actions: DynamoDbAction[]): void {
    const unknown = actions.filter((a) => !(DYNAMODB_DATA_ACTIONS as readonly string[]).includes(a));
    if (unknown.length > 0 || actions.length === 0) {
      throw new ConfigError(
        'grant.actions',
        `${unknown.length ? unknown.join(', ') : '(none)'}: name DynamoDB actions from ${DYNAMODB_DATA_ACTIONS.join(', ')}`,
      );
    }
    grantee.addToRolePolicy({ Effect: 'Allow', Action: [...actions], Resource: [this.tableArn] });
    grantee.addEnvironment(this.environmentVariable, this.tableName);
  }
}

/** An existing table, by name and ARN. */
export interface ExistingTable {
  /** Table name. */
  readonly name: string;
  /** Table ARN (`arn:aws:dynamodb:<region>:<account>:table/<name>`). */
  readonly arn: string;
}

/** Props of {@link DynamoDbTables}. */
export interface DynamoDbTablesProps {
  /** Prefix of the table names: `<prefix>-products`, `<prefix>-user-activity`. */
  readonly namePrefix: string;
  /**
   * Create the tables; false uses `existing` instead. May be a Terraform expression.
   * @default true
   */
  readonly create?: boolean;
  /**
   * Existing tables to use when `create` is false.
   * @default undefined
   */
  readonly existing?: { readonly products: ExistingTable; readonly userActivity: ExistingTable };
  /**
   * Refuse `terraform destroy` of the tables (data outlives stacks).
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Tags besides `Name`.
   * @default {}
   */
  readonly tags?: Record<string, string>;
}

/**
 * The system's two tables: `products` (partition key `id`) and `user-activity`
 * (`userId`, sort key `timestamp`). On-demand, point-in-time recovery and server-side
 * encryption on: the settings a security review asks for first.
 */
export class DynamoDbTables extends Construct {
  public readonly products: TableRef;
  public readonly userActivity: TableRef;

  constructor(scope: Construct, id: string, props: DynamoDbTablesProps) {
    super(scope, id);
    const create = props.create ?? true;
    if (create === false && !props.existing) {
      throw new ConfigError('tables.existing', 'is required when tables.create is false: give the name and ARN of both tables');
    }
    if (props.existing) {
      for (const [key, table] of Object.entries(props.existing)) {
        if (isLiteral(table.arn) && !/^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/[A-Za-z0-9_.-]{3,255}$/.test(table.arn)) {
          throw new ConfigError(`tables.existing.${key}.arn`, `"${table.arn}" is not a DynamoDB table ARN (arn:aws:dynamodb:<region>:<account>:table/<name>)`);
        }
      }
    }
    const tags = props.tags ?? {};
    const make = (tableId: string, name: string, hashKey: string, rangeKey?: string) => {
      if (create === false) return undefined;
      return new DynamodbTable(this, tableId, {
        count: countWhen(create),
        name,
        billingMode: 'PAY_PER_REQUEST',
        hashKey,
        rangeKey,
        attribute: [{ name: hashKey, type: 'S' }, ...(rangeKey ? [{ name: rangeKey, type: 'S' }] : [])],
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true },
        deletionProtectionEnabled: props.deletionProtection ?? true,
        tags: tagsWithName(tags, name),
      });
    };
    const ref = (table: DynamodbTable | undefined, existing: ExistingTable | undefined, env: string): TableRef => {
      if (!table) return new TableRef(existing!.name, existing!.arn, env);
      if (!existing) return new TableRef(counted(table, '[0].name'), counted(table, '[0].arn'), env);
      return new TableRef(choose(create, countedOne(table, 'name'), existing.name), choose(create, countedOne(table, 'arn'), existing.arn), env);
    };
    this.products = ref(make('products', `${props.namePrefix}-products`, 'id'), props.existing?.products, 'PRODUCTS_TABLE');
    this.userActivity = ref(
      make('user_activity', `${props.namePrefix}-user-activity`, 'userId', 'timestamp'),
      props.existing?.userActivity,
      'USER_ACTIVITY_TABLE',
    );
  }
}
