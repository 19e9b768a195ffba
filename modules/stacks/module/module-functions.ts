import { DataResource, Fn, TerraformIterator, TerraformLocal, Token } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaAlias } from '@cdktf/provider-aws/lib/lambda-alias';
import { LambdaFunctionUrl } from '@cdktf/provider-aws/lib/lambda-function-url';
import { moduleFunctionAdditions } from './module-function-invocation';
import { eventInvokeConfigShape } from '../../constructs/function-invocation-shape';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { DYNAMODB_INDEX_ACTIONS } from '../../constructs/dynamodb-table';
import { POSTGRES_PORT, PostgresDatabase } from '../../constructs/postgres-database';
import { LAMBDA_VPC_ENI_STATEMENT, XRAY_WRITE_STATEMENT } from '../../private/iam-statements';
import {
  dynamoDbHttpsEgress,
  failureQueueShape,
  INTERNET_HTTPS_EGRESS,
  suppressVpcFunctionRules,
  vpcFunctionShape,
  VpcFunctionShapeInput,
  writeOwnLogsStatement,
} from '../../constructs/vpc-function-shape';
import { asBoolean, counted } from '../../private/tokens';
import { STREAM_READ_ACTIONS } from '../../private/declared-permissions';
import { MODULE_DB_USER } from './module-function-inputs';
import { ModuleTables } from './module-tables';

/** The network pieces the functions are placed in. */
export interface ModuleFunctionsProps {
  readonly namePrefix: string;
  readonly vpcId: string;
  readonly privateSubnetIds: string[];
  /** DynamoDB prefix list id (from the gateway endpoint): every function's 443 egress target. */
  readonly dynamoDbPrefixListId: string;
  /** The database (created, wired or switched off at plan). */
  readonly database: PostgresDatabase;
  /** KMS key ARN for the log groups (var.log_kms_key_arn, may be null). */
  readonly logKmsKeyArn: string;
  readonly tags: Record<string, string>;
}


/** An HCL expression for a JSON-shaped value: JSON is valid HCL expression syntax. */
const hcl = (value: unknown) => JSON.stringify(value);
/** An HCL object of identifier keys, written `{ Key = value, ... }` as a person would. */
const hclObject = (value: object) => `{ ${Object.entries(value).map(([key, v]) => `${key} = ${hcl(v)}`).join(', ')} }`;

/** What the functions' resources are, for outputs and tests. */
export interface ModuleFunctions {
  readonly functions: LambdaFunction;
  readonly roles: IamRole;
  readonly logGroups: CloudwatchLogGroup;
  readonly securityGroups: SecurityGroup;
  /** The endpoint policy document for `system-tables`: an HCL expression (no `${}` around it). */
  readonly endpointPolicyDocument: string;
  /** The alias `live` of the functions with provisioned concurrency. */
  readonly aliases: LambdaAlias;
  /** The URLs of the functions with `function_url`. */
  readonly urls: LambdaFunctionUrl;
}

/**
 * `var.functions` as one set of resources per key: log group, role with an inline policy
 * (its own logs, the VPC ENI actions, exactly the `table_access` actions on exactly those
 * tables), a security group with no ingress and 443 egress to DynamoDB's prefix list (plus
 * 5432 to the database with `database_access`, 443 anywhere with `internet_egress`), and the
 * function in the private subnets.
 */
export function moduleFunctions(scope: Construct, tables: ModuleTables, props: ModuleFunctionsProps): ModuleFunctions {
  const { namePrefix, tags, database } = props;
  const local = (id: string, expression: unknown) => new TerraformLocal(scope, id, expression);

  // Per function, its table grants: the table (a key of var.tables, or an ARN), the index when
  // the key names one (`<table>/index/<name>`), its ARN and name, the actions, those of them that
  // read indexes (Query, Scan), and the environment variable naming it.
  const base = 'split("/index/", t)[0]';
  const tableKey = `contains(keys(var.tables), ${base})`;
  const fromArn = `regex("table/(.+)$", ${base})[0]`;
  const grant = [
    `table = ${base}`,
    'index = length(split("/index/", t)) == 2 ? split("/index/", t)[1] : null',
    `arn = ${tableKey} ? ${tables.byKey}[${base}].arn : ${base}`,
    `name = ${tableKey} ? ${tables.byKey}[${base}].name : ${fromArn}`,
    `env = format("%s_TABLE", upper(replace(${tableKey} ? ${base} : ${fromArn}, "/[^A-Za-z0-9_]/", "_")))`,
    'actions = actions',
    `index_actions = sort(setintersection(actions, ${hcl(DYNAMODB_INDEX_ACTIONS)}))`,
  ];
  const grants = local('function_table_access', `\${{ for k, f in var.functions : k => [for t, actions in f.table_access : { ${grant.join(', ')} }] }}`);
  const grantsOf = `local.${grants.friendlyUniqueId}`;
  // A grant's statements: on one index, that index only; else the table, and its indexes
  // (`index/*`) for the actions that read them, so no write is granted on an index.
  const allow = (actions: string, resource: string) => `{ Effect = "Allow", Action = ${actions}, Resource = [${resource}] }`;
  const onIndexes = `length(g.index_actions) > 0 ? [${allow('g.index_actions', '"${g.arn}/index/*"')}] : []`;
  const tableStatements = local(
    'function_table_statements',
    `\${{ for k, gs in ${grantsOf} : k => flatten([for g in gs : g.index != null ? [${allow('g.actions', '"${g.arn}/index/${g.index}"')}] : concat([${allow('g.actions', 'g.arn')}], ${onIndexes})]) }}`,
  );
  const withDatabase = local('functions_with_database_access', '${{ for k, f in var.functions : k => f if f.database_access }}');
  const withInternet = local('functions_with_internet_egress', '${{ for k, f in var.functions : k => f if f.internet_egress }}');

  const each = TerraformIterator.fromMap(Token.asAnyMap('${var.functions}'));
  const name = `${namePrefix}-${each.key}`;
  // The resources' arguments come from the description VpcFunction shares: here every value
  // is the function's entry in var.functions (whose type gives the defaults), every name its key.
  const shapeInput: VpcFunctionShapeInput = {
    name,
    description: each.getString('description'),
    // An image carries its runtime and entry point: Lambda refuses a handler or runtime with one.
    handler: '${each.value.image_uri == null ? each.value.handler : null}',
    runtime: '${each.value.image_uri == null ? each.value.runtime : null}',
    layers: Token.asList('${each.value.layers}'),
    publish: asBoolean(Token.asAny('${each.value.provisioned_concurrency > 0}')),
    architecture: each.getString('architecture'),
    memorySize: each.getNumber('memory_size'),
    timeout: each.getNumber('timeout'),
    reservedConcurrency: each.getNumber('reserved_concurrency'),
    tracing: each.getString('tracing_mode'),
    applicationLogLevel: each.getString('application_log_level'),
    systemLogLevel: each.getString('system_log_level'),
    logRetentionInDays: each.getNumber('log_retention_days'),
    logKmsKeyArn: props.logKmsKeyArn,
    vpcId: props.vpcId,
    subnetIds: props.privateSubnetIds,
    securityGroupWording: 'module',
    tags,
  };
  const shape = vpcFunctionShape(shapeInput);

  const logGroups = new CloudwatchLogGroup(scope, 'function_log_group', { forEach: each, ...shape.logGroup });
  const roles = new IamRole(scope, 'function_role', { forEach: each, ...shape.role });

  // One inline policy: its own logs, the ENI actions (with X-Ray's writes for tracing_mode
  // Active, the only "*"), the table grants' statements, and with stream_from the stream reads
  // on that stream.
  const streamActions = local('stream_read_actions', [...STREAM_READ_ACTIONS]);
  const streamRead = `{ Sid = "ReadTableStream", Effect = "Allow", Action = local.${streamActions.friendlyUniqueId}, Resource = ["\${${tables.byKey}[each.value.stream_from].arn}/stream/*"] }`;
  const streamStatement = `each.value.stream_from == null ? [] : [${streamRead}]`;
  const ownLogs = writeOwnLogsStatement(`\${aws_cloudwatch_log_group.${logGroups.friendlyUniqueId}[each.key].arn}`);
  const policy = new IamRolePolicy(scope, 'function_policy', {
    forEach: each,
    name: 'least-privilege',
    role: counted(roles, '[each.key].id'),
    policy: `\${jsonencode({ Version = "2012-10-17", Statement = concat([${hclObject(ownLogs)}, ${hcl(LAMBDA_VPC_ENI_STATEMENT)}], each.value.tracing_mode == "Active" ? [${hcl(XRAY_WRITE_STATEMENT)}] : [], local.${tableStatements.friendlyUniqueId}[each.key], ${streamStatement}) })}`,
  });

  // rds-db:connect names the database user by the instance's resource id and account; try()
  // keeps the local valid while there is no database (no function may then ask for one).
  // The instance ARN is parsed once (arn:<partition>:rds:<region>:<account>:db:<name>) and the
  // user ARN built from its parts; element() as before, so a short ARN behaves the same.
  const arnParts = local('database_instance_arn_parts', Fn.try([Fn.split(':', database.instanceArn), []]));
  const arnPart = (i: number) => Fn.element(arnParts.asList, i);
  const dbUserArn = local('database_user_arn', Fn.try([Fn.format('arn:%s:rds-db:%s:%s:dbuser:%s/%s', [arnPart(1), arnPart(3), arnPart(4), database.resourceId, MODULE_DB_USER]), '']));
  const dbEach = TerraformIterator.fromMap(withDatabase.asAnyMap);
  const dbPolicy = new IamRolePolicy(scope, 'function_database_policy', {
    forEach: dbEach,
    name: 'connect-database',
    role: counted(roles, '[each.key].id'),
    policy: Fn.jsonencode({ Version: '2012-10-17', Statement: [{ Sid: 'ConnectAsIamDatabaseUser', Effect: 'Allow', Action: ['rds-db:connect'], Resource: [dbUserArn.asString] }] }),
    // A role's inline policy name cannot change in place: 0.1 named this one
    // `user-activity-connect-database`, and a moved 0.1 state (module-moves.ts) keeps that name
    // rather than deleting and re-creating the grant. New grants are named as above.
    lifecycle: { ignoreChanges: ['name'] },
  });

  const securityGroups = new SecurityGroup(scope, 'function_security_group', {
    forEach: each,
    ...shape.securityGroup,
    // AWS cannot change a group's description in place: a group made by 0.1 (moved here by
    // module-moves.ts, its text "egress to DynamoDB (and its database) only") keeps its text
    // rather than being replaced, with the function's ENIs, for a comment.
    lifecycle: { ignoreChanges: ['description'] },
  });
  const groupOf = counted(securityGroups, '[each.key].id');

  new VpcSecurityGroupEgressRule(scope, 'function_dynamodb_https', { forEach: each, securityGroupId: groupOf, ...dynamoDbHttpsEgress(props.dynamoDbPrefixListId) });
  new VpcSecurityGroupEgressRule(scope, 'function_postgres', {
    forEach: dbEach,
    securityGroupId: groupOf,
    description: 'PostgreSQL',
    ipProtocol: 'tcp',
    fromPort: POSTGRES_PORT,
    toPort: POSTGRES_PORT,
    referencedSecurityGroupId: database.securityGroupId,
  });
  new VpcSecurityGroupIngressRule(scope, 'database_from_function', {
    forEach: dbEach,
    securityGroupId: database.securityGroupId,
    description: `PostgreSQL from Lambda ${name}`,
    ipProtocol: 'tcp',
    fromPort: POSTGRES_PORT,
    toPort: POSTGRES_PORT,
    referencedSecurityGroupId: groupOf,
  });
  new VpcSecurityGroupEgressRule(scope, 'function_internet_https', { forEach: TerraformIterator.fromMap(withInternet.asAnyMap), securityGroupId: groupOf, ...INTERNET_HTTPS_EGRESS });

  const dbEnvironment = local('database_environment', {
    DB_HOST: database.host,
    DB_PORT: Token.asString(database.port),
    DB_NAME: database.databaseName,
    DB_USER: MODULE_DB_USER,
    DB_AUTH: 'iam',
  });
  // The environment, in two named steps. First, per function, name/value pairs in order: the
  // caller's, the CA bundle, one <KEY>_TABLE per grant, the database's with database_access.
  // Then, per name, the last value wins, as in merge(). Not merge() itself: its result is wholly
  // unknown at plan as soon as one value is (the database host); this way the table names stay
  // visible in the plan.
  const pairs = [
    '[for name, value in f.environment : { name = name, value = value }]',
    // On nodejs20.x+ the RDS CA bundle is not trusted by default; this file carries it.
    '[{ name = "NODE_EXTRA_CA_CERTS", value = "/var/runtime/ca-cert.pem" }]',
    `[for g in ${grantsOf}[k] : { name = g.env, value = g.name }]`,
    `[for name, value in local.${dbEnvironment.friendlyUniqueId} : { name = name, value = value } if f.database_access]`,
  ];
  const environmentPairs = local('function_environment_pairs', `\${{ for k, f in var.functions : k => concat(${pairs.join(', ')}) }}`);
  const environments = local(
    'function_environment',
    `\${{ for k, pairs in local.${environmentPairs.friendlyUniqueId} : k => { for name, values in { for p in pairs : p.name => p.value... } : name => values[length(values) - 1] } }}`,
  );
  const environment = `\${local.${environments.friendlyUniqueId}[each.key]}`;

  const functions = new LambdaFunction(scope, 'function', {
    forEach: each,
    ...shape.function({
      roleArn: counted(roles, '[each.key].arn'),
      logGroupName: counted(logGroups, '[each.key].name'),
      securityGroupId: groupOf,
      environment: Token.asStringMap(environment),
      code: {
        filename: each.getString('filename'),
        s3Bucket: each.getString('s3_bucket'),
        s3Key: each.getString('s3_key'),
        s3ObjectVersion: each.getString('s3_object_version'),
        sourceCodeHash: '${each.value.filename != null ? filebase64sha256(each.value.filename) : each.value.source_code_hash}',
        imageUri: each.getString('image_uri'),
        packageType: '${each.value.image_uri == null ? "Zip" : "Image"}',
      },
    }),
    dependsOn: [logGroups, policy, dbPolicy],
  });
  // Per-function choices (reserved_concurrency, tracing_mode) are variables: the skips say how to opt in.
  suppressVpcFunctionRules({ function: functions, logGroup: logGroups, rolePolicy: policy }, shapeInput);

  // What each function was told about its tables, as a record whose values are known at plan:
  // a function's environment is not, once one value is unknown (a created database's host;
  // the provider then plans the whole map as unknown). Plan-based checks (npm run check,
  // analysis/reachability.ts) read it to link the function to its tables. Costs nothing.
  new DataResource(scope, 'function_table_names', {
    forEach: each,
    input: {
      function_name: name,
      // One variable per table, however many grants name it (the table and one of its indexes).
      table_environment: Token.asAnyMap(`\${{ for env, names in { for g in ${grantsOf}[each.key] : g.env => g.name... } : env => names[0] }}`),
      database_access: Token.asAny('${each.value.database_access}'),
    },
  });

  // The endpoint's system-tables policy: the union of every grant's actions on the union of
  // their tables and indexes; with no grant at all, a policy that allows nothing.
  const allActions = 'sort(distinct(flatten([for k, f in var.functions : values(f.table_access)])))';
  // A table grant opens the table and its indexes; a grant on one index, that index only.
  const allArns = `distinct(flatten([for k, gs in ${grantsOf} : [for g in gs : g.index != null ? ["\${g.arn}/index/\${g.index}"] : [g.arn, "\${g.arn}/index/*"]]]))`;
  const denyAll = { Version: '2012-10-17', Statement: [{ Sid: 'NoTableAccessDeclared', Effect: 'Deny', Principal: '*', Action: ['dynamodb:*'], Resource: ['*'] }] };
  const endpointPolicyDocument = `length(${allActions}) == 0 ? jsonencode(${hcl(denyAll)}) : jsonencode({ Version = "2012-10-17", Statement = [{ Sid = "SystemTablesOnly", Effect = "Allow", Principal = "*", Action = ${allActions}, Resource = ${allArns} }] })`;

  const failureDestinations = asyncFailureControls(scope, functions, roles, props);
  const additions = moduleFunctionAdditions(scope, { functions, roles, tables, failureDestinations });

  return { functions, roles, logGroups, securityGroups, endpointPolicyDocument, aliases: additions.aliases, urls: additions.urls };
}

/**
 * Per function, what happens to a failed asynchronous invocation: `maximum_retry_attempts`
 * (0 to 2), then the on-failure destination, a queue created here (`failure_queue_enabled`:
 * `<name_prefix>-<key>-failed-events`, SQS-managed encryption, 14 days) or the caller's
 * `on_failure_destination_arn`, which the role may send to. The event invoke config exists only
 * for functions that set one of them, so a call that does not plans nothing new.
 */
function asyncFailureControls(scope: Construct, functions: LambdaFunction, roles: IamRole, props: ModuleFunctionsProps): string {
  const local = (id: string, expression: unknown) => new TerraformLocal(scope, id, expression);
  const withQueue = local('functions_with_failure_queue', '${{ for k, f in var.functions : k => f if f.failure_queue_enabled }}');
  const queueEach = TerraformIterator.fromMap(withQueue.asAnyMap);
  const queues = new SqsQueue(scope, 'function_failure_queue', { forEach: queueEach, ...failureQueueShape(`${props.namePrefix}-${queueEach.key}`, props.tags) });
  const queuesRef = `${queues.terraformResourceType}.${queues.friendlyUniqueId}`;
  const destinations = local(
    'function_failure_destinations',
    `\${{ for k, f in var.functions : k => { arn = f.failure_queue_enabled ? ${queuesRef}[k].arn : f.on_failure_destination_arn, sqs = f.failure_queue_enabled || can(regex(":sqs:", f.on_failure_destination_arn)) } if f.failure_queue_enabled || f.on_failure_destination_arn != null }}`,
  );
  const destinationsOf = `local.${destinations.friendlyUniqueId}`;
  // The keys of the for_each below must be known at plan: they come from var.functions alone.
  const withDestination = local('functions_with_failure_destination', '${{ for k, f in var.functions : k => f if f.failure_queue_enabled || f.on_failure_destination_arn != null }}');
  const destinationEach = TerraformIterator.fromMap(withDestination.asAnyMap);
  const sendPolicy = new IamRolePolicy(scope, 'function_failure_destination_policy', {
    forEach: destinationEach,
    name: 'send-failed-events',
    role: counted(roles, '[each.key].id'),
    policy: `\${jsonencode({ Version = "2012-10-17", Statement = [{ Sid = "SendFailedEvents", Effect = "Allow", Action = [${destinationsOf}[each.key].sqs ? "sqs:SendMessage" : "sns:Publish"], Resource = [${destinationsOf}[each.key].arn] }] })}`,
  });
  const configured = local('functions_with_async_config', '${{ for k, f in var.functions : k => f if f.failure_queue_enabled || f.on_failure_destination_arn != null || f.maximum_retry_attempts != 2 }}');
  const config = new LambdaFunctionEventInvokeConfig(scope, 'function_event_invoke_config', {
    forEach: TerraformIterator.fromMap(configured.asAnyMap),
    ...eventInvokeConfigShape(counted(functions, '[each.key].function_name'), Token.asNumber('${each.value.maximum_retry_attempts}')),
    dependsOn: [sendPolicy],
  });
  config.addOverride('dynamic.destination_config', {
    for_each: `\${contains(keys(${destinationsOf}), each.key) ? [${destinationsOf}[each.key].arn] : []}`,
    content: { on_failure: { destination: '${destination_config.value}' } },
  });
  return destinationsOf;
}
