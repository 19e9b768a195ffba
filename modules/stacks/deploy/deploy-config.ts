import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../../private/config-error';
import { NAT_MODES } from '../../constructs/nat-gateways';
import { FLOW_LOG_FORMATS } from '../../constructs/flow-logs';
import { INTERFACE_ENDPOINT_SERVICES } from '../../constructs/interface-endpoints';
import { DATABASE_AUTH_MODES, DEFAULT_DATABASE_INSTANCE_CLASS } from '../../constructs/postgres-database';
import { LAMBDA_APPLICATION_LOG_LEVELS, LAMBDA_ARCHITECTURES, LAMBDA_SYSTEM_LOG_LEVELS, LAMBDA_TRACING_MODES } from '../../constructs/vpc-function';

/** The deploy stack's default region and its zones. */
const DEFAULT_REGION = 'us-east-1';
const DEFAULT_ZONES = ['us-east-1a', 'us-east-1b'] as const;

/**
 * The deploy stack's configuration: a JSON file (`--config`), parsed by zod so a wrong
 * key or type is reported by its path before any construct runs. Every key is optional;
 * the defaults are the recommended system (new 10.0.0.0/16 VPC in us-east-1 over two
 * AZs, DynamoDB endpoint scoped to the system's tables, no NAT, flow logs kept 30 days,
 * both functions, both tables, a private PostgreSQL with IAM authentication).
 */
export const DeployConfigSchema = z
  .object({
    stackName: z.string().regex(/^[a-z][a-z0-9-]*$/, 'lowercase letters, digits and hyphens').default('vpc-lambda-dynamodb'),
    namePrefix: z.string().default('vpc-lambda-dynamodb'),
    region: z.string().default(DEFAULT_REGION),
    // Not given: us-east-1a/b in the default region, else the region's first two zones (read at plan).
    availabilityZones: z.array(z.string()).optional(),
    vpcCidr: z.string().default('10.0.0.0/16'),
    privateSubnetCidrs: z.array(z.string()).optional(),
    publicSubnetCidrs: z.array(z.string()).optional(),
    existingVpc: z
      .object({
        vpcId: z.string(),
        privateSubnetIds: z.array(z.string()),
        privateRouteTableIds: z.array(z.string()),
      })
      .strict()
      .optional(),
    natMode: z.enum(NAT_MODES).default('none'),
    flowLogs: z
      .object({
        enabled: z.boolean().default(true),
        retentionInDays: z.number().int().default(30),
        kmsKeyArn: z.string().optional(),
        format: z.enum(FLOW_LOG_FORMATS).optional(),
      })
      .strict()
      .default({ enabled: true, retentionInDays: 30 }),
    accountId: z.string().optional(),
    endpointPolicy: z.enum(['system-tables', 'open']).optional(),
    // Not given: on for a created VPC, off for an adopted one (its route tables carry other workloads' S3 traffic).
    s3GatewayEndpoint: z.boolean().optional(),
    interfaceEndpoints: z.array(z.enum(INTERFACE_ENDPOINT_SERVICES)).optional(),
    functions: z
      .object({
        enabled: z.boolean().default(true),
        memorySize: z.number().int().default(256),
        timeout: z.number().int().default(30),
        architecture: z.enum(LAMBDA_ARCHITECTURES).default('arm64'),
        reservedConcurrency: z.number().int().optional(),
        logRetentionInDays: z.number().int().default(30),
        allowInternetEgress: z.boolean().default(false),
        applicationLogLevel: z.enum(LAMBDA_APPLICATION_LOG_LEVELS).optional(),
        systemLogLevel: z.enum(LAMBDA_SYSTEM_LOG_LEVELS).optional(),
        failureQueueEnabled: z.boolean().optional(),
        maximumRetryAttempts: z.number().int().optional(),
        tracing: z.enum(LAMBDA_TRACING_MODES).optional(),
      })
      .strict()
      .default({ enabled: true, memorySize: 256, timeout: 30, architecture: 'arm64', logRetentionInDays: 30, allowInternetEgress: false }),
    tables: z
      .object({
        create: z.boolean().default(true),
        deletionProtection: z.boolean().default(true),
        kmsKeyArn: z.string().optional(),
        existing: z
          .object({
            products: z.object({ name: z.string(), arn: z.string() }).strict(),
            userActivity: z.object({ name: z.string(), arn: z.string() }).strict(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .default({ create: true, deletionProtection: true }),
    database: z
      .object({
        enabled: z.boolean().default(true),
        auth: z.enum(DATABASE_AUTH_MODES).default('iam'),
        instanceClass: z.string().default(DEFAULT_DATABASE_INSTANCE_CLASS),
        deletionProtection: z.boolean().default(true),
        multiAz: z.boolean().optional(),
        performanceInsights: z.boolean().optional(),
        monitoringIntervalSeconds: z.number().int().optional(),
        kmsKeyArn: z.string().optional(),
        existing: z
          .object({
            securityGroupId: z.string(),
            host: z.string(),
            port: z.number().int().optional(),
            databaseName: z.string(),
            resourceId: z.string(),
            instanceArn: z.string(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .default({ enabled: true, auth: 'iam', instanceClass: DEFAULT_DATABASE_INSTANCE_CLASS, deletionProtection: true }),
    logKmsKeyArn: z.string().optional(),
    tags: z.record(z.string(), z.string()).default({ Project: 'vpc-lambda-dynamodb', ManagedBy: 'terraform' }),
  })
  .strict();

/** A complete deploy configuration, defaults filled in. */
export type DeployConfig = z.infer<typeof DeployConfigSchema>;

/** Input a caller may give: any subset of {@link DeployConfig}. */
export type DeployConfigInput = z.input<typeof DeployConfigSchema>;

/** Validates a configuration object; the error names the first offending key. */
export function parseDeployConfig(input: unknown, source = 'config'): DeployConfig {
  const result = DeployConfigSchema.safeParse(input ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue.path.length > 0 ? issue.path.join('.') : source;
    throw new ConfigError(path, issue.message);
  }
  const config = result.data;
  return { ...config, availabilityZones: config.availabilityZones ?? (config.region === DEFAULT_REGION ? [...DEFAULT_ZONES] : undefined) };
}

/** Reads and validates a JSON configuration file. */
export function loadDeployConfig(file: string): DeployConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError('--config', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError('--config', `${file} is not valid JSON: ${(error as Error).message}`);
  }
  return parseDeployConfig(json, file);
}
