import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from './config-error';
import { NAT_MODES } from './nat-gateways';

/**
 * The deploy stack's configuration: a JSON file (`--config`), parsed by zod so a wrong
 * key or type is reported by its path before any construct runs. Every key is optional;
 * the defaults are the recommended system (new 10.0.0.0/16 VPC in us-east-1 over two
 * AZs, DynamoDB endpoint, no NAT, flow logs kept 30 days).
 */
export const DeployConfigSchema = z
  .object({
    stackName: z.string().regex(/^[a-z][a-z0-9-]*$/, 'lowercase letters, digits and hyphens').default('vpc-lambda-dynamodb'),
    namePrefix: z.string().default('vpc-lambda-dynamodb'),
    region: z.string().default('us-east-1'),
    availabilityZones: z.array(z.string()).default(['us-east-1a', 'us-east-1b']),
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
      })
      .strict()
      .default({ enabled: true, retentionInDays: 30 }),
    accountId: z.string().optional(),
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
  return result.data;
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
