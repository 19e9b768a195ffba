/**
 * The SDK clients `verify` reads with: one per service per region, the SDK's standard retry
 * mode, and credentials and endpoints exactly as the SDK resolves them (profiles, the
 * environment, `AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_<SERVICE>`). Nothing here writes.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';

export interface LiveClients {
  readonly region: string;
  readonly lambda: LambdaClient;
  readonly ec2: EC2Client;
  readonly iam: IAMClient;
  readonly dynamodb: DynamoDBClient;
}

/** Clients for one region; `maxAttempts` is the SDK's default (3) unless given; `credentials` (an assumed role's) replace the SDK's chain. */
export function liveClients(region: string, options: { maxAttempts?: number; credentials?: AwsCredentialIdentityProvider } = {}): LiveClients {
  const config = { region, retryMode: 'standard' as const, ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}), ...(options.credentials ? { credentials: options.credentials } : {}) };
  return {
    region,
    lambda: new LambdaClient(config),
    ec2: new EC2Client(config),
    iam: new IAMClient(config),
    dynamodb: new DynamoDBClient(config),
  };
}

/** Closes the clients' sockets so the process can exit. */
export function destroyClients(clients: LiveClients): void {
  for (const c of [clients.lambda, clients.ec2, clients.iam, clients.dynamodb]) c.destroy();
}
