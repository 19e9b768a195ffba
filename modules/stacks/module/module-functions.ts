import { DataResource, TerraformIterator, TerraformLocal, Token } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaAlias } from '@cdktf/provider-aws/lib/lambda-alias';
import { LambdaFunctionUrl } from '@cdktf/provider-aws/lib/lambda-function-url';
import { moduleFunctionAdditions } from './module-function-invocation';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { PostgresDatabase } from '../../constructs/postgres-database';
import { LAMBDA_VPC_ENI_STATEMENT, XRAY_WRITE_STATEMENT } from '../../private/iam-statements';
import {
  dynamoDbHttpsEgress,
  INTERNET_HTTPS_EGRESS,
  suppressVpcFunctionRules,
  vpcFunctionShape,
  VpcFunctionShapeInput,
  writeOwnLogsStatement,
} from '../../constructs/vpc-function-shape';
import { asBoolean, counted } from '../../private/tokens';
import { STREAM_READ_ACTIONS } from '../../private/declared-permissions';
import { ModuleTables } from './module-tables';
import { moduleTableGrants } from './module-table-grants';
import { moduleFunctionDatabase } from './module-function-database';
import { asyncFailureControls } from './module-function-failures';
import { functionsWhere } from './module-function-subsets';
import { hcl } from './variable-validations';

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

  const tableGrants = moduleTableGrants(scope, tables);
  const grantsOf = tableGrants.grants;
  const withDatabase = functionsWhere(scope, 'functions_with_database_access', 'f.database_access');
  const withInternet = functionsWhere(scope, 'functions_with_internet_egress', 'f.internet_egress');

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
    policy: `\${jsonencode({ Version = "2012-10-17", Statement = concat([${hclObject(ownLogs)}, ${hcl(LAMBDA_VPC_ENI_STATEMENT)}], each.value.tracing_mode == "Active" ? [${hcl(XRAY_WRITE_STATEMENT)}] : [], ${tableGrants.statements}[each.key], ${streamStatement}) })}`,
  });

  const databaseAccess = moduleFunctionDatabase(scope, database, roles, withDatabase);

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
  databaseAccess.allowFrom(groupOf, name);
  new VpcSecurityGroupEgressRule(scope, 'function_internet_https', { forEach: TerraformIterator.fromMap(withInternet.asAnyMap), securityGroupId: groupOf, ...INTERNET_HTTPS_EGRESS });

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
    `[for name, value in ${databaseAccess.environment} : { name = name, value = value } if f.database_access]`,
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
    dependsOn: [logGroups, policy, databaseAccess.policy],
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

  const failureDestinations = asyncFailureControls(scope, functions, roles, props);
  const additions = moduleFunctionAdditions(scope, { functions, roles, tables, failureDestinations });

  return { functions, roles, logGroups, securityGroups, endpointPolicyDocument: tableGrants.endpointPolicyDocument, aliases: additions.aliases, urls: additions.urls };
}
