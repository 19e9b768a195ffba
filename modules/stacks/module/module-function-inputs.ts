import { Fn, TerraformLocal, TerraformVariable, Token } from 'cdktf';
import { Construct } from 'constructs';
import { declareVariable, oneOf, onlyWhen } from './variable-validations';
import { LOG_RETENTION_DAYS } from '../../private/log-retention';
import { asBoolean } from '../../private/tokens';
import { LAMBDA_ARCHITECTURES, LAMBDA_MEMORY_MB, LAMBDA_TIMEOUT_S } from '../../constructs/vpc-function';
import { ExistingDatabaseProps } from '../../constructs/postgres-database';
import { ExistingTable } from '../../constructs/dynamodb-tables';

/** Endpoint policy choices the module offers. */
export const MODULE_ENDPOINT_POLICIES = ['system-tables', 'open'] as const;

const TABLE_ARN = '^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:[0-9]{12}:table/[A-Za-z0-9_.-]{3,255}$';
const SECURITY_GROUP_ID = '^sg-[0-9a-f]{8}([0-9a-f]{9})?$';

/**
 * The published module's inputs for the functions, their tables, the endpoint policy and
 * the database: one variable per choice, each with a description, a type, a default and a
 * `validation` that rejects at plan what the constructs reject at synth (Lambda's memory and
 * timeout limits, CloudWatch's retention values, ARN and id shapes).
 */
export class ModuleFunctionInputs extends Construct {
  public readonly memorySize: number;
  public readonly timeout: number;
  public readonly architecture: (typeof LAMBDA_ARCHITECTURES)[number];
  public readonly reservedConcurrency: number;
  public readonly logRetentionDays: number;
  public readonly allowInternetEgress: boolean;
  public readonly createTables: boolean;
  public readonly existingTables: { products: ExistingTable; userActivity: ExistingTable };
  public readonly tableDeletionProtection: boolean;
  public readonly endpointPolicy: string;
  public readonly databaseEnabled: boolean;
  public readonly useExistingDatabase: boolean;
  public readonly existingDatabase: ExistingDatabaseProps;
  public readonly databaseInstanceClass: string;
  public readonly databaseDeletionProtection: boolean;
  /** Every declared variable, by name, for docs and tests. */
  public readonly variables: Map<string, TerraformVariable> = new Map();

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const v = (name: string, config: ConstructorParameters<typeof TerraformVariable>[2]) => declareVariable(scope, this.variables, name, config);
    const wholeNumberIn = (name: string, min: number, max: number) => `\${floor(var.${name}) == var.${name} && var.${name} >= ${min} && var.${name} <= ${max}}`;
    // A field of an object variable that may be null, as a named local: a plain reference
    // keeps policy documents that embed it parseable JSON before Terraform interpolates them.
    const field = (variable: TerraformVariable, path: string[]) =>
      new TerraformLocal(scope, [variable.friendlyUniqueId, ...path].join('_'), Fn.try([Fn.lookupNested(variable.value, path), ''])).asString;

    this.memorySize = v('function_memory_size', {
      type: 'number',
      default: 256,
      description: `Memory of each function in MB, ${LAMBDA_MEMORY_MB.min} to ${LAMBDA_MEMORY_MB.max} (CPU scales with it).`,
      validation: [
        {
          condition: wholeNumberIn('function_memory_size', LAMBDA_MEMORY_MB.min, LAMBDA_MEMORY_MB.max),
          errorMessage: `function_memory_size must be a whole number of MB from ${LAMBDA_MEMORY_MB.min} to ${LAMBDA_MEMORY_MB.max}.`,
        },
      ],
    }).numberValue;

    this.timeout = v('function_timeout', {
      type: 'number',
      default: 30,
      description: `Timeout of each function in seconds, ${LAMBDA_TIMEOUT_S.min} to ${LAMBDA_TIMEOUT_S.max}.`,
      validation: [
        {
          condition: wholeNumberIn('function_timeout', LAMBDA_TIMEOUT_S.min, LAMBDA_TIMEOUT_S.max),
          errorMessage: `function_timeout must be a whole number of seconds from ${LAMBDA_TIMEOUT_S.min} to ${LAMBDA_TIMEOUT_S.max}.`,
        },
      ],
    }).numberValue;

    this.architecture = v('function_architecture', {
      type: 'string',
      default: 'arm64',
      description: `Instruction set of the functions: ${LAMBDA_ARCHITECTURES.join(' or ')} (arm64 costs about 20% less per GB-second).`,
      validation: [
        oneOf('function_architecture', LAMBDA_ARCHITECTURES),
      ],
    }).stringValue as (typeof LAMBDA_ARCHITECTURES)[number];

    this.reservedConcurrency = v('function_reserved_concurrency', {
      type: 'number',
      default: Token.nullValue(),
      nullable: true,
      description: 'Reserved concurrency of each function; it also caps user-activity\'s PostgreSQL connections. null leaves it unreserved.',
      validation: [
        {
          condition: onlyWhen('var.function_reserved_concurrency != null', 'floor(var.function_reserved_concurrency) == var.function_reserved_concurrency && var.function_reserved_concurrency >= 0'),
          errorMessage: 'function_reserved_concurrency must be null or a whole number from 0.',
        },
      ],
    }).numberValue;

    this.logRetentionDays = v('function_log_retention_days', {
      type: 'number',
      default: 30,
      description: 'Days CloudWatch keeps each function\'s logs; one of the retention values CloudWatch accepts.',
      validation: [
        oneOf('function_log_retention_days', LOG_RETENTION_DAYS),
      ],
    }).numberValue;

    this.allowInternetEgress = asBoolean(
      v('function_allow_internet_egress', {
        type: 'bool',
        default: false,
        description: 'Let the functions reach the internet on 443 through NAT. DynamoDB never needs it.',
        validation: [
          {
            condition: '${!var.function_allow_internet_egress || var.nat_mode != "none"}',
            errorMessage: 'function_allow_internet_egress needs nat_mode single or per-az: without NAT there is no internet path to allow.',
          },
        ],
      }).booleanValue,
    );

    this.createTables = asBoolean(
      v('create_tables', {
        type: 'bool',
        default: true,
        description: 'Create the products and user-activity tables; false uses existing_tables.',
      }).booleanValue,
    );

    const existingTables = v('existing_tables', {
      type: 'object({ products = object({ name = string, arn = string }), user_activity = object({ name = string, arn = string }) })',
      default: Token.nullValue(),
      nullable: true,
      description: 'Tables to use when create_tables is false: the name and ARN of each.',
      validation: [
        {
          condition: '${var.create_tables || var.existing_tables != null}',
          errorMessage: 'existing_tables must give both tables\' name and ARN when create_tables is false.',
        },
        {
          condition: onlyWhen('var.existing_tables != null', `alltrue([for t in [var.existing_tables.products, var.existing_tables.user_activity] : can(regex("${TABLE_ARN}", t.arn))])`),
          errorMessage: 'existing_tables ARNs must be DynamoDB table ARNs (arn:aws:dynamodb:<region>:<account>:table/<name>).',
        },
      ],
    });
    this.existingTables = {
      products: { name: field(existingTables, ['products', 'name']), arn: field(existingTables, ['products', 'arn']) },
      userActivity: { name: field(existingTables, ['user_activity', 'name']), arn: field(existingTables, ['user_activity', 'arn']) },
    };

    this.tableDeletionProtection = asBoolean(
      v('table_deletion_protection', {
        type: 'bool',
        default: true,
        description: 'Deletion protection on the created tables: data outlives stacks.',
      }).booleanValue,
    );

    this.endpointPolicy = v('endpoint_policy', {
      type: 'string',
      default: 'system-tables',
      description: 'DynamoDB endpoint policy: system-tables allows only the functions\' actions on their tables; open keeps AWS\'s default (IAM still limits).',
      validation: [
        oneOf('endpoint_policy', MODULE_ENDPOINT_POLICIES),
      ],
    }).stringValue;

    this.databaseEnabled = asBoolean(
      v('database_enabled', {
        type: 'bool',
        default: true,
        description: 'Give user-activity a PostgreSQL: a private RDS instance created here, or existing_database when set.',
      }).booleanValue,
    );

    const existingDatabase = v('existing_database', {
      type: 'object({ security_group_id = string, host = string, port = optional(number, 5432), database_name = string, resource_id = string, instance_arn = string })',
      default: Token.nullValue(),
      nullable: true,
      description: 'Wire this database instead of creating one: 5432 is opened from the function into its security group; IAM authentication needs its resource id and ARN.',
      validation: [
        {
          condition: onlyWhen('var.existing_database != null', `can(regex("${SECURITY_GROUP_ID}", var.existing_database.security_group_id))`),
          errorMessage: 'existing_database.security_group_id must be a security group id like sg-0123456789abcdef0.',
        },
        {
          condition: onlyWhen('var.existing_database != null', 'can(regex("^db-[A-Z0-9]+$", var.existing_database.resource_id)) && can(regex("^arn:aws[a-z-]*:rds:", var.existing_database.instance_arn))'),
          errorMessage: 'existing_database needs resource_id (db-...) and instance_arn (arn:aws:rds:...) for IAM authentication.',
        },
        {
          condition: '${var.existing_database == null || var.database_enabled}',
          errorMessage: 'existing_database is set but database_enabled is false; set database_enabled = true to wire it.',
        },
      ],
    });
    // A named local keeps the expression atomic wherever CDKTF splices it into a conditional.
    this.useExistingDatabase = asBoolean(new TerraformLocal(scope, 'use_existing_database', '${var.existing_database != null}').asBoolean);
    this.existingDatabase = {
      securityGroupId: field(existingDatabase, ['security_group_id']),
      host: field(existingDatabase, ['host']),
      port: new TerraformLocal(scope, 'existing_database_port', Fn.try([Fn.lookupNested(existingDatabase.value, ['port']), 5432])).asNumber,
      databaseName: field(existingDatabase, ['database_name']),
      resourceId: field(existingDatabase, ['resource_id']),
      instanceArn: field(existingDatabase, ['instance_arn']),
    };

    this.databaseInstanceClass = v('database_instance_class', {
      type: 'string',
      default: 'db.t4g.micro',
      description: 'Instance class of the created PostgreSQL instance.',
      validation: [
        {
          condition: '${can(regex("^db\\\\.[a-z0-9]+\\\\.[a-z0-9]+$", var.database_instance_class))}',
          errorMessage: 'database_instance_class must be an RDS instance class like db.t4g.micro.',
        },
      ],
    }).stringValue;

    this.databaseDeletionProtection = asBoolean(
      v('database_deletion_protection', {
        type: 'bool',
        default: true,
        description: 'Deletion protection on the created instance (a final snapshot is taken when it is off and the instance deleted).',
      }).booleanValue,
    );
  }
}
