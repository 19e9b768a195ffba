import { Construct } from 'constructs';
import { Lazy } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
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
import { checkFramework } from '../private/framework';

/** Runtimes the handlers are built for (esbuild targets node22; node20 still runs the bundle). */
export const LAMBDA_RUNTIMES = ['nodejs22.x', 'nodejs20.x'] as const;
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
   * Runtime.
   * @default 'nodejs22.x'
   */
  readonly runtime?: (typeof LAMBDA_RUNTIMES)[number];
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
  public readonly roleArn: string;
  public readonly roleName: string;
  public readonly logGroupName: string;
  /** Where failed asynchronous events go: the created failure queue, the given ARN, or undefined. */
  public readonly onFailureDestinationArn?: string;
  public readonly securityGroup: FunctionSecurityGroup;
  /** Every table access granted to this function: the endpoint policy is derived from these. */
  public readonly tableAccess: Array<{ readonly tableArn: string; readonly actions: string[] }> = [];
  /** Every bucket access granted to this function: the S3 endpoint policy is derived from these. */
  public readonly bucketAccess: Array<{ readonly bucketArn: string; readonly actions: string[] }> = [];
  private readonly statements: PolicyStatement[] = [];
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
    suppressVpcFunctionRules({ function: fn, logGroup, rolePolicy: policy }, shapeInput);

    if (this.onFailureDestinationArn || props.maximumRetryAttempts !== undefined) {
      new LambdaFunctionEventInvokeConfig(this, 'event_invoke_config', {
        functionName: fn.functionName,
        maximumRetryAttempts: props.maximumRetryAttempts ?? 2,
        destinationConfig: this.onFailureDestinationArn ? { onFailure: { destination: this.onFailureDestinationArn } } : undefined,
      });
    }
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

  /** Allows `actions` on a table, and on its indexes when an action reads them (Query, Scan). */
  addTableAccess(tableArn: string, actions: string[]): void {
    const resources = actions.some((a) => DYNAMODB_INDEX_ACTIONS.includes(a)) ? [tableArn, `${tableArn}/index/*`] : [tableArn];
    this.addToRolePolicy({ Effect: 'Allow', Action: [...actions], Resource: resources });
    this.tableAccess.push({ tableArn, actions: [...actions] });
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
