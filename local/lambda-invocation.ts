import { randomUUID } from 'node:crypto';

/**
 * What the Lambda runtime hands a handler, for running the bundles outside Lambda
 * (npm run local, bench, soak): a function URL event (payload 2.0) and a context.
 */

/** A function URL / API Gateway HTTP API event whose body is `body` as JSON. */
export function proxyEvent(body: unknown): object {
  return {
    version: '2.0',
    rawPath: '/',
    headers: { 'content-type': 'application/json' },
    requestContext: { http: { method: 'POST', path: '/' }, requestId: randomUUID() },
    body: JSON.stringify(body),
    isBase64Encoded: false,
  };
}

/** The parts of the Lambda context the handlers read. */
export function lambdaContext(name: string): object {
  return { functionName: `vpc-lambda-dynamodb-${name}`, awsRequestId: randomUUID(), getRemainingTimeInMillis: () => 30000 };
}
