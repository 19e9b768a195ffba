/**
 * `user-activity` with the connection it keeps per container (this project) vs the seed's
 * pattern: a new pg Client, connect, query, end on every invocation. The naive variant lives
 * here only, built from the same shared modules (input schema, DynamoDB client, connection
 * settings) so the connection strategy is the only difference. Both run from source in this
 * process against the same local PostgreSQL and DynamoDB server; samples alternate in blocks
 * so machine load falls on both alike.
 */
import { performance } from 'node:perf_hooks';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { Client } from 'pg';
import { databaseConnectionConfig } from '../functions/shared/database-credentials';
import { createDocumentClient, requiredEnv } from '../functions/shared/dynamodb-client';
import { parseEvent } from '../functions/shared/event-payload';
import { json, HttpResponse } from '../functions/shared/http-response';
import { UserActivityInput } from '../functions/user-activity/input';
import { percentile } from './measure';

type Handler = (event: unknown) => Promise<HttpResponse>;

/** The seed's way, minus its bugs that would stop a benchmark (unknown user → 404, not a crash). */
export function naiveUserActivityHandler(): Handler {
  const documents = createDocumentClient();
  return async (event) => {
    const input = parseEvent(UserActivityInput, event);
    if (!input.ok) return input.response;
    const client = new Client(databaseConnectionConfig('user-activity-naive'));
    let user: { id: string; name: string | null; email: string | null } | undefined;
    try {
      await client.connect();
      const result = await client.query('SELECT id, name, email FROM users WHERE id = $1', [input.value.userId]);
      user = result.rows[0];
    } finally {
      await client.end();
    }
    if (!user) return json(404, { error: 'user not found' });
    const activity = { userId: user.id, action: input.value.action, timestamp: new Date().toISOString() };
    await documents.send(new PutCommand({ TableName: requiredEnv('USER_ACTIVITY_TABLE'), Item: activity }));
    return json(200, { message: 'Success', user, activity });
  };
}

export interface ConnectionReuseResult {
  readonly invocations: number;
  readonly reuse_p50_ms: number;
  readonly reuse_p99_ms: number;
  readonly naive_p50_ms: number;
  readonly naive_p99_ms: number;
  /** naive p50 / reuse p50, whole invocation (PostgreSQL read + DynamoDB write). */
  readonly speedup: number;
  /** The database part alone: a query on a kept connection vs connect + query + end. */
  readonly db_only: { readonly reuse_p50_ms: number; readonly naive_p50_ms: number; readonly speedup: number };
}

async function sample(handler: Handler, event: (i: number) => unknown, count: number, offset: number, into: number[]): Promise<void> {
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    const response = await handler(event(offset + i));
    into.push(performance.now() - start);
    if (response.statusCode !== 200) throw new Error(`answered ${response.statusCode}: ${response.body}`);
  }
}

/**
 * `reuse` is the real handler (its module-level connection), `userId` a seeded user.
 * `invocations` samples each, after `warmup` unmeasured ones each.
 */
export async function benchConnectionReuse(reuse: Handler, userId: string, invocations: number, warmup = 20): Promise<ConnectionReuseResult> {
  const naive = naiveUserActivityHandler();
  const event = (i: number) => ({ userId, action: `bench-${i}` });
  await sample(reuse, event, warmup, 0, []);
  await sample(naive, event, warmup, 0, []);
  const reuseMs: number[] = [];
  const naiveMs: number[] = [];
  const block = 25;
  for (let done = 0; done < invocations; done += block) {
    const n = Math.min(block, invocations - done);
    await sample(reuse, event, n, warmup + done, reuseMs);
    await sample(naive, event, n, warmup + done, naiveMs);
  }

  // The database round trip alone, on the same server.
  const config = databaseConnectionConfig('user-activity-bench');
  const kept = new Client(config);
  await kept.connect();
  const keptMs: number[] = [];
  const freshMs: number[] = [];
  try {
    for (let i = 0; i < warmup + invocations; i++) {
      let start = performance.now();
      await kept.query('SELECT id, name, email FROM users WHERE id = $1', [userId]);
      const a = performance.now() - start;
      start = performance.now();
      const fresh = new Client(config);
      await fresh.connect();
      await fresh.query('SELECT id, name, email FROM users WHERE id = $1', [userId]);
      await fresh.end();
      const b = performance.now() - start;
      if (i >= warmup) {
        keptMs.push(a);
        freshMs.push(b);
      }
    }
  } finally {
    await kept.end();
  }

  const reuseP50 = percentile(reuseMs, 50);
  const naiveP50 = percentile(naiveMs, 50);
  const keptP50 = percentile(keptMs, 50);
  const freshP50 = percentile(freshMs, 50);
  return {
    invocations,
    reuse_p50_ms: reuseP50,
    reuse_p99_ms: percentile(reuseMs, 99),
    naive_p50_ms: naiveP50,
    naive_p99_ms: percentile(naiveMs, 99),
    speedup: naiveP50 / reuseP50,
    db_only: { reuse_p50_ms: keptP50, naive_p50_ms: freshP50, speedup: freshP50 / keptP50 },
  };
}
