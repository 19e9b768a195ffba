/**
 * Tells "the dependency is down or overloaded, try later" (503) from everything else (500).
 * A 503 is what a caller can retry; a 500 means the code or configuration is wrong.
 */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
]);

/** True when an AWS SDK error means DynamoDB could not be reached or refused for load. */
export function isDynamoDbUnavailable(error: unknown): boolean {
  const e = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; cause?: unknown };
  if (!e || typeof e !== 'object') return false;
  if (e.code && NETWORK_CODES.has(e.code)) return true;
  if (e.name && THROTTLING.has(e.name)) return true;
  if ((e.$metadata?.httpStatusCode ?? 0) >= 500) return true;
  if (e.cause && isDynamoDbUnavailable(e.cause)) return true;
  // The SDK wraps a thrown value that is not an Error of its own realm ("AWS SDK error
  // wrapper for Error: connect ECONNREFUSED ..."), keeping only the message.
  if (/\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|socket hang up)\b/.test((error as { message?: string }).message ?? '')) return true;
  // AggregateError from Node's happy-eyeballs connect carries the codes in `errors`.
  const inner = (error as { errors?: unknown[] }).errors;
  return Array.isArray(inner) && inner.some(isDynamoDbUnavailable);
}

/**
 * True when a PostgreSQL error means the connection is unusable (network, shutdown,
 * connection-class SQLSTATE 08xxx, operator intervention 57xxx). A query error with any
 * other SQLSTATE leaves the connection healthy.
 */
export function isPostgresConnectionError(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  if (!e || typeof e !== 'object') return false;
  if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code.startsWith('08') || e.code.startsWith('57');
  if (e.code && NETWORK_CODES.has(e.code)) return true;
  return /connection|terminated|timeout|ECONN|socket/i.test(e.message ?? '');
}
