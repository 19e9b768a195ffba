import { TerraformResource } from 'cdktf';

/**
 * A scanner rule a default of this project deliberately does not follow, and why. Written
 * into the configuration so Checkov, Trivy and `npm run check` read the same reason: in the
 * synthesized JSON under the resource's `//` comment key (Terraform ignores it), and in the
 * published module's HCL as `#checkov:skip=ID:reason` inside the block and `#trivy:ignore:ID`
 * above it (the HCL printer writes them).
 */
export interface ScannerSuppression {
  /** Checkov ids (`CKV_AWS_272`). */
  readonly checkov: readonly string[];
  /** Trivy ids (`AVD-AWS-0017`). */
  readonly trivy: readonly string[];
  /** Why the default differs, and how to opt in: one line, no newline (Checkov reads to the line end). */
  readonly reason: string;
}

/** The key under a resource's `//` comment that holds its suppressions. */
export const SUPPRESSIONS_COMMENT_KEY = 'suppressions';

/**
 * Every deliberate difference from the scanners' defaults, by name. docs/check.md lists them
 * ("Scanner rules this project deliberately does not follow"); a test keeps the two equal.
 */
export const DELIBERATE_DEFAULTS = {
  lambdaCodeSigning: {
    checkov: ['CKV_AWS_272'],
    trivy: [],
    reason: 'no code signing: source_code_hash pins the exact zip (its SHA-256, what Lambda reports as CodeSha256); signing needs a signer profile and signed artifacts in S3',
  },
  lambdaDeadLetterQueue: {
    checkov: ['CKV_AWS_116'],
    trivy: [],
    reason: 'no DLQ: a synchronous caller gets the error itself; asynchronous failures go to an on-failure destination (failure_queue_enabled / failureQueueEnabled), which Lambda prefers to a DLQ',
  },
  lambdaEnvironmentKms: {
    checkov: ['CKV_AWS_173'],
    trivy: [],
    reason: 'the environment holds table names and endpoints, never secrets (npm run check VLD007); Lambda encrypts it at rest with its AWS managed key',
  },
  lambdaConcurrency: {
    checkov: ['CKV_AWS_115'],
    trivy: [],
    reason: 'reserved concurrency takes capacity from the account pool: opt in per function (reserved_concurrency / reservedConcurrency)',
  },
  lambdaTracing: {
    checkov: [],
    trivy: ['AVD-AWS-0066'],
    reason: 'X-Ray Active needs a path to X-Ray from the private subnets (NAT or an interface endpoint, a fixed monthly cost): opt in per function (tracing_mode / tracing = Active)',
  },
  logGroupKms: {
    checkov: ['CKV_AWS_158'],
    trivy: ['AVD-AWS-0017'],
    reason: 'CloudWatch Logs encrypts at rest; a customer managed key (1 USD/month and a key policy for logs) is opt-in (log_kms_key_arn, flow_log_kms_key_arn / logKmsKeyArn, flowLogs.kmsKeyArn)',
  },
  logGroupYearRetention: {
    checkov: ['CKV_AWS_338'],
    trivy: [],
    reason: '30 days by default (logs are billed per GB-month); set 365 days or more where an audit asks (log_retention_days / logRetentionInDays)',
  },
  dynamoDbCustomerKey: {
    checkov: ['CKV_AWS_119'],
    trivy: ['AVD-AWS-0025'],
    reason: 'encrypted with the AWS managed key (aws/dynamodb, in your KMS and CloudTrail); a customer managed key is opt-in (kms_key_arn of a table / kmsKeyArn)',
  },
  rdsMultiAz: {
    checkov: ['CKV_AWS_157'],
    trivy: [],
    reason: 'a standby in a second AZ doubles the instance cost: opt in with database_multi_az / database.multiAz',
  },
  rdsEnhancedMonitoring: {
    checkov: ['CKV_AWS_118'],
    trivy: [],
    reason: 'OS metrics at 1-60 s cost CloudWatch Logs ingestion: opt in with database_monitoring_interval / database.monitoringIntervalSeconds',
  },
  rdsPerformanceInsightsKey: {
    checkov: ['CKV_AWS_354'],
    trivy: ['AVD-AWS-0078'],
    reason: 'Performance Insights data is encrypted with the AWS managed key (aws/rds), as the storage is; a customer managed key is opt-in (database_kms_key_arn / database.kmsKeyArn)',
  },
  lambdaEniWildcard: {
    checkov: ['CKV_AWS_355', 'CKV_AWS_290'],
    trivy: [],
    reason: 'Resource "*" only for the ENI actions Lambda uses to attach the function to the VPC (the ENIs do not exist before, as in AWSLambdaVPCAccessExecutionRole) and X-Ray writes; every other statement names its resources (npm run check VLD021)',
  },
} as const satisfies Record<string, ScannerSuppression>;

/** One of {@link DELIBERATE_DEFAULTS}. */
export type DeliberateDefault = keyof typeof DELIBERATE_DEFAULTS;

const written = new WeakMap<TerraformResource, ScannerSuppression[]>();

/** Writes the suppressions of these deliberate defaults onto a resource (once each). */
export function suppressScannerRules(resource: TerraformResource, ...names: DeliberateDefault[]): void {
  const list = written.get(resource) ?? [];
  for (const name of names) {
    const s = DELIBERATE_DEFAULTS[name];
    if (!list.includes(s)) list.push(s);
  }
  written.set(resource, list);
  resource.addOverride(`//.${SUPPRESSIONS_COMMENT_KEY}`, list.map((s) => ({ checkov: [...s.checkov], trivy: [...s.trivy], reason: s.reason })));
}
