import { createHash } from 'node:crypto';

/**
 * Idempotency keys: what makes two deliveries "the same event".
 *
 * - `Idempotency-Key` header of a function URL / API Gateway event (any letter case), or the
 *   `idempotencyKey` field of the input: a client's retry of a timed-out call sends the same one;
 * - the Lambda request id, for a direct invocation (not an HTTP event): Lambda retries a failed
 *   asynchronous (`Event`) invocation with the same request id. The runtime does not say whether
 *   a direct invocation is asynchronous; a synchronous one has a request id of its own, so keying
 *   it costs one write and never matches another event. HTTP events are always synchronous, and
 *   their request id is new on every call: it is never used as a key.
 *
 * No key: the handler behaves as it always did.
 */
export interface IdempotencyKey {
  readonly source: 'header' | 'body' | 'request-id';
  readonly value: string;
}

/** The longest key accepted (Stripe and the IETF draft use 255-ish; a UUID is 36). */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 256;

function isProxyEvent(event: unknown): event is { headers?: Record<string, string | undefined> } {
  return event !== null && typeof event === 'object' && 'requestContext' in event;
}

/** The header's value, whatever the letter case (function URLs lower-case it, REST APIs do not). */
function headerValue(event: unknown, name: string): string | undefined {
  if (!isProxyEvent(event) || !event.headers || typeof event.headers !== 'object') return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers)) if (key.toLowerCase() === wanted && typeof value === 'string') return value;
  return undefined;
}

/**
 * The key of this delivery, or a reason it is unusable (an empty or overlong header), or
 * undefined when the event carries none. `bodyKey` is the parsed input's `idempotencyKey`.
 */
export function idempotencyKeyOf(event: unknown, bodyKey: string | undefined, context?: { awsRequestId?: string }): IdempotencyKey | { invalid: string } | undefined {
  const header = headerValue(event, 'idempotency-key');
  if (header !== undefined) {
    const value = header.trim();
    if (value.length === 0 || value.length > MAX_IDEMPOTENCY_KEY_LENGTH) return { invalid: `Idempotency-Key header must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters` };
    if (bodyKey !== undefined && bodyKey !== value) return { invalid: 'Idempotency-Key header and idempotencyKey field differ' };
    return { source: 'header', value };
  }
  if (bodyKey !== undefined) return { source: 'body', value: bodyKey };
  if (!isProxyEvent(event) && typeof context?.awsRequestId === 'string' && context.awsRequestId.length > 0) return { source: 'request-id', value: context.awsRequestId };
  return undefined;
}

/** A stable digest (hex sha256) of a key or a payload: fixed length, nothing the client sent stored verbatim in a key. */
export function digest(value: unknown): string {
  return createHash('sha256').update(typeof value === 'string' ? value : JSON.stringify(value)).digest('hex');
}

/** True for the SDK's "the condition was false" error. */
export function isConditionalCheckFailed(error: unknown): boolean {
  return (error as { name?: string })?.name === 'ConditionalCheckFailedException';
}
