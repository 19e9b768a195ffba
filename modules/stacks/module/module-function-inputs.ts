import { Fn, TerraformLocal, TerraformVariable, TerraformVariableValidationConfig, Token } from 'cdktf';
import { Construct } from 'constructs';
import { declareVariable, oneOf, onlyWhen } from './variable-validations';
import { LOG_RETENTION_DAYS } from '../../private/log-retention';
import { asBoolean } from '../../private/tokens';
import { LAMBDA_ARCHITECTURES, LAMBDA_MEMORY_MB, LAMBDA_RUNTIMES, LAMBDA_TIMEOUT_S } from '../../constructs/vpc-function';
import { LAMBDA_APPLICATION_LOG_LEVELS, LAMBDA_ASYNC_RETRIES, LAMBDA_SYSTEM_LOG_LEVELS, LAMBDA_TRACING_MODES } from '../../constructs/vpc-function';
import { DYNAMODB_DATA_ACTIONS } from '../../constructs/dynamodb-table';
import { VPC_FUNCTION_DEFAULTS } from '../../constructs/vpc-function-shape';
import { ExistingDatabaseProps, RDS_MONITORING_INTERVALS } from '../../constructs/postgres-database';

/** Endpoint policy choices the module offers. */
export const MODULE_ENDPOINT_POLICIES = ['system-tables', 'open'] as const;

/** A DynamoDB table ARN, as a `table_access` key naming a table made elsewhere. */
export const TABLE_ARN_PATTERN = '^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:[0-9]{12}:table/[A-Za-z0-9_.-]{3,255}$';
/** What a `functions` or `tables` key may be: it is part of resource names. */
export const MODULE_KEY_PATTERN = '^[a-z][a-z0-9-]{0,31}$';
/** The rule behind {@link MODULE_KEY_PATTERN}, in words, for messages. */
export const MODULE_KEY_RULE = '1 to 32 lowercase letters, digits and hyphens, starting with a letter';
/** IAM's limit on role names; a function's role is `<name_prefix>-<key>-role`. */
export const MAX_FUNCTION_NAME = 64 - '-role'.length;
/** The database user IAM authentication connects as (created once in the database). */
export const MODULE_DB_USER = 'app_lambda';
/** DynamoDB attribute types a key may have. */
export const KEY_ATTRIBUTE_TYPES = ['S', 'N', 'B'] as const;
/** DynamoDB stream view types. */
export const STREAM_VIEW_TYPES = ['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES'] as const;
/** Environment variable names refused: credentials come from IAM, never from the environment. */
export const CREDENTIAL_NAME_PATTERN = '(?i)(PASSWORD|SECRET|TOKEN)';

/** The `tables` variable's type. */
export const TABLES_TYPE =
  'map(object({ hash_key = string, hash_key_type = optional(string, "S"), range_key = optional(string), range_key_type = optional(string), ' +
  'attributes = optional(map(string), {}), ' +
  'global_secondary_indexes = optional(map(object({ hash_key = string, range_key = optional(string), projection_type = optional(string, "ALL"), non_key_attributes = optional(list(string)) })), {}), ' +
  'local_secondary_indexes = optional(map(object({ range_key = string, projection_type = optional(string, "ALL"), non_key_attributes = optional(list(string)) })), {}), ' +
  'ttl_attribute = optional(string), deletion_protection = optional(bool, true), point_in_time_recovery = optional(bool, true), kms_key_arn = optional(string), stream_view_type = optional(string) }))';
/** DynamoDB index projections. */
export const PROJECTION_TYPES = ['ALL', 'KEYS_ONLY', 'INCLUDE'] as const;

/** A function's defaults are VpcFunction's: both envelopes build functions from one description. */
const DEFAULTS = VPC_FUNCTION_DEFAULTS;

/** The `functions` fields of Lambda's logging and asynchronous-failure controls (logging_config, event invoke config). */
const FAILURE_AND_LOGGING_FIELDS = `application_log_level = optional(string, "${DEFAULTS.applicationLogLevel}"), system_log_level = optional(string, "${DEFAULTS.systemLogLevel}"), failure_queue_enabled = optional(bool, false), on_failure_destination_arn = optional(string), maximum_retry_attempts = optional(number, 2), tracing_mode = optional(string, "${DEFAULTS.tracing}")`;

/** The `functions` variable's type. */
export const FUNCTIONS_TYPE = `map(object({ filename = optional(string), s3_bucket = optional(string), s3_key = optional(string), s3_object_version = optional(string), source_code_hash = optional(string), handler = string, runtime = optional(string, "${DEFAULTS.runtime}"), architecture = optional(string, "${DEFAULTS.architecture}"), memory_size = optional(number, ${DEFAULTS.memorySize}), timeout = optional(number, ${DEFAULTS.timeout}), description = optional(string), environment = optional(map(string), {}), reserved_concurrency = optional(number), log_retention_days = optional(number, ${DEFAULTS.logRetentionInDays}), table_access = optional(map(list(string)), {}), database_access = optional(bool, false), internet_egress = optional(bool, false), ${FAILURE_AND_LOGGING_FIELDS} }))`;

const hclList = (values: readonly (string | number)[]) => JSON.stringify(values);

/** One rule over the entries `k => f` of a map variable: its name, what must hold (HCL, may fail: then it does not), the message. */
type EntryRule = readonly [id: string, holds: string, message: string];

/**
 * Validations of the entries of `var.<name>`, in the given order (the rejected-inputs table and
 * the generated tests list them so): each rule holds for every entry, and the message has one
 * line per entry that breaks it (each naming the entry, so it names every bad function and key).
 * Written inline, not as a local of verdicts: in a module call a local built from `var.<name>`
 * waits for its validations, so a validation reading it would be a cycle.
 */
function entryValidations(name: string, items: ReadonlyArray<EntryRule | TerraformVariableValidationConfig>): TerraformVariableValidationConfig[] {
  return items.map((item) => {
    if (!Array.isArray(item)) return item as TerraformVariableValidationConfig;
    const [, holds, message] = item as EntryRule;
    return nestedValidation((x) => `[for k, f in var.${name} : ${x}]`, `try(${holds}, false)`, message);
  });
}

/**
 * A validation over nested entries: `each` is a `for` over `var.functions` yielding, per nested
 * entry, `holds` (the predicate) or `message`; `fill(x)` puts either in. Valid when every
 * predicate holds; the message lists each entry where one does not.
 */
function nestedValidation(fill: (item: string) => string, holds: string, message: string): TerraformVariableValidationConfig {
  return { condition: `\${alltrue(${fill(holds)})}`, errorMessage: `\${join("; ", ${fill(`"${message}" if !(${holds})`)})}` };
}

/** Per index `n => i` of `kind` of every table `k => f`. */
function perIndex(kind: 'global_secondary_indexes' | 'local_secondary_indexes', holds: string, message: string): TerraformVariableValidationConfig {
  return nestedValidation((item) => `flatten([for k, f in var.tables : [for n, i in f.${kind} : ${item}]])`, `try(${holds}, false)`, message);
}

/** The rules every index of `tables` follows: name, projection and its attributes, and a local index's own sort key. */
function indexValidations(): TerraformVariableValidationConfig[] {
  return (['global_secondary_indexes', 'local_secondary_indexes'] as const).flatMap((kind) => [
    perIndex(kind, 'can(regex("^[A-Za-z0-9_.-]{3,255}$", n))', `tables.\${k}.${kind}.\${n}: an index name must be 3 to 255 letters, digits, '_', '-' or '.'`),
    perIndex(kind, `can(regex("^(${PROJECTION_TYPES.join('|')})$", i.projection_type))`, `tables.\${k}.${kind}.\${n}: projection_type must be one of ${PROJECTION_TYPES.join(', ')}`),
    perIndex(
      kind,
      '(i.projection_type == "INCLUDE") == (length(coalesce(i.non_key_attributes, [])) > 0)',
      `tables.\${k}.${kind}.\${n}: non_key_attributes go with projection_type INCLUDE, and only with it`,
    ),
    ...(kind === 'local_secondary_indexes'
      ? [perIndex(kind, 'i.range_key != f.range_key', `tables.\${k}.${kind}.\${n}: range_key is the table's own sort key; a local index needs another one`)]
      : []),
  ]);
}

/** Per `table_access` entry `t => actions` of every function `k => f`. */
function perTableAccess(holds: string, message: string): TerraformVariableValidationConfig {
  return nestedValidation((item) => `flatten([for k, f in var.functions : [for t, actions in f.table_access : ${item}]])`, `try(${holds}, false)`, message);
}

/** Rules of the logging and failure fields of `functions` (FAILURE_AND_LOGGING_FIELDS). */
function failureAndLoggingRules(): EntryRule[] {
  return [
    ['application_log_level', `contains(${hclList(LAMBDA_APPLICATION_LOG_LEVELS)}, f.application_log_level)`, `functions.\${k}: application_log_level must be one of ${LAMBDA_APPLICATION_LOG_LEVELS.join(', ')}`],
    ['system_log_level', `contains(${hclList(LAMBDA_SYSTEM_LOG_LEVELS)}, f.system_log_level)`, `functions.\${k}: system_log_level must be one of ${LAMBDA_SYSTEM_LOG_LEVELS.join(', ')}`],
    [
      'maximum_retry_attempts',
      `floor(f.maximum_retry_attempts) == f.maximum_retry_attempts && f.maximum_retry_attempts >= ${LAMBDA_ASYNC_RETRIES.min} && f.maximum_retry_attempts <= ${LAMBDA_ASYNC_RETRIES.max}`,
      `functions.\${k}: maximum_retry_attempts must be a whole number from ${LAMBDA_ASYNC_RETRIES.min} to ${LAMBDA_ASYNC_RETRIES.max}`,
    ],
    ['on_failure_destination_arn', 'f.on_failure_destination_arn == null ? true : can(regex("^arn:aws[a-z-]*:(sqs|sns):", f.on_failure_destination_arn))', 'functions.${k}: on_failure_destination_arn must be an SQS queue or SNS topic ARN'],
    ['one_failure_destination', '!(f.failure_queue_enabled && f.on_failure_destination_arn != null)', 'functions.${k}: failure_queue_enabled and on_failure_destination_arn both name a destination; give one'],
    ['tracing_mode', `contains(${hclList(LAMBDA_TRACING_MODES)}, f.tracing_mode)`, `functions.\${k}: tracing_mode must be one of ${LAMBDA_TRACING_MODES.join(', ')}`],
  ];
}

/**
 * The published module's inputs for the caller's functions and tables (two maps keyed by
 * name), the endpoint policy and the database. Every rule Lambda, IAM, DynamoDB or
 * CloudWatch would enforce at apply is a `validation` here, failing at plan with a message
 * that names the function or table key and the field.
 */
export class ModuleFunctionInputs {
  /** `var.tables`. */
  public readonly tables: TerraformVariable;
  /** `var.functions`. */
  public readonly functions: TerraformVariable;
  public readonly endpointPolicy: string;
  public readonly databaseEnabled: boolean;
  public readonly useExistingDatabase: boolean;
  public readonly existingDatabase: ExistingDatabaseProps;
  public readonly databaseInstanceClass: string;
  public readonly databaseDeletionProtection: boolean;
  public readonly databaseMultiAz: boolean;
  public readonly databasePerformanceInsights: boolean;
  public readonly databaseMonitoringInterval: number;
  public readonly databaseKmsKeyArn: string;
  /** Every declared variable, by name, for docs and tests. */
  public readonly variables: Map<string, TerraformVariable> = new Map();

  /** Declares the variables on `scope` (the module's stack); this object only holds their references. */
  constructor(scope: Construct) {
    const v = (name: string, config: ConstructorParameters<typeof TerraformVariable>[2]) => declareVariable(scope, this.variables, name, config);
    // A field of an object variable that may be null, as a named local: a plain reference
    // keeps policy documents that embed it parseable JSON before Terraform interpolates them.
    const field = (variable: TerraformVariable, path: string[]) =>
      new TerraformLocal(scope, [variable.friendlyUniqueId, ...path].join('_'), Fn.try([Fn.lookupNested(variable.value, path), ''])).asString;

    this.tables = v('tables', {
      type: TABLES_TYPE,
      default: {},
      description:
        'DynamoDB tables to create, by key: table <name_prefix>-<key>, on-demand, point-in-time recovery, encrypted (kms_key_arn: your key), deletion protection on. ' +
        'hash_key_type and range_key_type are S (default), N or B; global_secondary_indexes and local_secondary_indexes by index name (projection_type ALL by default), ' +
        'attributes types their key attributes (S when not listed); ttl_attribute turns TTL on; stream_view_type turns a stream on. Functions name a key in table_access.',
      validation: [
        ...entryValidations('tables', [
          ['key', `can(regex("${MODULE_KEY_PATTERN}", k))`, `tables.\${k}: the key must be ${MODULE_KEY_RULE} (it is part of the table name)`],
          ['key_types',
            `contains(${hclList(KEY_ATTRIBUTE_TYPES)}, f.hash_key_type) && (f.range_key_type == null ? true : contains(${hclList(KEY_ATTRIBUTE_TYPES)}, f.range_key_type))`,
            `tables.\${k}: hash_key_type and range_key_type must be ${KEY_ATTRIBUTE_TYPES.join(', ')}`,
          ],
          ['range_key_type', 'f.range_key_type == null || f.range_key != null', 'tables.${k}: range_key_type is set but range_key is not'],
          ['key_names', 'length(f.hash_key) > 0 && (f.range_key == null ? true : length(f.range_key) > 0 && f.hash_key != f.range_key)', 'tables.${k}: hash_key must be a non-empty attribute name, and range_key (when set) another one'],
          ['stream_view_type',
            `f.stream_view_type == null ? true : contains(${hclList(STREAM_VIEW_TYPES)}, f.stream_view_type)`,
            `tables.\${k}: stream_view_type must be one of ${STREAM_VIEW_TYPES.join(', ')}`,
          ],
          ['kms_key_arn', 'f.kms_key_arn == null ? true : can(regex("^arn:aws[a-z-]*:kms:", f.kms_key_arn))', 'tables.${k}: kms_key_arn must be a KMS key ARN (arn:aws:kms:...)'],
          ['attributes', `alltrue([for a, t in f.attributes : contains(${hclList(KEY_ATTRIBUTE_TYPES)}, t)])`, `tables.\${k}.attributes: each type must be ${KEY_ATTRIBUTE_TYPES.join(', ')}`],
          ['attributes_keys',
            'alltrue([for a, t in f.attributes : !(a == f.hash_key && t != f.hash_key_type) && !(a == f.range_key && f.range_key_type != null && t != f.range_key_type)])',
            "tables.${k}.attributes: a table key's type must match hash_key_type / range_key_type",
          ],
          ['local_indexes_need_range_key', 'length(f.local_secondary_indexes) == 0 || f.range_key != null', 'tables.${k}.local_secondary_indexes: needs the table to have a range_key'],
        ]),
        ...indexValidations(),
      ],
    });

    const actions = DYNAMODB_DATA_ACTIONS.join(', ');
    this.functions = v('functions', {
      type: FUNCTIONS_TYPE,
      default: {},
      description:
        'Lambda functions to run in the private subnets, by key: function <name_prefix>-<key>, its own log group, role and security group (443 to DynamoDB only). ' +
        'Code: filename (a local zip) or s3_bucket + s3_key. table_access maps a key of tables, or a table ARN, to the exact DynamoDB actions the function uses; ' +
        'each becomes <KEY>_TABLE in its environment. database_access opens 5432 to the database and grants rds-db:connect as app_lambda; internet_egress needs nat_mode single or per-az. ' +
        'Logs are JSON at application_log_level (INFO) and system_log_level (WARN); a failed asynchronous invocation is retried maximum_retry_attempts times (0 to 2, default 2), then sent to ' +
        'on_failure_destination_arn (SQS or SNS) or to a queue created with failure_queue_enabled (<name_prefix>-<key>-failed-events, encrypted, 14 days).',
      validation: entryValidations('functions', [
        ['key', `can(regex("${MODULE_KEY_PATTERN}", k))`, `functions.\${k}: the key must be ${MODULE_KEY_RULE} (it is part of resource names)`],
        ['name_length',
          `length("\${var.name_prefix}-\${k}") <= ${MAX_FUNCTION_NAME}`,
          `functions.\${k}: \${var.name_prefix}-\${k} is longer than ${MAX_FUNCTION_NAME} characters (the role is named <name_prefix>-<key>-role and IAM allows 64)`,
        ],
        ['code', '(f.filename != null) != (f.s3_bucket != null || f.s3_key != null)', 'functions.${k}: give the code either as filename or as s3_bucket and s3_key, not both and not neither'],
        ['s3_location', '(f.s3_bucket == null) == (f.s3_key == null) && (f.s3_object_version == null || f.s3_key != null)', 'functions.${k}: s3_bucket and s3_key go together (and s3_object_version needs them)'],
        ['runtime', `contains(${hclList(LAMBDA_RUNTIMES)}, f.runtime)`, `functions.\${k}: runtime must be one of ${LAMBDA_RUNTIMES.join(', ')}`],
        ['architecture', `contains(${hclList(LAMBDA_ARCHITECTURES)}, f.architecture)`, `functions.\${k}: architecture must be one of ${LAMBDA_ARCHITECTURES.join(', ')}`],
        ['memory_size',
          `floor(f.memory_size) == f.memory_size && f.memory_size >= ${LAMBDA_MEMORY_MB.min} && f.memory_size <= ${LAMBDA_MEMORY_MB.max}`,
          `functions.\${k}: memory_size must be a whole number of MB from ${LAMBDA_MEMORY_MB.min} to ${LAMBDA_MEMORY_MB.max}`,
        ],
        ['timeout',
          `floor(f.timeout) == f.timeout && f.timeout >= ${LAMBDA_TIMEOUT_S.min} && f.timeout <= ${LAMBDA_TIMEOUT_S.max}`,
          `functions.\${k}: timeout must be a whole number of seconds from ${LAMBDA_TIMEOUT_S.min} to ${LAMBDA_TIMEOUT_S.max}`,
        ],
        ['log_retention_days', `contains(${hclList(LOG_RETENTION_DAYS)}, f.log_retention_days)`, `functions.\${k}: log_retention_days must be one of ${LOG_RETENTION_DAYS.join(', ')}`],
        ['reserved_concurrency',
          'f.reserved_concurrency == null ? true : floor(f.reserved_concurrency) == f.reserved_concurrency && f.reserved_concurrency >= 0',
          'functions.${k}: reserved_concurrency must be null or a whole number from 0',
        ],
        nestedValidation(
          (item) => `flatten([for k, f in var.functions : [for name in keys(f.environment) : ${item}]])`,
          `!can(regex("${CREDENTIAL_NAME_PATTERN}", name))`,
          'functions.${k}.environment: ${name} looks like a credential (PASSWORD, SECRET, TOKEN); functions get credentials from IAM, never from environment variables',
        ),
        perTableAccess(
          `contains(keys(var.tables), t) || can(regex("${TABLE_ARN_PATTERN}", t))`,
          'functions.${k}.table_access.${t}: not a key of tables ${jsonencode(keys(var.tables))} nor a DynamoDB table ARN (arn:aws:dynamodb:<region>:<account>:table/<name>)',
        ),
        perTableAccess('length(actions) > 0', 'functions.${k}.table_access.${t}: lists no action; name the DynamoDB actions the function uses'),
        nestedValidation(
          (item) => `flatten([for k, f in var.functions : [for t, actions in f.table_access : [for a in actions : ${item}]]])`,
          `contains(${hclList(DYNAMODB_DATA_ACTIONS)}, a)`,
          `functions.\${k}.table_access.\${t}: \${a} is not allowed; name actions from ${actions} (no wildcards)`,
        ),
        ['database_access',
          '!f.database_access || var.database_enabled',
          'functions.${k}: database_access needs a database: set database_enabled = true (with existing_database to wire one made elsewhere)',
        ],
        ['internet_egress', '!f.internet_egress || var.nat_mode != "none"', 'functions.${k}: internet_egress needs nat_mode single or per-az: without NAT there is no internet path to allow'],
        ...failureAndLoggingRules(),
      ]),
    });

    this.endpointPolicy = v('endpoint_policy', {
      type: 'string',
      default: 'system-tables',
      description:
        "DynamoDB endpoint policy: system-tables allows only the union of the functions' table_access actions on those tables (and their indexes); " +
        'when no function declares table access it denies all DynamoDB traffic through the endpoint. open keeps AWS\'s default (IAM still limits).',
      validation: [oneOf('endpoint_policy', MODULE_ENDPOINT_POLICIES)],
    }).stringValue;

    this.databaseEnabled = asBoolean(
      v('database_enabled', {
        type: 'bool',
        default: false,
        description: 'Give the functions with database_access a PostgreSQL: a private RDS instance created here, or existing_database when set.',
      }).booleanValue,
    );

    const existingDatabase = v('existing_database', {
      type: 'object({ security_group_id = string, host = string, port = optional(number, 5432), database_name = string, resource_id = string, instance_arn = string })',
      default: Token.nullValue(),
      nullable: true,
      description: 'Wire this database instead of creating one: 5432 is opened from each function with database_access into its security group; IAM authentication needs its resource id and ARN.',
      validation: [
        {
          condition: onlyWhen('var.existing_database != null', 'can(regex("^sg-[0-9a-f]{8}([0-9a-f]{9})?$", var.existing_database.security_group_id))'),
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

    this.databaseMultiAz = asBoolean(
      v('database_multi_az', {
        type: 'bool',
        default: false,
        description: 'A standby of the created instance in a second AZ (doubles the instance cost).',
      }).booleanValue,
    );
    this.databasePerformanceInsights = asBoolean(
      v('database_performance_insights_enabled', {
        type: 'bool',
        default: true,
        description: 'Performance Insights on the created instance, 7 days of retention (the free tier).',
      }).booleanValue,
    );
    this.databaseMonitoringInterval = v('database_monitoring_interval', {
      type: 'number',
      default: 0,
      description: `Enhanced monitoring of the created instance every this many seconds (${RDS_MONITORING_INTERVALS.join(', ')}; 0: off). Above 0 a monitoring role is created.`,
      validation: [
        {
          condition: `\${contains(${hclList(RDS_MONITORING_INTERVALS)}, var.database_monitoring_interval)}`,
          errorMessage: `database_monitoring_interval must be one of ${RDS_MONITORING_INTERVALS.join(', ')}.`,
        },
      ],
    }).numberValue;
    this.databaseKmsKeyArn = v('database_kms_key_arn', {
      type: 'string',
      default: Token.nullValue(),
      nullable: true,
      description: 'Customer managed KMS key for the created instance\'s storage and Performance Insights (null: the AWS managed key aws/rds). Changing it replaces the instance.',
      validation: [
        {
          condition: onlyWhen('var.database_kms_key_arn != null', 'can(regex("^arn:aws[a-z-]*:kms:", var.database_kms_key_arn))'),
          errorMessage: 'database_kms_key_arn must be a KMS key ARN (arn:aws:kms:...).',
        },
      ],
    }).stringValue;
  }
}
