import { LocalBackend, S3Backend, TerraformStack } from 'cdktf';
import { ConfigError } from '../../private/config-error';

/** Where the deploy stack keeps its Terraform state. */
export type StateBackend =
  | { readonly kind: 'local'; readonly path: string }
  | { readonly kind: 's3'; readonly bucket: string; readonly key: string; readonly region: string; readonly lockTable?: string };

/** The settings, by environment variable and by `cdktf.json` context key. Environment wins. */
export const STATE_BACKEND_SETTINGS = {
  bucket: { env: 'VLD_STATE_BUCKET', context: 'stateBucket' },
  key: { env: 'VLD_STATE_KEY', context: 'stateKey' },
  region: { env: 'VLD_STATE_REGION', context: 'stateRegion' },
  lockTable: { env: 'VLD_STATE_LOCK_TABLE', context: 'stateLockTable' },
} as const;

/**
 * Local state unless a bucket is configured; then S3, encrypted, with state locking: an S3
 * lock file (Terraform 1.10+) by default, or a DynamoDB lock table when one is named.
 * Each value comes from the environment or the `context` of cdktf.json, and each is
 * checked here so a typo fails at synth, naming the setting, not at `terraform init`.
 */
export function resolveStateBackend(
  env: Record<string, string | undefined>,
  context: Record<string, unknown>,
  defaults: { stackName: string; region: string },
): StateBackend {
  const read = (setting: keyof typeof STATE_BACKEND_SETTINGS): { value?: string; source: string } => {
    const { env: envName, context: contextKey } = STATE_BACKEND_SETTINGS[setting];
    if (env[envName] !== undefined && env[envName] !== '') return { value: env[envName], source: envName };
    const fromContext = context[contextKey];
    if (fromContext === undefined) return { source: `cdktf.json context.${contextKey}` };
    if (typeof fromContext !== 'string') throw new ConfigError(`cdktf.json context.${contextKey}`, `must be a string, got ${JSON.stringify(fromContext)}`);
    return { value: fromContext, source: `cdktf.json context.${contextKey}` };
  };
  const bucket = read('bucket');
  if (bucket.value === undefined) {
    for (const other of ['key', 'region', 'lockTable'] as const) {
      const setting = read(other);
      if (setting.value !== undefined) throw new ConfigError(setting.source, `is set but no state bucket is (${STATE_BACKEND_SETTINGS.bucket.env} or context.${STATE_BACKEND_SETTINGS.bucket.context}); S3 state needs a bucket`);
    }
    return { kind: 'local', path: 'terraform.tfstate' };
  }
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket.value) || bucket.value.includes('..')) {
    throw new ConfigError(bucket.source, `"${bucket.value}" is not an S3 bucket name (3 to 63 lowercase letters, digits, dots and hyphens)`);
  }
  const key = read('key');
  const keyValue = key.value ?? `${defaults.stackName}/terraform.tfstate`;
  if (keyValue.startsWith('/') || keyValue.endsWith('/') || keyValue.length > 1024) {
    throw new ConfigError(key.source, `"${keyValue}" must be an object key like env/stack/terraform.tfstate (no leading or trailing slash)`);
  }
  const region = read('region');
  const regionValue = region.value ?? defaults.region;
  if (!/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/.test(regionValue)) {
    throw new ConfigError(region.source, `"${regionValue}" is not an AWS region name like us-east-1`);
  }
  const lockTable = read('lockTable');
  if (lockTable.value !== undefined && !/^[A-Za-z0-9_.-]{3,255}$/.test(lockTable.value)) {
    throw new ConfigError(lockTable.source, `"${lockTable.value}" is not a DynamoDB table name (3 to 255 letters, digits, _ . -)`);
  }
  return { kind: 's3', bucket: bucket.value, key: keyValue, region: regionValue, lockTable: lockTable.value };
}

/** Declares the backend on a root stack. */
export function addStateBackend(stack: TerraformStack, backend: StateBackend): void {
  if (backend.kind === 'local') {
    new LocalBackend(stack, { path: backend.path });
    return;
  }
  new S3Backend(stack, {
    bucket: backend.bucket,
    key: backend.key,
    region: backend.region,
    encrypt: true,
    dynamodbTable: backend.lockTable,
  });
  // S3-native locking (Terraform 1.10+); CDKTF 0.21's S3Backend has no prop for it yet.
  if (!backend.lockTable) stack.addOverride('terraform.backend.s3.use_lockfile', true);
}
