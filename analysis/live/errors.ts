/**
 * What can go wrong when `verify` reads a live account, as two kinds the CLI tells apart: the
 * user named something that is not there (exit 2), or the verifier could not look (exit 3:
 * its own AccessDenied, expired or missing credentials, throttling after the SDK's retries).
 */

/** A function (or other named input) the account does not have: one line naming it and the region. */
export class LiveInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LiveInputError';
  }
}

/** Why the verifier could not look: the denied actions, or the credentials/throttling problem. */
export class CouldNotLook extends Error {
  constructor(
    readonly problems: ReadonlyArray<{ readonly action: string; readonly reason: string }>,
  ) {
    super(problems.map((p) => `${p.action}: ${p.reason}`).join('; '));
    this.name = 'CouldNotLook';
  }
}

const DENIED = /^(AccessDenied|AccessDeniedException|UnauthorizedOperation|UnauthorizedAccess|AuthorizationError|Forbidden)$/;
const CREDENTIALS = /^(ExpiredToken|ExpiredTokenException|InvalidClientTokenId|UnrecognizedClientException|AuthFailure|InvalidAccessKeyId|SignatureDoesNotMatch|IncompleteSignature)$/;
const THROTTLED = /^(Throttling|ThrottlingException|RequestLimitExceeded|TooManyRequestsException|ProvisionedThroughputExceededException|RequestThrottled|RequestThrottledException|SlowDown)$/;

/** The SDK error's name (its AWS error code), or undefined for something that is not an AWS answer. */
export function errorCode(error: unknown): string | undefined {
  const e = error as { name?: unknown; Code?: unknown; code?: unknown };
  const name = typeof e?.Code === 'string' ? e.Code : typeof e?.name === 'string' ? e.name : undefined;
  return name;
}

/**
 * When `error` means the verifier could not look, the reason in a few words; undefined
 * otherwise (a real answer such as "not found", which the caller handles).
 */
export function couldNotLookReason(error: unknown): string | undefined {
  const code = errorCode(error);
  const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  if ((error as Error)?.name === 'CredentialsProviderError' || /Could not load credentials/i.test((error as Error)?.message ?? '')) return 'no credentials (Could not load credentials from any providers)';
  if (code && DENIED.test(code)) return `access denied (${code})`;
  if (code && CREDENTIALS.test(code)) return `credentials refused (${code})`;
  if (code && THROTTLED.test(code)) return `throttled after retries (${code})`;
  if (status === 503 || status === 429) return `throttled after retries (HTTP ${status})`;
  // The SDK wraps a socket error ("AWS SDK error wrapper for Error: connect ECONNREFUSED ...").
  const sys = (error as NodeJS.ErrnoException)?.code ?? /\b(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|EAI_AGAIN)\b/.exec((error as Error)?.message ?? '')?.[1];
  if (sys && /^(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|EAI_AGAIN)$/.test(sys)) return `endpoint unreachable (${sys})`;
  return undefined;
}
