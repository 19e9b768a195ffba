import { CloudwatchLogGroupConfig } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRoleConfig } from '@cdktf/provider-aws/lib/iam-role';
import { LambdaFunctionConfig } from '@cdktf/provider-aws/lib/lambda-function';
import { SecurityGroupConfig } from '@cdktf/provider-aws/lib/security-group';
import { SqsQueueConfig } from '@cdktf/provider-aws/lib/sqs-queue';
import { VpcSecurityGroupEgressRuleConfig } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { TerraformResource } from 'cdktf';
import type { FunctionCodeConfig } from './function-code';
import type { LAMBDA_APPLICATION_LOG_LEVELS, LAMBDA_ARCHITECTURES, LAMBDA_RUNTIMES, LAMBDA_SYSTEM_LOG_LEVELS, LAMBDA_TRACING_MODES } from './vpc-function';
import { PolicyStatement, policyJson } from '../private/iam-statements';
import { suppressLogGroupRules } from '../private/log-retention';
import { suppressScannerRules } from '../private/scanner-suppressions';
import { isLiteral, tagsWithName } from '../private/tokens';

// The one description of the resources a VPC function is made of. Both envelopes build their
// functions from it: VpcFunction, one function whose values are literals (or any expression),
// and the published module, `for_each = var.functions`, whose values are `each.value.<field>`
// and whose names come from `each.key`. So the envelopes differ only in how a value is
// referenced and in what each owns besides (the constructs' grants; the module's per-key
// policies and its lifecycle rules for states moved from 0.1), and a change to a function's
// resources is made once, here.

/** What a function gets when a setting is left out (the module's `functions` type uses the same). */
export const VPC_FUNCTION_DEFAULTS = {
  handler: 'index.handler',
  runtime: 'nodejs22.x',
  architecture: 'arm64',
  memorySize: 256,
  timeout: 30,
  tracing: 'PassThrough',
  logRetentionInDays: 30,
  applicationLogLevel: 'INFO',
  systemLogLevel: 'WARN',
} as const satisfies {
  // Type-only checks that each default is a value Lambda accepts (the lists live in vpc-function.ts).
  runtime: (typeof LAMBDA_RUNTIMES)[number];
  architecture: (typeof LAMBDA_ARCHITECTURES)[number];
  tracing: (typeof LAMBDA_TRACING_MODES)[number];
  applicationLogLevel: (typeof LAMBDA_APPLICATION_LOG_LEVELS)[number];
  systemLogLevel: (typeof LAMBDA_SYSTEM_LOG_LEVELS)[number];
  [setting: string]: string | number;
};

/** How long a failure queue keeps an event: SQS's maximum, 14 days. */
const FAILURE_QUEUE_RETENTION_S = 14 * 24 * 60 * 60;

/**
 * A function's choices, each a literal or a Terraform expression (`${each.value.timeout}`);
 * a setting left undefined gets its {@link VPC_FUNCTION_DEFAULTS} value.
 */
export interface VpcFunctionShapeInput {
  /** The function's name; its role is `<name>-role`, its log group `/aws/lambda/<name>`, its security group `<name>-lambda`. */
  readonly name: string;
  readonly description?: string;
  readonly handler?: string;
  readonly runtime?: string;
  readonly architecture?: string;
  readonly memorySize?: number;
  readonly timeout?: number;
  readonly reservedConcurrency?: number;
  /** Lambda layer version ARNs, in order (zip functions only). */
  readonly layers?: string[];
  /** Publish a version on each code or configuration change (the alias of provisioned concurrency needs one). */
  readonly publish?: boolean;
  readonly tracing?: string;
  readonly applicationLogLevel?: string;
  readonly systemLogLevel?: string;
  readonly logRetentionInDays?: number;
  /** KMS key ARN for the log group; undefined or null: CloudWatch Logs' own encryption. */
  readonly logKmsKeyArn?: string;
  readonly vpcId: string;
  readonly subnetIds: string[];
  /** Which text the security group's description has: see {@link FUNCTION_SECURITY_GROUP_DESCRIPTIONS}. */
  readonly securityGroupWording: keyof typeof FUNCTION_SECURITY_GROUP_DESCRIPTIONS;
  /** Tags besides `Name`. */
  readonly tags: Record<string, string>;
}

/** What the envelope supplies to the function once its other resources exist. */
export interface VpcFunctionWiring {
  readonly roleArn: string;
  readonly logGroupName: string;
  readonly securityGroupId: string;
  /** The environment variables: the envelope gathers them (grants, the database, the caller's). */
  readonly environment: Record<string, string>;
  /** Where the code is: a local zip (`filename`) or an S3 object, and the hash that redeploys it. */
  readonly code: FunctionCodeConfig;
}

/**
 * A function security group's description, in the words each envelope first created its
 * groups with. AWS cannot change a description in place: a new text would replace the group,
 * and the function's network interfaces with it. The constructs (and module 0.1) wrote the
 * first, naming the group (FunctionSecurityGroup knows no function); the module since 0.2 the
 * second, naming the function and saying what may be granted (the module ignores changes to
 * it, so groups moved from 0.1 keep their text).
 */
export const FUNCTION_SECURITY_GROUP_DESCRIPTIONS = {
  constructs: (names: { group: string }) => `Lambda ${names.group}: egress to DynamoDB (and its database) only`,
  module: (names: { function: string }) => `Lambda ${names.function}: no ingress; egress to DynamoDB, and to its database or the internet when granted`,
} as const;

/** Who may assume a function's role: Lambda. */
const LAMBDA_ASSUME_ROLE_STATEMENT: PolicyStatement = { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: ['sts:AssumeRole'] };

/** The arguments of one function's resources, bar the envelope's own (count or for_each, depends_on, lifecycle). */
export interface VpcFunctionShape {
  readonly logGroup: CloudwatchLogGroupConfig;
  readonly role: IamRoleConfig;
  readonly securityGroup: SecurityGroupConfig;
  /** The function, once its role, log group and security group can be referenced. */
  function(wiring: VpcFunctionWiring): LambdaFunctionConfig;
}

/** The log group, role, security group and function of one VPC function. */
export function vpcFunctionShape(input: VpcFunctionShapeInput): VpcFunctionShape {
  const { name, tags } = input;
  const logGroupName = `/aws/lambda/${name}`;
  const groupName = `${name}-lambda`;
  return {
    logGroup: {
      name: logGroupName,
      retentionInDays: input.logRetentionInDays ?? VPC_FUNCTION_DEFAULTS.logRetentionInDays,
      kmsKeyId: input.logKmsKeyArn,
      tags: tagsWithName(tags, logGroupName),
    },
    role: {
      name: `${name}-role`,
      assumeRolePolicy: policyJson(() => [LAMBDA_ASSUME_ROLE_STATEMENT]),
      tags: tagsWithName(tags, `${name}-role`),
    },
    securityGroup: functionSecurityGroupShape({
      name: groupName,
      description: FUNCTION_SECURITY_GROUP_DESCRIPTIONS[input.securityGroupWording]({ group: groupName, function: name }),
      vpcId: input.vpcId,
      tags,
    }),
    function: (wiring) => ({
      functionName: name,
      description: input.description,
      role: wiring.roleArn,
      // An image carries its runtime and entry point: Lambda refuses a handler or runtime with one.
      ...(wiring.code.packageType === 'Image' || (wiring.code.imageUri !== undefined && isLiteral(wiring.code.imageUri))
        ? { packageType: 'Image' }
        : { handler: input.handler ?? VPC_FUNCTION_DEFAULTS.handler, runtime: input.runtime ?? VPC_FUNCTION_DEFAULTS.runtime }),
      architectures: [input.architecture ?? VPC_FUNCTION_DEFAULTS.architecture],
      ...wiring.code,
      layers: input.layers,
      publish: input.publish,
      memorySize: input.memorySize ?? VPC_FUNCTION_DEFAULTS.memorySize,
      timeout: input.timeout ?? VPC_FUNCTION_DEFAULTS.timeout,
      reservedConcurrentExecutions: input.reservedConcurrency,
      environment: { variables: wiring.environment },
      vpcConfig: { subnetIds: input.subnetIds, securityGroupIds: [wiring.securityGroupId] },
      tracingConfig: { mode: input.tracing ?? VPC_FUNCTION_DEFAULTS.tracing },
      // JSON application logs land in the function's own group (Lambda advanced logging).
      loggingConfig: {
        logFormat: 'JSON',
        logGroup: wiring.logGroupName,
        applicationLogLevel: input.applicationLogLevel ?? VPC_FUNCTION_DEFAULTS.applicationLogLevel,
        systemLogLevel: input.systemLogLevel ?? VPC_FUNCTION_DEFAULTS.systemLogLevel,
      },
      // Lambda's hyperplane ENIs otherwise hold the security group for up to ~40 minutes on
      // destroy (terraform-provider-aws #10329, #37046): swap in the VPC's default group first.
      replaceSecurityGroupsOnDestroy: true,
      tags: tagsWithName(tags, name),
    }),
  };
}

/**
 * A function's security group: no ingress (Lambda is invoked through its API, never by inbound
 * connections); its egress rules are separate resources (below), and Terraform removes AWS's
 * default allow-all egress when it creates the group.
 */
export function functionSecurityGroupShape(group: { name: string; description: string; vpcId: string; tags: Record<string, string> }): SecurityGroupConfig {
  return {
    name: group.name,
    description: group.description,
    vpcId: group.vpcId,
    revokeRulesOnDelete: true,
    // Lambda's hyperplane ENIs can hold the group for a while after the function is gone.
    timeouts: { delete: '45m' },
    tags: tagsWithName(group.tags, group.name),
  };
}

/** An egress rule of a function's security group, without the group it belongs to. */
export type FunctionEgressRule = Omit<VpcSecurityGroupEgressRuleConfig, 'securityGroupId'>;

/** Every function's egress: HTTPS to DynamoDB's prefix list, the gateway endpoint's path. */
export function dynamoDbHttpsEgress(dynamoDbPrefixListId: string): FunctionEgressRule {
  return { description: 'HTTPS to DynamoDB through the gateway endpoint', ipProtocol: 'tcp', fromPort: 443, toPort: 443, prefixListId: dynamoDbPrefixListId };
}

/** A function's egress when it may reach the internet: HTTPS anywhere, through NAT. */
export const INTERNET_HTTPS_EGRESS: FunctionEgressRule = { description: 'HTTPS to the internet through NAT', ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '0.0.0.0/0' };

/** The role's statement for the function's own log group (its streams: `<arn>:*`). */
export function writeOwnLogsStatement(logGroupArn: string): PolicyStatement {
  return { Sid: 'WriteOwnLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: [`${logGroupArn}:*`] };
}

/** A function's failure queue `<name>-failed-events`: SQS-managed encryption, 14 days. */
export function failureQueueShape(functionName: string, tags: Record<string, string>): SqsQueueConfig {
  const name = `${functionName}-failed-events`;
  return { name, sqsManagedSseEnabled: true, messageRetentionSeconds: FAILURE_QUEUE_RETENTION_S, tags: tagsWithName(tags, name) };
}

/**
 * The scanner findings a function and its log group are exempt from, each with its reason: no
 * code signing, DLQ or environment key ever; no reserved concurrency or X-Ray, the log group's
 * key and a year's retention unless chosen. A choice made by a Terraform expression (the
 * module's per-function variables) is the caller's, so it is exempted as not chosen here.
 */
export function suppressVpcFunctionRules(resources: { function: TerraformResource; logGroup: TerraformResource; rolePolicy: TerraformResource }, input: VpcFunctionShapeInput): void {
  suppressLogGroupRules(resources.logGroup, input.logRetentionInDays ?? VPC_FUNCTION_DEFAULTS.logRetentionInDays, input.logKmsKeyArn);
  suppressScannerRules(resources.function, 'lambdaCodeSigning', 'lambdaDeadLetterQueue', 'lambdaEnvironmentKms');
  if (input.reservedConcurrency === undefined || !isLiteral(input.reservedConcurrency)) suppressScannerRules(resources.function, 'lambdaConcurrency');
  if (input.tracing !== 'Active') suppressScannerRules(resources.function, 'lambdaTracing');
  suppressScannerRules(resources.rolePolicy, 'lambdaEniWildcard');
}
