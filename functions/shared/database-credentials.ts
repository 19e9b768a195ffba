import { readFileSync } from 'node:fs';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Signer } from '@aws-sdk/rds-signer';
import { ClientConfig } from 'pg';
import { requiredEnv } from './dynamodb-client';

/**
 * How the function proves who it is to PostgreSQL. Never a password in an environment
 * variable or in Terraform state:
 * - `iam` (default): a 15-minute RDS IAM auth token, signed locally from the function's
 *   role credentials (no call leaves the VPC, so no NAT or interface endpoint is needed);
 * - `secret`: the RDS-managed secret in Secrets Manager, read once per container;
 * - `local`: for local runs and tests only, the password read from a file; refused on Lambda.
 * On RDS the server certificate is verified (the RDS CA comes in through NODE_EXTRA_CA_CERTS).
 */
export type DatabaseAuth = 'iam' | 'secret' | 'local';

export function databaseAuth(): DatabaseAuth {
  const mode = (process.env.DB_AUTH ?? 'iam') as DatabaseAuth;
  if (!['iam', 'secret', 'local'].includes(mode)) throw new Error(`DB_AUTH must be iam, secret or local, not "${mode}"`);
  if (mode === 'local' && process.env.AWS_LAMBDA_FUNCTION_NAME) throw new Error('DB_AUTH=local is for local runs only');
  return mode;
}

let cachedSecret: Promise<{ username: string; password: string }> | undefined;
function secret(): Promise<{ username: string; password: string }> {
  cachedSecret ??= new SecretsManagerClient({ region: process.env.AWS_REGION })
    .send(new GetSecretValueCommand({ SecretId: requiredEnv('DB_SECRET_ARN') }))
    .then((out) => JSON.parse(out.SecretString ?? '{}') as { username: string; password: string })
    .catch((error) => {
      cachedSecret = undefined; // a failed read is retried by the next connection
      throw error;
    });
  return cachedSecret;
}

/** Connection settings; `password` is a function pg calls for every new connection. */
export function databaseConnectionConfig(applicationName: string): ClientConfig {
  const auth = databaseAuth();
  const host = requiredEnv('DB_HOST');
  const port = Number(process.env.DB_PORT ?? 5432);
  const user = requiredEnv('DB_USER');
  const base: ClientConfig = {
    host,
    port,
    user,
    database: requiredEnv('DB_NAME'),
    application_name: applicationName,
    connectionTimeoutMillis: 3000,
    query_timeout: 5000,
    keepAlive: true,
  };
  if (auth === 'local') {
    const file = requiredEnv('DB_PASSWORD_FILE');
    return { ...base, password: () => Promise.resolve(readFileSync(file, 'utf8').trim()) };
  }
  const ssl = { rejectUnauthorized: true };
  if (auth === 'secret') {
    return { ...base, ssl, password: async () => (await secret()).password };
  }
  const signer = new Signer({ hostname: host, port, username: user, region: process.env.AWS_REGION });
  return { ...base, ssl, password: () => signer.getAuthToken() };
}
