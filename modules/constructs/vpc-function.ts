import { Construct } from 'constructs';
import { Lazy } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { LambdaAlias } from '@cdktf/provider-aws/lib/lambda-alias';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import { LambdaFunctionUrl } from '@cdktf/provider-aws/lib/lambda-function-url';
import { LambdaProvisionedConcurrencyConfig } from '@cdktf/provider-aws/lib/lambda-provisioned-concurrency-config';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { ConfigError } from '../private/config-error';
import { checkProps, PropSpec } from '../private/known-props';
import { checkKmsKeyArn } from '../private/kms-key';
import { DYNAMODB_INDEX_ACTIONS, IGrantable } from './dynamodb-table';
import { bucketAccessStatements, checkBucketAccess, S3Action } from './s3-gateway-endpoint';
import { FunctionCode } from './function-code';
import { FunctionSecurityGroup } from './function-security-group';
import { failureQueueShape, suppressVpcFunctionRules, VPC_FUNCTION_DEFAULTS, vpcFunctionShape, VpcFunctionShapeInput, writeOwnLogsStatement } from './vpc-function-shape';
import { LAMBDA_VPC_ENI_STATEMENT, PolicyStatement, policyJson, XRAY_WRITE_STATEMENT } from '../private/iam-statements';
import { validateLogRetention } from '../private/log-retention';
import { SubnetGroup } from './network';
import { countWhen, isLiteral } from '../private/tokens';
import {
  checkDeclaredStatements,
  checkLayers,
  checkManagedPolicyArns,
  DeclaredStatement,
  declaredPolicyStatements,
  FUNCTION_URL_AUTH_TYPES,
  FUNCTION_URL_INVOKE_MODES,
  STREAM_READ_ACTIONS,
} from '../private/declared-permissions';
import { checkFramework } from '../private/framework';
import { eventInvokeConfigShape, functionUrlShape, liveAliasShape, provisionedConcurrencyShape, STREAM_SOURCE_DEFAULTS, tableStreamMappingShape } from './function-invocation-shape';

/** Node.js runtimes: the only ones code built here (fromEntry, fromBundleDir) runs on. */
export const LAMBDA_NODE_RUNTIMES = ['nodejs22.x', 'nodejs20.x', 'nodejs24.x'] as const;
/**
 * Every current Lambda runtime, for a prebuilt zip or S3 code. The newest (nodejs24.x,
 * python3.14, java25, dotnet10) need an AWS provider that knows them (provider 5.100 does not).
 */
export const LAMBDA_RUNTIMES = [
  ...LAMBDA_NODE_RUNTIMES,
  'python3.14', 'python3.13', 'python3.12', 'python3.11', 'python3.10',
  'java25', 'java21', 'java17', 'java11', 'java8.al2',
  'dotnet10', 'dotnet8',
  'ruby3.4', 'ruby3.3',
  'provided.al2023', 'provided.al2',
] as const;
export { LIVE_ALIAS, STREAM_SOURCE_DEFAULTS } from './function-invocation-shape';
/** Lambda architectures. */
export const LAMBDA_ARCHITECTURES = ['arm64', 'x86_64'] as const;
/** Lambda's memory limits, in MB. */
export const LAMBDA_MEMORY_MB = { min: 128, max: 10240 } as const;
/** Lambda's timeout limits, in seconds. */
export const LAMBDA_TIMEOUT_S = { min: 1, max: 900 } as const;
/** Application log levels of Lambda's logging_config (the runtime passes it as AWS_LAMBDA_LOG_LEVEL). */
export const LAMBDA_APPLICATION_LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
/** System (platform) log levels of Lambda's logging_config. */
export const LAMBDA_SYSTEM_LOG_LEVELS = ['DEBUG', 'INFO', 'WARN'] as const;
/** X-Ray tracing modes. */
export const LAMBDA_TRACING_MODES = ['PassThrough', 'Active'] as const;
/** Retries Lambda allows for a failed asynchronous invocation. */
export const LAMBDA_ASYNC_RETRIES = { min: 0, max: 2 } as const;

/** Props of a function's URL. */
export interface FunctionUrlProps {
  /**
   * Who may call it: `AWS_IAM` (signed requests from principals allowed lambda:InvokeFunctionUrl) or `NONE` (anyone).
   * @default 'AWS_IAM'
   */
  readonly authType?: (typeof FUNCTION_URL_AUTH_TYPES)[number];
  /**
   * `BUFFERED` (the whole response) or `RESPONSE_STREAM`.
   * @default 'BUFFERED'
   */
  readonly invokeMode?: (typeof FUNCTION_URL_INVOKE_MODES)[number];
}

/** Options of {@link VpcFunction.addTableStreamSource}. */
export interface TableStreamSourceOptions {
  /**
   * Where a new mapping starts reading.
   * @default 'LATEST'
   */
  readonly startingPosition?: 'LATEST' | 'TRIM_HORIZON';
  /**
   * Records per invocation, 1 to 10000.
   * @default 100
   */
  readonly batchSize?: number;
}


/** Props of {@link VpcFunction}. */
export interface VpcFunctionProps {
  /** Function name, 1 to 64 letters, digits, hyphens and underscores. */
  readonly functionName: string;
  /**
   * What the function does, for the console.
   * @default undefined
   */
  readonly description?: string;
  /** The code: `FunctionCode.fromEntry('src/api.ts')`, `.fromZip(...)`, `.fromBundleDir(...)` or `.fromS3(...)`. */
  readonly code: FunctionCode;
  /**
   * The handler Lambda calls, `<file>.<export>` inside the zip.
   * @default 'index.handler' (what fromEntry and fromBundleDir produce)
   */
  readonly handler?: string;
  /** Subnets to run in. Must be private: a public subnet is refused. */
  readonly subnets: SubnetGroup;
  /** VPC of the subnets. */
  readonly vpcId: string;
  /** DynamoDB prefix list id (from the gateway endpoint), for the 443 egress rule. */
  readonly dynamoDbPrefixListId: string;
  /**
   * Whether the VPC has a NAT path. Internet egress is refused without one.
   * @default false
   */
  readonly natEnabled?: boolean;
  /**
   * Allow HTTPS to the internet (through NAT). Needs `natEnabled`.
   * @default false
   */
  readonly allowInternetEgress?: boolean;
  /**
   * Runtime: a Node.js one for code built here (fromEntry, fromBundleDir), any of
   * {@link LAMBDA_RUNTIMES} for a prebuilt zip or S3 code, none for an image.
   * @default 'nodejs22.x'
   */
  readonly runtime?: (typeof LAMBDA_RUNTIMES)[number];
  /**
   * Lambda layer version ARNs, at most 5 (not with an image).
   * @default []
   */
  readonly layers?: string[];
  /**
   * Extra IAM statements, keyed by Sid: named actions on named resources. DynamoDB and S3 are
   * granted through tables and buckets instead (the endpoint policies come from those grants).
   * @default {}
   */
  readonly policyStatements?: Record<string, DeclaredStatement>;
  /**
   * Managed policy ARNs attached to the role (AdministratorAccess, PowerUserAccess and
   * IAMFullAccess are refused).
   * @default []
   */
  readonly managedPolicyArns?: string[];
  /**
   * Provisioned concurrency, kept warm on the alias `live` (the function then publishes a
   * version on each change). Billed while provisioned; at most `reservedConcurrency` when set.
   * @default 0: none, and no alias
   */
  readonly provisionedConcurrency?: number;
  /**
   * A function URL (on the alias `live` when there is one).
   * @default undefined: no URL
   */
  readonly functionUrl?: FunctionUrlProps;
  /**
   * Architecture. arm64 (Graviton) costs about 20% less per GB-second.
   * @default 'arm64'
   */
  readonly architecture?: (typeof LAMBDA_ARCHITECTURES)[number];
  /**
   * Memory in MB, 128 to 10240.
   * @default 256
   */
  readonly memorySize?: number;
  /**
   * Timeout in seconds, 1 to 900.
   * @default 30
   */
  readonly timeout?: number;
  /**
   * Reserved concurrency; also the most database connections the function can open.
   * @default undefined: the account's unreserved pool
   */
  readonly reservedConcurrency?: number;
  /**
   * X-Ray tracing. `Active` adds X-Ray's write actions to the role and needs a path to X-Ray
   * from the private subnets (NAT or an interface endpoint).
   * @default 'PassThrough'
   */
  readonly tracing?: (typeof LAMBDA_TRACING_MODES)[number];
  /**
   * KMS key ARN for the function's log group; its key policy must let
   * `logs.<region>.amazonaws.com` use it.
   * @default undefined: CloudWatch Logs' own encryption
   */
  readonly logKmsKeyArn?: string;
  /**
   * Days the function's log group keeps logs.
   * @default 30
   */
  readonly logRetentionInDays?: number;
  /**
   * Level of the application logs Lambda keeps (logging_config, JSON format); the handlers read
   * it as AWS_LAMBDA_LOG_LEVEL and do not write lines below it.
   * @default 'INFO'
   */
  readonly applicationLogLevel?: (typeof LAMBDA_APPLICATION_LOG_LEVELS)[number];
  /**
   * Level of Lambda's own platform logs (START, END, REPORT are INFO).
   * @default 'WARN'
   */
  readonly systemLogLevel?: (typeof LAMBDA_SYSTEM_LOG_LEVELS)[number];
  /**
   * SQS queue or SNS topic ARN for events that failed every asynchronous retry.
   * @default undefined: failed async events are dropped after retries
   */
  readonly onFailureDestinationArn?: string;
  /**
   * Create an SQS queue `<functionName>-failed-events` (encrypted with SQS-managed keys, 14 days
   * retention) as the on-failure destination. Not together with `onFailureDestinationArn`.
   * @default false
   */
  readonly failureQueueEnabled?: boolean;
  /**
   * Retries of a failed asynchronous invocation, 0 to 2 (the same request id each time).
   * @default 2 (Lambda's own)
   */
  readonly maximumRetryAttempts?: number;
  /**
   * Environment variables (never secrets: credentials come from IAM).
   * @default {}
   */
  readonly environment?: Record<string, string>;
  /**
   * Tags besides `Name`.
   * @default {}
   */
  readonly tags?: Record<string, string>;
}

/**
 * A Lambda function in private subnets: its own log group, a role with the VPC ENI
 * permissions plus only what is granted to it, and a security group with no ingress and
 * egress to DynamoDB's prefix list. Grants (`table.grant(fn, ...)`, `database.grantConnect(fn)`)
 * add statements and environment variables; nothing takes raw ARNs.
 */
export class VpcFunction extends Construct implements IGrantable {
  public readonly functionName: string;
  public readonly functionArn: string;
  /** The ARN API Gateway invokes (`invoke_arn`). */
  public readonly invokeArn: string;
  /** The alias `live`'s ARN, when there is provisioned concurrency. */
  public readonly aliasArn?: string;
  /** The function URL, when `functionUrl` is set. */
  public readonly functionUrl?: string;
  public readonly roleArn: string;
  public readonly roleName: string;
  public readonly logGroupName: string;
  /** Where failed asynchronous events go: the created failure queue, the given ARN, or undefined. */
  public readonly onFailureDestinationArn?: string;
  public readonly securityGroup: FunctionSecurityGroup;
  /** Every table access granted to this function: the endpoint policy is derived from these. */
  public readonly tableAccess: Array<{ readonly tableArn: string; readonly actions: string[]; readonly resources?: string[] }> = [];
  /** Every bucket access granted to this function: the S3 endpoint policy is derived from these. */
  public readonly bucketAccess: Array<{ readonly bucketArn: string; readonly actions: string[] }> = [];
  private readonly statements: PolicyStatement[] = [];
  /** What invokes this function from an event source: the alias `live` when there is one. */
  private readonly invokeTarget: string;
  private readonly lambda: LambdaFunction;
  private readonly streamSources = new Set<string>();
  private readonly environment: Record<string, string>;
  /** Where this function's props sit in error messages: `functions.<id>`. */
  private readonly input: string;

  constructor(scope: Construct, id: string, props: VpcFunctionProps) {
    super(scope, id);
    checkFramework(this, 'VpcFunction');
    // Every error names the function (`functions.<id>`, as the system's `functions` map does) and the prop.
    this.input = `functions.${id}`;
    validateFunctionProps(this.input, props);
    const tags = props.tags ?? {};
    const name = props.functionName;
    this.functionName = name;
    this.environment = {
      // On nodejs20.x+ the RDS CA bundle is not trusted by default; this file carries it.
      NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem',
    };
    for (const [variable, value] of Object.entries(props.environment ?? {})) this.addEnvironment(variable, value);

    // The resources' arguments come from the description the module's functions share.
    const shapeInput: VpcFunctionShapeInput = {
      name,
      description: props.description,
      handler: props.handler,
      runtime: props.runtime,
      architecture: props.architecture,
      memorySize: props.memorySize,
      timeout: props.timeout,
      reservedConcurrency: props.reservedConcurrency,
      layers: props.layers,
      publish: (props.provisionedConcurrency ?? 0) > 0 ? true : undefined,
      tracing: props.tracing,
      applicationLogLevel: props.applicationLogLevel,
      systemLogLevel: props.systemLogLevel,
      logRetentionInDays: props.logRetentionInDays,
      logKmsKeyArn: props.logKmsKeyArn,
      vpcId: props.vpcId,
      subnetIds: props.subnets.subnetIds,
      securityGroupWording: 'constructs',
      tags,
    };
    const shape = vpcFunctionShape(shapeInput);

    const logGroup = new CloudwatchLogGroup(this, 'log_group', shape.logGroup);
    this.logGroupName = logGroup.name;

    const role = new IamRole(this, 'role', shape.role);
    this.roleArn = role.arn;
    this.roleName = role.name;

    this.addToRolePolicy(writeOwnLogsStatement(logGroup.arn));
    this.addToRolePolicy(LAMBDA_VPC_ENI_STATEMENT);
    if (props.tracing === 'Active') this.addToRolePolicy(XRAY_WRITE_STATEMENT);
    if (props.failureQueueEnabled) {
      const queue = new SqsQueue(this, 'failure_queue', failureQueueShape(name, tags));
      this.onFailureDestinationArn = queue.arn;
      this.addToRolePolicy({ Sid: 'SendFailedEvents', Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [queue.arn] });
    } else if (props.onFailureDestinationArn) {
      this.onFailureDestinationArn = props.onFailureDestinationArn;
      const sqs = props.onFailureDestinationArn.includes(':sqs:');
      this.addToRolePolicy({ Sid: 'SendFailedEvents', Effect: 'Allow', Action: [sqs ? 'sqs:SendMessage' : 'sns:Publish'], Resource: [props.onFailureDestinationArn] });
    }
    const policy = new IamRolePolicy(this, 'role_policy', {
      name: 'least-privilege',
      role: role.id,
      // Lazy: grants made after construction (tables, database) still land in this policy.
      policy: policyJson(() => this.policyStatements()),
    });

    this.securityGroup = new FunctionSecurityGroup(this, 'security_group', {
      name: `${name}-lambda`,
      vpcId: props.vpcId,
      dynamoDbPrefixListId: props.dynamoDbPrefixListId,
      allowInternetEgress: props.allowInternetEgress,
      tags,
    });

    let code;
    try {
      code = props.code.bind(this, 'code');
    } catch (error) {
      throw error instanceof ConfigError ? error.within(this.input) : error;
    }
    const fn = new LambdaFunction(this, 'function', {
      ...shape.function({
        roleArn: role.arn,
        logGroupName: logGroup.name,
        securityGroupId: this.securityGroup.securityGroupId,
        // Lazy: grants made after construction add their variables.
        environment: Lazy.anyValue({ produce: () => this.environment }) as unknown as Record<string, string>,
        code,
      }),
      dependsOn: [logGroup, policy],
    });
    this.functionArn = fn.arn;
    this.invokeArn = fn.invokeArn;
    this.lambda = fn;
    suppressVpcFunctionRules({ function: fn, logGroup, rolePolicy: policy }, shapeInput);

    if (props.policyStatements && Object.keys(props.policyStatements).length > 0) {
      this.addPolicy('declared_statements', declaredPolicyStatements(props.policyStatements));
    }
    (props.managedPolicyArns ?? []).forEach((policyArn, i) => {
      new IamRolePolicyAttachment(this, `managed_policy_${i}`, { role: role.name, policyArn });
    });

    let alias: LambdaAlias | undefined;
    if ((props.provisionedConcurrency ?? 0) > 0) {
      alias = new LambdaAlias(this, 'alias', liveAliasShape(fn.functionName, fn.version));
      new LambdaProvisionedConcurrencyConfig(this, 'provisioned_concurrency', provisionedConcurrencyShape(fn.functionName, alias.name, props.provisionedConcurrency!));
      this.aliasArn = alias.arn;
    }
    this.invokeTarget = alias ? alias.arn : fn.arn;
    if (props.functionUrl) {
      const url = new LambdaFunctionUrl(this, 'url', functionUrlShape(fn.functionName, alias?.name, props.functionUrl));
      this.functionUrl = url.functionUrl;
    }

    if (this.onFailureDestinationArn || props.maximumRetryAttempts !== undefined) {
      new LambdaFunctionEventInvokeConfig(this, 'event_invoke_config', {
        ...eventInvokeConfigShape(fn.functionName, props.maximumRetryAttempts),
        destinationConfig: this.onFailureDestinationArn ? { onFailure: { destination: this.onFailureDestinationArn } } : undefined,
      });
    }
  }

  /**
   * Makes this function consume a table's stream: an event source mapping (a failing batch is
   * split and retried 10 times, then sent to the function's on-failure destination when it has
   * one) and exactly the stream read actions on that table's stream.
   */
  addTableStreamSource(table: { readonly tableArn: string; readonly tableStreamArn?: string; readonly node: { readonly id: string } }, options: TableStreamSourceOptions = {}): void {
    const at = `${this.input}.streamFrom`;
    if (!table.tableStreamArn) throw new ConfigError(at, `table ${table.node.id} has no stream; set its streamViewType`);
    if (this.streamSources.has(table.tableArn)) throw new ConfigError(at, `already consumes the stream of table ${table.node.id}`);
    const batchSize = options.batchSize ?? STREAM_SOURCE_DEFAULTS.batchSize;
    if (isLiteral(batchSize) && (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10000)) throw new ConfigError(`${at}.batchSize`, `${batchSize} must be a whole number from 1 to 10000`);
    this.streamSources.add(table.tableArn);
    this.addToRolePolicy({ Sid: 'ReadTableStream', Effect: 'Allow', Action: [...STREAM_READ_ACTIONS], Resource: [`${table.tableArn}/stream/*`] });
    new LambdaEventSourceMapping(this, `stream_${table.node.id}`, {
      ...tableStreamMappingShape(table.tableStreamArn, this.invokeTarget, { startingPosition: options.startingPosition, batchSize }),
      destinationConfig: this.onFailureDestinationArn ? { onFailure: { destinationArn: this.onFailureDestinationArn } } : undefined,
      // The role's read grant must exist before Lambda validates the mapping.
      dependsOn: [this.lambda],
    });
  }

  /** Adds a statement to this function's own role policy. */
  addToRolePolicy(statement: PolicyStatement): void {
    this.statements.push(statement);
  }

  /**
   * Adds a separate inline policy, created only when `enabled` (which may be a Terraform
   * expression): for grants on something that may not exist, like an optional database.
   */
  addPolicy(id: string, statements: PolicyStatement[], enabled: boolean = true): void {
    if (enabled === false) return;
    new IamRolePolicy(this, id, {
      count: countWhen(enabled),
      name: id.replace(/_/g, '-'),
      role: this.roleName,
      policy: policyJson(() => statements),
    });
  }

  /** Allows `actions` on a table, and those that read indexes (Query, Scan) on its indexes; or `actions` on exactly `resources` (one index). */
  addTableAccess(tableArn: string, actions: string[], resources?: string[]): void {
    this.addToRolePolicy({ Effect: 'Allow', Action: [...actions], Resource: resources ?? [tableArn] });
    // The indexes (`index/*`) only for the actions that read them: no write is granted on an index.
    const indexActions = actions.filter((a) => DYNAMODB_INDEX_ACTIONS.includes(a)).sort();
    if (!resources && indexActions.length > 0) this.addToRolePolicy({ Effect: 'Allow', Action: indexActions, Resource: [`${tableArn}/index/*`] });
    this.tableAccess.push({ tableArn, actions: [...actions], ...(resources ? { resources: [...resources] } : {}) });
  }

  /**
   * Allows `actions` on an S3 bucket: bucket-level actions (ListBucket) on the bucket ARN,
   * object actions (GetObject) on `<arn>/*`. IAM only: the network path is the S3 gateway
   * endpoint's (`S3GatewayEndpoint.grantBucketAccess` does both).
   */
  addBucketAccess(bucketArn: string, actions: S3Action[]): void {
    checkBucketAccess(`${this.input}.bucketAccess.${bucketArn}`, bucketArn, actions);
    for (const statement of bucketAccessStatements(bucketArn, actions)) this.addToRolePolicy(statement);
    this.bucketAccess.push({ bucketArn, actions: [...actions] });
  }

  /** Sets an environment variable (never a secret). */
  addEnvironment(name: string, value: string): void {
    if (/PASSWORD|SECRET_VALUE|TOKEN/i.test(name)) {
      throw new ConfigError(`${this.input}.environment.${name}`, 'looks like a credential; functions get credentials from IAM or Secrets Manager, never from plain environment variables');
    }
    this.environment[name] = value;
  }

  /** The role's statements, those with the same effect and resources merged (each table listed once). */
  policyStatements(): PolicyStatement[] {
    const merged = new Map<string, PolicyStatement>();
    for (const s of this.statements) {
      const key = JSON.stringify([s.Sid ?? '', s.Effect, s.Resource, s.Condition ?? null]);
      const prior = merged.get(key);
      merged.set(key, prior ? { ...prior, Action: [...new Set([...prior.Action, ...s.Action])] } : s);
    }
    return [...merged.values()];
  }
}

/** Every prop of {@link VpcFunctionProps}: unknown ones are refused (see checkProps). */
const VPC_FUNCTION_PROPS = {
  functionName: 'required',
  description: 'optional',
  code: 'required',
  handler: 'optional',
  subnets: 'required',
  vpcId: 'required',
  dynamoDbPrefixListId: 'required',
  natEnabled: 'optional',
  allowInternetEgress: 'optional',
  runtime: 'optional',
  layers: 'optional',
  policyStatements: 'optional',
  managedPolicyArns: 'optional',
  provisionedConcurrency: 'optional',
  functionUrl: 'optional',
  architecture: 'optional',
  memorySize: 'optional',
  timeout: 'optional',
  reservedConcurrency: 'optional',
  tracing: 'optional',
  logKmsKeyArn: 'optional',
  logRetentionInDays: 'optional',
  applicationLogLevel: 'optional',
  systemLogLevel: 'optional',
  onFailureDestinationArn: 'optional',
  failureQueueEnabled: 'optional',
  maximumRetryAttempts: 'optional',
  environment: 'optional',
  tags: 'optional',
} as const satisfies PropSpec<VpcFunctionProps>;

/** What a function's code is, for the message when it is missing. */
export const CODE_EXPECTED = "a FunctionCode: FunctionCode.fromEntry('src/api.ts'), fromZip, fromBundleDir or fromS3";

/** The longest function name: its role is `<functionName>-role`, and IAM role names stop at 64. */
export const MAX_FUNCTION_NAME_LENGTH = 64 - '-role'.length;

function validateFunctionProps(fn: string, props: VpcFunctionProps): void {
  checkProps(fn, props, 'VpcFunctionProps', VPC_FUNCTION_PROPS, { code: CODE_EXPECTED });
  const at = (prop: string) => `${fn}.${prop}`;
  if (typeof (props.code as Partial<FunctionCode>).bind !== 'function') throw new ConfigError(at('code'), `expected ${CODE_EXPECTED}, got ${JSON.stringify(props.code)}`);
  if (isLiteral(props.functionName) && !new RegExp(`^[A-Za-z0-9_-]{1,${MAX_FUNCTION_NAME_LENGTH}}$`).test(props.functionName)) {
    throw new ConfigError(
      at('functionName'),
      `"${props.functionName}" must be 1 to ${MAX_FUNCTION_NAME_LENGTH} letters, digits, hyphens or underscores (the role is named <functionName>-role and IAM allows 64)`,
    );
  }
  if (props.subnets.public === true) {
    throw new ConfigError(
      at('subnets'),
      'are public subnets (their route table sends 0.0.0.0/0 to an internet gateway); a function there gets no public IP and no private path: use the private subnets',
    );
  }
  const range = (input: string, value: number | undefined, min: number, max: number, unit: string) => {
    if (value === undefined || !isLiteral(value)) return;
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new ConfigError(at(input), `${value} is outside Lambda's limits; allowed ${min} to ${max} ${unit} (whole numbers)`);
    }
  };
  range('memorySize', props.memorySize, LAMBDA_MEMORY_MB.min, LAMBDA_MEMORY_MB.max, 'MB');
  range('timeout', props.timeout, LAMBDA_TIMEOUT_S.min, LAMBDA_TIMEOUT_S.max, 'seconds');
  range('reservedConcurrency', props.reservedConcurrency, 0, 1000000, '');
  if (props.runtime && isLiteral(props.runtime) && !(LAMBDA_RUNTIMES as readonly string[]).includes(props.runtime)) {
    throw new ConfigError(at('runtime'), `"${props.runtime}" is not supported; allowed: ${LAMBDA_RUNTIMES.join(', ')}`);
  }
  const family = props.code.runtimeFamily;
  if (family === 'nodejs' && props.runtime && isLiteral(props.runtime) && !(LAMBDA_NODE_RUNTIMES as readonly string[]).includes(props.runtime)) {
    throw new ConfigError(at('runtime'), `"${props.runtime}" cannot run code built here (fromEntry, fromBundleDir: Node.js); use ${LAMBDA_NODE_RUNTIMES.join(', ')}, or give a prebuilt zip (fromZip, fromS3)`);
  }
  if (family === 'image') {
    for (const prop of ['runtime', 'handler', 'layers'] as const) {
      if (props[prop] !== undefined) throw new ConfigError(at(prop), 'does not apply to an image (fromImage): the image carries its runtime, entry point and libraries');
    }
  }
  checkLayers(at('layers'), props.layers);
  checkDeclaredStatements(at('policyStatements'), props.policyStatements);
  checkManagedPolicyArns(at('managedPolicyArns'), props.managedPolicyArns);
  range('provisionedConcurrency', props.provisionedConcurrency, 0, 1000000, '');
  if (props.provisionedConcurrency !== undefined && props.reservedConcurrency !== undefined && isLiteral(props.provisionedConcurrency) && isLiteral(props.reservedConcurrency) && props.provisionedConcurrency > props.reservedConcurrency) {
    throw new ConfigError(at('provisionedConcurrency'), `${props.provisionedConcurrency} is more than reservedConcurrency (${props.reservedConcurrency})`);
  }
  const authType = props.functionUrl?.authType;
  if (authType !== undefined && isLiteral(authType) && !(FUNCTION_URL_AUTH_TYPES as readonly string[]).includes(authType)) {
    throw new ConfigError(at('functionUrl.authType'), `"${authType}" must be one of ${FUNCTION_URL_AUTH_TYPES.join(', ')}`);
  }
  const invokeMode = props.functionUrl?.invokeMode;
  if (invokeMode !== undefined && isLiteral(invokeMode) && !(FUNCTION_URL_INVOKE_MODES as readonly string[]).includes(invokeMode)) {
    throw new ConfigError(at('functionUrl.invokeMode'), `"${invokeMode}" must be one of ${FUNCTION_URL_INVOKE_MODES.join(', ')}`);
  }
  if (props.architecture && isLiteral(props.architecture) && !(LAMBDA_ARCHITECTURES as readonly string[]).includes(props.architecture)) {
    throw new ConfigError(at('architecture'), `"${props.architecture}" is not a Lambda architecture; allowed: ${LAMBDA_ARCHITECTURES.join(', ')}`);
  }
  if (props.tracing && isLiteral(props.tracing) && !(LAMBDA_TRACING_MODES as readonly string[]).includes(props.tracing)) {
    throw new ConfigError(at('tracing'), `"${props.tracing}" is not a tracing mode; allowed: ${LAMBDA_TRACING_MODES.join(', ')}`);
  }
  checkKmsKeyArn(at('logKmsKeyArn'), props.logKmsKeyArn);
  if (props.allowInternetEgress === true && (props.natEnabled ?? false) === false) {
    throw new ConfigError(at('allowInternetEgress'), 'needs natEnabled (a NAT path, natMode single or per-az): without it there is no internet path to allow');
  }
  if (props.onFailureDestinationArn && isLiteral(props.onFailureDestinationArn) && !/^arn:aws[a-z-]*:(sqs|sns):/.test(props.onFailureDestinationArn)) {
    throw new ConfigError(at('onFailureDestinationArn'), `"${props.onFailureDestinationArn}" must be an SQS queue or SNS topic ARN`);
  }
  if (props.failureQueueEnabled && props.onFailureDestinationArn) {
    throw new ConfigError(at('failureQueueEnabled'), 'and onFailureDestinationArn both name a destination; give one');
  }
  range('maximumRetryAttempts', props.maximumRetryAttempts, LAMBDA_ASYNC_RETRIES.min, LAMBDA_ASYNC_RETRIES.max, 'retries');
  const level = (input: string, value: string | undefined, allowed: readonly string[]) => {
    if (value !== undefined && isLiteral(value) && !allowed.includes(value)) throw new ConfigError(at(input), `"${value}" is not a Lambda log level; allowed: ${allowed.join(', ')}`);
  };
  level('applicationLogLevel', props.applicationLogLevel, LAMBDA_APPLICATION_LOG_LEVELS);
  level('systemLogLevel', props.systemLogLevel, LAMBDA_SYSTEM_LOG_LEVELS);
  validateLogRetention(at('logRetentionInDays'), props.logRetentionInDays ?? VPC_FUNCTION_DEFAULTS.logRetentionInDays);
}
