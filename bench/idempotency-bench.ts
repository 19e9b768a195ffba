/**
 * What exactly-once costs user-activity per invocation (functions/user-activity/handler.ts):
 * interleaved in one warm container, so both sides see the same machine state:
 * - no key: one conditional-free PutItem, as before;
 * - a new key (a first delivery): the idempotency record (conditional PutItem), then the activity;
 * - a redelivery of that key: the failed conditional put, a GetItem of the record, a put that
 *   creates nothing, and the stored answer.
 */
import { performance } from 'node:perf_hooks';
import { percentile } from './measure';
import { proxyEvent } from '../local/lambda-invocation';

type LambdaHandler = (event: unknown, context?: object) => Promise<{ statusCode: number; body: string }>;

export interface IdempotencyResult {
  readonly invocations: number;
  readonly no_key_p50_ms: number;
  readonly new_key_p50_ms: number;
  readonly redelivery_p50_ms: number;
  /** new_key_p50_ms - no_key_p50_ms: what a key adds to a first delivery. */
  readonly key_cost_p50_ms: number;
  readonly no_key_p99_ms: number;
  readonly new_key_p99_ms: number;
}

export async function benchIdempotency(handler: LambdaHandler, userId: string, invocations: number, warmup = 20): Promise<IdempotencyResult> {
  const none: number[] = [];
  const keyed: number[] = [];
  const again: number[] = [];
  const time = async (event: unknown, into: number[] | undefined) => {
    const start = performance.now();
    const response = await handler(event, { awsRequestId: `bench-${Math.random()}` });
    const ms = performance.now() - start;
    if (response.statusCode !== 200) throw new Error(`user-activity answered ${response.statusCode} in the idempotency benchmark: ${response.body}`);
    into?.push(ms);
  };
  for (let i = 0; i < warmup + invocations; i++) {
    const measured = i >= warmup;
    const input = { userId, action: `idem-bench-${i}` };
    const withKey = proxyEvent(input) as { headers: Record<string, string> };
    withKey.headers['idempotency-key'] = `bench-key-${i}-${Math.random()}`;
    // Alternate which goes first, so neither side always runs on a just-warmed connection.
    if (i % 2 === 0) {
      await time(proxyEvent(input), measured ? none : undefined);
      await time(withKey, measured ? keyed : undefined);
    } else {
      await time(withKey, measured ? keyed : undefined);
      await time(proxyEvent({ ...input, action: `${input.action}-n` }), measured ? none : undefined);
    }
    await time(withKey, measured ? again : undefined);
  }
  const p50 = (s: number[]) => percentile(s, 50);
  return {
    invocations,
    no_key_p50_ms: p50(none),
    new_key_p50_ms: p50(keyed),
    redelivery_p50_ms: p50(again),
    key_cost_p50_ms: p50(keyed) - p50(none),
    no_key_p99_ms: percentile(none, 99),
    new_key_p99_ms: percentile(keyed, 99),
  };
}
