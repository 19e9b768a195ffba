import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The DynamoDB document client, built once per container and reused by warm invocations.
 * In a VPC the SDK's regional endpoint resolves to DynamoDB's public addresses and the
 * gateway endpoint's route carries the traffic: no endpoint override is needed on AWS.
 * `DYNAMODB_ENDPOINT` points local runs and tests at a local server.
 * Short timeouts and two attempts: a DynamoDB that is unreachable answers 503 within
 * seconds instead of holding the function until Lambda's own timeout.
 */
export function createDocumentClient(): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: process.env.AWS_REGION ?? 'us-east-1',
    endpoint: process.env.DYNAMODB_ENDPOINT || undefined,
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 2000, requestTimeout: 5000 },
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

/** Required environment variable, or a clear error at cold start. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}
