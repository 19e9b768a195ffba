import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { policyJson } from '../private/iam-statements';
import { ConfigError } from '../private/config-error';
import { checkProps, PropSpec } from '../private/known-props';
import { suppressLogGroupRules, validateLogRetention } from '../private/log-retention';
import { awsPartition } from '../private/partition';
import { awsRegion } from '../private/region';
import { countWhen, counted, countedOne, isLiteral, tagsWithName } from '../private/tokens';
import { checkFramework } from '../private/framework';

/** Flow-log record formats: AWS's default (version 2 fields), or the default plus the v5 fields that tell an endpoint path from a NAT one. */
export const FLOW_LOG_FORMATS = ['default', 'v5'] as const;
export type FlowLogFormat = (typeof FLOW_LOG_FORMATS)[number];

/** AWS's default fields, in its order (what a flow log with no log_format writes). */
const DEFAULT_FIELDS = ['version', 'account-id', 'interface-id', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'packets', 'bytes', 'start', 'end', 'action', 'log-status'];
/** The v5 fields `verify --evidence flow-logs` reads: the addresses behind a NAT, the AWS service, the direction and the path (7: a gateway endpoint). */
const V5_FIELDS = ['pkt-srcaddr', 'pkt-dstaddr', 'pkt-dst-aws-service', 'flow-direction', 'traffic-path'];

/**
 * The `log_format` for a format, `$${field}` escaped as Terraform needs it (a bare `${` would be
 * read as interpolation); undefined for the default, so the flow log keeps AWS's own.
 */
export function flowLogFormatString(format: FlowLogFormat): string | undefined {
  return format === 'v5' ? [...DEFAULT_FIELDS, ...V5_FIELDS].map((f) => `$\${${f}}`).join(' ') : undefined;
}

/** Props of {@link FlowLogs}. */
export interface FlowLogsProps {
  /** Name prefix: log group `/aws/vpc/flow-logs/<prefix>`, role `<prefix>-flow-logs`. */
  readonly namePrefix: string;
  /**
   * Region of the VPC, for the trust policy's `aws:SourceArn`.
   * @default the stack's AWS provider's region (`data "aws_region"` when it is not a literal)
   */
  readonly region?: string;
  /** The VPC whose traffic is logged (all of it: accepted and rejected). */
  readonly vpcId: string;
  /** Account that owns the VPC: the trust policy's `aws:SourceAccount`, against the confused deputy. */
  readonly accountId: string;
  /**
   * Whether flow logs are created. May be a Terraform expression.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Days CloudWatch keeps the flow logs; one of the values CloudWatch accepts.
   * @default 30
   */
  readonly retentionInDays?: number;
  /**
   * KMS key ARN to encrypt the log group with.
   * @default undefined: CloudWatch's own encryption
   */
  readonly kmsKeyArn?: string;
  /**
   * Record format: `default` (AWS's 14 fields) or `v5` (those plus pkt-srcaddr, pkt-dstaddr,
   * pkt-dst-aws-service, flow-direction, traffic-path: about 36% more bytes per record (109 to 148 characters on a sample DynamoDB record)). May
   * be a Terraform expression that evaluates to a log_format string or null.
   * @default 'default'
   */
  readonly format?: FlowLogFormat;
  /**
   * Tags besides `Name`.
   * @default {}
   */
  readonly tags?: Record<string, string>;
}

/** Every prop of {@link FlowLogsProps}: unknown ones are refused (see checkProps). */
const FLOW_LOGS_PROPS = {
  namePrefix: 'required',
  region: 'optional',
  vpcId: 'required',
  accountId: 'required',
  enabled: 'optional',
  retentionInDays: 'optional',
  kmsKeyArn: 'optional',
  format: 'optional',
  tags: 'optional',
} as const satisfies PropSpec<FlowLogsProps>;

/**
 * VPC flow logs to CloudWatch: the seed's way to see that Lambda's traffic goes to
 * DynamoDB's prefix list and nowhere else. A log group with retention, a role only the
 * VPC flow-logs service of this account and region can assume, and the flow log itself.
 */
export class FlowLogs extends Construct {
  /** Name of the log group, or null when disabled (an output reads it: a name for nothing would mislead). */
  public readonly logGroupName: string;
  /** The flow log id, or null when disabled. */
  public readonly flowLogId: string;
  /** ARN of the log group, or null when disabled. */
  public readonly logGroupArn: string;
  /** Whether flow logs are created. */
  public readonly enabled: boolean;

  constructor(scope: Construct, id: string, props: FlowLogsProps) {
    super(scope, id);
    checkFramework(this, 'FlowLogs');
    checkProps('flowLogs', props, 'FlowLogsProps', FLOW_LOGS_PROPS);
    const enabled = props.enabled ?? true;
    const retention = props.retentionInDays ?? 30;
    const tags = props.tags ?? {};
    validateLogRetention('flowLogs.retentionInDays', retention);
    const format = props.format ?? 'default';
    if (isLiteral(format) && !(FLOW_LOG_FORMATS as readonly string[]).includes(format)) {
      throw new ConfigError('flowLogs.format', `"${String(format)}" is not a flow-log format; expected one of ${FLOW_LOG_FORMATS.join(', ')}`);
    }
    // Only read when flow logs are on: an adopted VPC with flow logs off has no account id to give.
    if (enabled !== false && isLiteral(props.accountId) && props.accountId !== undefined && !/^\d{12}$/.test(props.accountId)) {
      throw new ConfigError('accountId', `"${props.accountId}" is not a 12-digit AWS account id`);
    }
    this.enabled = enabled;
    const logGroupName = `/aws/vpc/flow-logs/${props.namePrefix}`;
    if (enabled === false) {
      this.flowLogId = '';
      this.logGroupArn = '';
      this.logGroupName = '';
      return;
    }

    const count = () => countWhen(enabled);
    const partition = awsPartition(this);
    const region = awsRegion(this, props.region);
    const logGroup = new CloudwatchLogGroup(this, 'log_group', {
      count: count(),
      name: logGroupName,
      retentionInDays: retention,
      kmsKeyId: props.kmsKeyArn,
      tags: tagsWithName(tags, logGroupName),
    });
    suppressLogGroupRules(logGroup, retention, props.kmsKeyArn);

    const role = new IamRole(this, 'role', {
      count: count(),
      name: `${props.namePrefix}-flow-logs`,
      assumeRolePolicy: policyJson(() => [
        {
          Effect: 'Allow',
          Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
          Action: ['sts:AssumeRole'],
          Condition: {
            StringEquals: { 'aws:SourceAccount': props.accountId },
            ArnLike: { 'aws:SourceArn': `arn:${partition}:ec2:${region}:${props.accountId}:vpc-flow-log/*` },
          },
        },
      ]),
      tags: tagsWithName(tags, `${props.namePrefix}-flow-logs`),
    });

    const logGroupArn = counted(logGroup, '[0].arn');
    new IamRolePolicy(this, 'role_policy', {
      count: count(),
      name: 'write-flow-logs',
      role: counted(role, '[0].id'),
      policy: policyJson(() => [
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogGroups', 'logs:DescribeLogStreams'],
          Resource: [logGroupArn, `${logGroupArn}:*`],
        },
      ]),
    });

    const flowLog = new FlowLog(this, 'flow_log', {
      count: count(),
      vpcId: props.vpcId,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: logGroupArn,
      iamRoleArn: counted(role, '[0].arn'),
      // One-minute windows: the seed's troubleshooting reads these while a test runs.
      maxAggregationInterval: 60,
      logFormat: isLiteral(format) ? flowLogFormatString(format) : format,
      tags: tagsWithName(tags, `${props.namePrefix}-vpc`),
    });
    this.flowLogId = countedOne(flowLog, 'id');
    this.logGroupArn = countedOne(logGroup, 'arn');
    this.logGroupName = isLiteral(enabled) ? logGroupName : countedOne(logGroup, 'name');
  }
}
