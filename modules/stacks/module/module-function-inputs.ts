import { Fn, TerraformLocal, TerraformVariable, TerraformVariableValidationConfig, Token } from 'cdktf';
import { Construct } from 'constructs';
import { declareVariable, entryValidations, EntryRule, hcl, hclList, MODULE_KEY_PATTERN, MODULE_KEY_RULE, nestedValidation, oneOf, onlyWhen } from './variable-validations';
import { declareTablesVariable } from './module-table-inputs';
import { ECR_IMAGE_URI_PATTERN } from '../../constructs/function-code';
import {
  DECLARED_ACTION_PATTERN,
  FUNCTION_URL_AUTH_TYPES,
  FUNCTION_URL_INVOKE_MODES,
  GRANTED_ELSEWHERE,
  LAYER_VERSION_ARN_PATTERN,
  MANAGED_POLICY_ARN_PATTERN,
  MAX_LAYERS,
  REFUSED_MANAGED_POLICIES,
  STATEMENT_SID_PATTERN,
} from '../../private/declared-permissions';

import { LOG_RETENTION_DAYS } from '../../private/log-retention';
import { asBoolean } from '../../private/tokens';
import { LAMBDA_ARCHITECTURES, LAMBDA_MEMORY_MB, LAMBDA_RUNTIMES, LAMBDA_TIMEOUT_S } from '../../constructs/vpc-function';
import { LAMBDA_APPLICATION_LOG_LEVELS, LAMBDA_ASYNC_RETRIES, LAMBDA_SYSTEM_LOG_LEVELS, LAMBDA_TRACING_MODES } from '../../constructs/vpc-function';
import { DYNAMODB_DATA_ACTIONS, DYNAMODB_INDEX_ACTIONS } from '../../constructs/dynamodb-table';
import { VPC_FUNCTION_DEFAULTS } from '../../constructs/vpc-function-shape';
import { ExistingDatabaseProps, RDS_MONITORING_INTERVALS } from '../../constructs/postgres-database';
import { BUCKET_ACCESS_DESCRIPTION, bucketAccessRules } from './module-bucket-access';

/** Endpoint policy choices the module offers. */
export const MODULE_ENDPOINT_POLICIES = ['system-tables', 'open'] as const;

/** A DynamoDB table ARN, as a `table_access` key naming a table made elsewhere. */
export const TABLE_ARN_PATTERN = '^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:[0-9]{12}:table/[A-Za-z0-9_.-]{3,255}$';
/** IAM's limit on role names; a function's role is `<name_prefix>-<key>-role`. */
export const MAX_FUNCTION_NAME = 64 - '-role'.length;
/** The database user IAM authentication connects as (created once in the database). */
export const MODULE_DB_USER = 'app_lambda';
/** Environment variable names refused: credentials come from IAM, never from the environment. */
export const CREDENTIAL_NAME_PATTERN = '(?i)(PASSWORD|SECRET|TOKEN)';


/** A function's defaults are VpcFunction's: both envelopes build functions from one description. */
const DEFAULTS = VPC_FUNCTION_DEFAULTS;

/** The `functions` fields of Lambda's logging and asynchronous-failure controls (logging_config, event invoke config). */
const FAILURE_AND_LOGGING_FIELDS = `application_log_level = optional(string, "${DEFAULTS.applicationLogLevel}"), system_log_level = optional(string, "${DEFAULTS.systemLogLevel}"), failure_queue_enabled = optional(bool, false), on_failure_destination_arn = optional(string), maximum_retry_attempts = optional(number, 2), tracing_mode = optional(string, "${DEFAULTS.tracing}")`;

/**
 * The `functions` fields that grant or invoke beyond the function itself: layers, extra IAM
 * statements and managed policies, provisioned concurrency on the alias `live`, a function URL,
 * and the stream of a table it consumes.
 */
const PERMISSION_AND_INVOCATION_FIELDS =
  'layers = optional(list(string), []), ' +
  'policy_statements = optional(map(object({ actions = list(string), resources = list(string), effect = optional(string, "Allow"), wildcard_acknowledged = optional(bool, false) })), {}), ' +
  'managed_policy_arns = optional(list(string), []), provisioned_concurrency = optional(number, 0), ' +
  `function_url = optional(object({ auth_type = optional(string, "${FUNCTION_URL_AUTH_TYPES[0]}"), invoke_mode = optional(string, "${FUNCTION_URL_INVOKE_MODES[0]}") })), ` +
  'stream_from = optional(string)';

/** The `functions` variable's type. */
export const FUNCTIONS_TYPE = `map(object({ filename = optional(string), s3_bucket = optional(string), s3_key = optional(string), s3_object_version = optional(string), source_code_hash = optional(string), image_uri = optional(string), handler = optional(string, "${DEFAULTS.handler}"), runtime = optional(string, "${DEFAULTS.runtime}"), architecture = optional(string, "${DEFAULTS.architecture}"), memory_size = optional(number, ${DEFAULTS.memorySize}), timeout = optional(number, ${DEFAULTS.timeout}), description = optional(string), environment = optional(map(string), {}), reserved_concurrency = optional(number), log_retention_days = optional(number, ${DEFAULTS.logRetentionInDays}), table_access = optional(map(list(string)), {}), bucket_access = optional(map(list(string)), {}), database_access = optional(bool, false), internet_egress = optional(bool, false), ${FAILURE_AND_LOGGING_FIELDS}, ${PERMISSION_AND_INVOCATION_FIELDS} }))`;




/** Per `table_access` entry `t => actions` of every function `k => f`. */
/** The index names of the table whose key is `key` (an HCL expression): global, then local. */
const TABLE_INDEXES = (key: string) => `concat(keys(var.tables[${key}].global_secondary_indexes), keys(var.tables[${key}].local_secondary_indexes))`;

function perTableAccess(holds: string, message: string): TerraformVariableValidationConfig {
  return nestedValidation((item) => `flatten([for k, f in var.functions : [for t, actions in f.table_access : ${item}]])`, `try(${holds}, false)`, message);
}

/** Per `policy_statements` entry `s => st` of every function `k => f`. */
function perStatement(holds: string, message: string): TerraformVariableValidationConfig {
  return nestedValidation((item) => `flatten([for k, f in var.functions : [for s, st in f.policy_statements : ${item}]])`, `try(${holds}, false)`, message);
}

/** Rules of PERMISSION_AND_INVOCATION_FIELDS: the constructs check the same (private/declared-permissions.ts). */
function permissionAndInvocationRules(): Array<EntryRule | TerraformVariableValidationConfig> {
  const elsewhere = Object.keys(GRANTED_ELSEWHERE);
  const refused = REFUSED_MANAGED_POLICIES.join('|');
  return [
    ['layers',
      `length(f.layers) <= ${MAX_LAYERS} && alltrue([for l in f.layers : can(regex(${hcl(LAYER_VERSION_ARN_PATTERN)}, l))])`,
      `functions.\${k}.layers: at most ${MAX_LAYERS}, each a layer version ARN (arn:aws:lambda:<region>:<account>:layer:<name>:<version>)`,
    ],
    ['image_without_layers', 'f.image_uri == null || length(f.layers) == 0', 'functions.${k}.layers: an image (image_uri) carries its libraries; layers do not apply'],
    ['image_uri', `f.image_uri == null ? true : can(regex(${hcl(ECR_IMAGE_URI_PATTERN)}, f.image_uri))`, 'functions.${k}.image_uri: not an ECR image URI (<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag> or @sha256:<digest>)'],
    ['managed_policy_arns',
      `alltrue([for a in f.managed_policy_arns : can(regex(${hcl(MANAGED_POLICY_ARN_PATTERN)}, a)) && !can(regex(":policy/(${refused})$", a))])`,
      `functions.\${k}.managed_policy_arns: each must be a managed policy ARN, and not ${REFUSED_MANAGED_POLICIES.join(', ')} (they undo least privilege)`,
    ],
    ['provisioned_concurrency',
      'floor(f.provisioned_concurrency) == f.provisioned_concurrency && f.provisioned_concurrency >= 0 && (f.reserved_concurrency == null ? true : f.provisioned_concurrency <= f.reserved_concurrency)',
      'functions.${k}.provisioned_concurrency: must be a whole number from 0, and at most reserved_concurrency when that is set',
    ],
    ['function_url',
      `f.function_url == null ? true : contains(${hclList(FUNCTION_URL_AUTH_TYPES)}, f.function_url.auth_type) && contains(${hclList(FUNCTION_URL_INVOKE_MODES)}, f.function_url.invoke_mode)`,
      `functions.\${k}.function_url: auth_type must be one of ${FUNCTION_URL_AUTH_TYPES.join(', ')}, invoke_mode one of ${FUNCTION_URL_INVOKE_MODES.join(', ')}`,
    ],
    ['stream_from',
      'f.stream_from == null ? true : contains(keys(var.tables), f.stream_from)',
      'functions.${k}.stream_from: ${f.stream_from} is not a key of tables ${jsonencode(keys(var.tables))}',
    ],
    ['stream_from_stream',
      'f.stream_from == null ? true : !contains(keys(var.tables), f.stream_from) || var.tables[f.stream_from].stream_view_type != null',
      'functions.${k}.stream_from: table ${f.stream_from} has no stream; set tables.${f.stream_from}.stream_view_type',
    ],
    perStatement(`can(regex(${hcl(STATEMENT_SID_PATTERN)}, s))`, 'functions.${k}.policy_statements.${s}: the key is the statement id: 1 to 128 letters and digits'),
    perStatement('contains(["Allow", "Deny"], st.effect)', 'functions.${k}.policy_statements.${s}.effect: must be Allow or Deny'),
    perStatement(
      `length(st.actions) > 0 && alltrue([for a in st.actions : can(regex(${hcl(DECLARED_ACTION_PATTERN)}, a))])`,
      'functions.${k}.policy_statements.${s}.actions: name one or more IAM actions, each <service>:<Action>',
    ),
    perStatement(
      'length(st.resources) > 0 && alltrue([for r in st.resources : r == "*" || startswith(r, "arn:")])',
      'functions.${k}.policy_statements.${s}.resources: name one or more ARNs (or *)',
    ),
    perStatement(
      `st.effect == "Deny" || alltrue([for a in st.actions : !contains(${hclList(elsewhere)}, split(":", a)[0])])`,
      `functions.\${k}.policy_statements.\${s}.actions: ${elsewhere.map((svc) => `${svc} is granted through ${GRANTED_ELSEWHERE[svc]}`).join(', ')} (the endpoint policies are derived from those); declare it there`,
    ),
    perStatement(
      'st.effect == "Deny" || st.wildcard_acknowledged || alltrue([for x in concat(st.actions, st.resources) : !strcontains(x, "*")])',
      'functions.${k}.policy_statements.${s}: allows a wildcard (*); name the actions and resources, or set wildcard_acknowledged = true',
    ),
  ];
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
export interface ModuleFunctionInputs {
  /** `var.tables`. */
  readonly tables: TerraformVariable;
  /** `var.functions`. */
  readonly functions: TerraformVariable;
  readonly endpointPolicy: string;
  readonly databaseEnabled: boolean;
  readonly useExistingDatabase: boolean;
  readonly existingDatabase: ExistingDatabaseProps;
  readonly databaseInstanceClass: string;
  readonly databaseDeletionProtection: boolean;
  readonly databaseMultiAz: boolean;
  readonly databasePerformanceInsights: boolean;
  readonly databaseMonitoringInterval: number;
  readonly databaseKmsKeyArn: string;
  /** Every declared variable, by name, for docs and tests. */
  readonly variables: Map<string, TerraformVariable>;
}

/** Declares the variables on `scope` (the module's stack) and returns their references. */
export function declareModuleFunctionInputs(scope: Construct): ModuleFunctionInputs {
  const variables = new Map<string, TerraformVariable>();
  const v = (name: string, config: ConstructorParameters<typeof TerraformVariable>[2]) => declareVariable(scope, variables, name, config);
  // A field of an object variable that may be null, as a named local: a plain reference
  // keeps policy documents that embed it parseable JSON before Terraform interpolates them.
  const field = (variable: TerraformVariable, path: string[]) =>
    new TerraformLocal(scope, [variable.friendlyUniqueId, ...path].join('_'), Fn.try([Fn.lookupNested(variable.value, path), ''])).asString;


  const tables = declareTablesVariable(scope, variables);

  const actions = DYNAMODB_DATA_ACTIONS.join(', ');
  const functions = v('functions', {
    type: FUNCTIONS_TYPE,
    default: {},
    description:
      'Lambda functions to run in the private subnets, by key: function <name_prefix>-<key>, its own log group, role and security group (443 to DynamoDB only). ' +
      'Code: filename (a local zip), s3_bucket + s3_key, or image_uri (an ECR image: no handler, runtime or layers); runtime is any current Lambda runtime for a zip. ' +
      'table_access maps a key of tables, or a table ARN, to the exact DynamoDB actions the function uses (<key>/index/<index> grants Query or Scan on that index only); ' +
      'each becomes <KEY>_TABLE in its environment. database_access opens 5432 to the database and grants rds-db:connect as app_lambda; internet_egress needs nat_mode single or per-az. ' +
      'Logs are JSON at application_log_level (INFO) and system_log_level (WARN); a failed asynchronous invocation is retried maximum_retry_attempts times (0 to 2, default 2), then sent to ' +
      'on_failure_destination_arn (SQS or SNS) or to a queue created with failure_queue_enabled (<name_prefix>-<key>-failed-events, encrypted, 14 days). ' +
      'layers (at most 5 version ARNs); policy_statements adds IAM statements by Sid (named actions and resources: dynamodb and s3 go through table_access and bucket_access, ' +
      'a * needs wildcard_acknowledged); managed_policy_arns are attached (not AdministratorAccess, PowerUserAccess, IAMFullAccess); provisioned_concurrency keeps that many ' +
      'instances warm on the alias live; function_url adds a URL (auth_type AWS_IAM by default); stream_from names a key of tables whose stream the function consumes ' +
      '(batches of 100 from LATEST, split and retried 10 times, then sent to its failure destination), with exactly the stream read actions on that stream. ' +
      BUCKET_ACCESS_DESCRIPTION,
    validation: entryValidations('functions', [
      ['key', `can(regex("${MODULE_KEY_PATTERN}", k))`, `functions.\${k}: the key must be ${MODULE_KEY_RULE} (it is part of resource names)`],
      ['name_length',
        `length("\${var.name_prefix}-\${k}") <= ${MAX_FUNCTION_NAME}`,
        `functions.\${k}: \${var.name_prefix}-\${k} is longer than ${MAX_FUNCTION_NAME} characters (the role is named <name_prefix>-<key>-role and IAM allows 64)`,
      ],
      ['code',
        '(f.filename != null ? 1 : 0) + (f.s3_bucket != null || f.s3_key != null ? 1 : 0) + (f.image_uri != null ? 1 : 0) == 1',
        'functions.${k}: give the code as one of filename, s3_bucket and s3_key, or image_uri',
      ],
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
        `length(split("/index/", t)) <= 2 && (contains(keys(var.tables), split("/index/", t)[0]) || can(regex("${TABLE_ARN_PATTERN}", split("/index/", t)[0])))`,
        'functions.${k}.table_access.${t}: not a key of tables ${jsonencode(keys(var.tables))} nor a DynamoDB table ARN (arn:aws:dynamodb:<region>:<account>:table/<name>)',
      ),
      // `<table>/index/<name>` grants one index: it must be one the table declares (known for a key of tables).
      perTableAccess(
        `length(split("/index/", t)) != 2 || !contains(keys(var.tables), split("/index/", t)[0]) ? true : contains(${TABLE_INDEXES('split("/index/", t)[0]')}, split("/index/", t)[1])`,
        `functions.\${k}.table_access.\${t}: the table \${split("/index/", t)[0]} has no index \${try(split("/index/", t)[1], "")}; its indexes: \${try(jsonencode(${TABLE_INDEXES('split("/index/", t)[0]')}), "[]")}`,
      ),
      nestedValidation(
        (item) => `flatten([for k, f in var.functions : [for t, actions in f.table_access : [for a in actions : ${item}]]])`,
        `length(split("/index/", t)) == 1 || contains(${hclList(DYNAMODB_INDEX_ACTIONS)}, a)`,
        `functions.\${k}.table_access.\${t}: \${a} does not apply to an index; an index grant takes ${DYNAMODB_INDEX_ACTIONS.join(' or ')}`,
      ),
      perTableAccess('length(actions) > 0', 'functions.${k}.table_access.${t}: lists no action; name the DynamoDB actions the function uses'),
      nestedValidation(
        (item) => `flatten([for k, f in var.functions : [for t, actions in f.table_access : [for a in actions : ${item}]]])`,
        `contains(${hclList(DYNAMODB_DATA_ACTIONS)}, a)`,
        `functions.\${k}.table_access.\${t}: \${a} is not allowed; name actions from ${actions} (no wildcards)`,
      ),
      ...bucketAccessRules(),
      ['database_access',
        '!f.database_access || var.database_enabled',
        'functions.${k}: database_access needs a database: set database_enabled = true (with existing_database to wire one made elsewhere)',
      ],
      ['internet_egress', '!f.internet_egress || var.nat_mode != "none"', 'functions.${k}: internet_egress needs nat_mode single or per-az: without NAT there is no internet path to allow'],
      ...failureAndLoggingRules(),
      ...permissionAndInvocationRules(),
    ]),
  });

  const endpointPolicy = v('endpoint_policy', {
    type: 'string',
    default: 'system-tables',
    description:
      "DynamoDB endpoint policy: system-tables allows only the union of the functions' table_access actions on those tables (and their indexes); " +
      'when no function declares table access it denies all DynamoDB traffic through the endpoint. open keeps AWS\'s default (IAM still limits).',
    validation: [oneOf('endpoint_policy', MODULE_ENDPOINT_POLICIES)],
  }).stringValue;

  const databaseEnabled = asBoolean(
    v('database_enabled', {
      type: 'bool',
      default: false,
      description: 'Give the functions with database_access a PostgreSQL: a private RDS instance created here, or existing_database when set.',
    }).booleanValue,
  );

  const existingDatabaseVariable = v('existing_database', {
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
  const useExistingDatabase = asBoolean(new TerraformLocal(scope, 'use_existing_database', '${var.existing_database != null}').asBoolean);
  const existingDatabase = {
    securityGroupId: field(existingDatabaseVariable, ['security_group_id']),
    host: field(existingDatabaseVariable, ['host']),
    port: new TerraformLocal(scope, 'existing_database_port', Fn.try([Fn.lookupNested(existingDatabaseVariable.value, ['port']), 5432])).asNumber,
    databaseName: field(existingDatabaseVariable, ['database_name']),
    resourceId: field(existingDatabaseVariable, ['resource_id']),
    instanceArn: field(existingDatabaseVariable, ['instance_arn']),
  };

  const databaseInstanceClass = v('database_instance_class', {
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

  const databaseDeletionProtection = asBoolean(
    v('database_deletion_protection', {
      type: 'bool',
      default: true,
      description: 'Deletion protection on the created instance (a final snapshot is taken when it is off and the instance deleted).',
    }).booleanValue,
  );

  const databaseMultiAz = asBoolean(
    v('database_multi_az', {
      type: 'bool',
      default: false,
      description: 'A standby of the created instance in a second AZ (doubles the instance cost).',
    }).booleanValue,
  );
  const databasePerformanceInsights = asBoolean(
    v('database_performance_insights_enabled', {
      type: 'bool',
      default: true,
      description: 'Performance Insights on the created instance, 7 days of retention (the free tier).',
    }).booleanValue,
  );
  const databaseMonitoringInterval = v('database_monitoring_interval', {
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
  const databaseKmsKeyArn = v('database_kms_key_arn', {
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
  return {
    tables, functions, endpointPolicy, databaseEnabled, useExistingDatabase, existingDatabase,
    databaseInstanceClass, databaseDeletionProtection, databaseMultiAz, databasePerformanceInsights,
    databaseMonitoringInterval, databaseKmsKeyArn, variables,
  };
}
