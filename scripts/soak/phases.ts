/**
 * The soak's phases: load, an outage of one dependency mid-run, and malformed events. Each
 * invokes the bundled handler as Lambda would and returns what it found, violations included.
 */
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { percentile } from '../../bench/measure';
import { malformedEvents, SoakFunction } from '../malformed-events';
import { proxyEvent } from '../../local/lambda-invocation';
import { CONFIGURED_POOL, describeError, LambdaHandler, PRODUCTS_TABLE, SoakEnvironment, USER_ACTIVITY_TABLE } from './environment';

// ---------------------------------------------------------------------------------------------
// Invoking.

/** One invocation's outcome. */
interface Outcome {
  readonly i: number;
  readonly key: string;
  readonly status: number | 'threw' | 'bad-response';
  readonly error?: string;
  readonly ms: number;
  readonly body?: { error?: string; activity?: { action?: string; timestamp?: string }; item?: unknown };
}


async function invoke(handler: LambdaHandler, fn: SoakFunction, i: number, key: string, event: unknown, awsRequestId: string = randomUUID()): Promise<Outcome> {
  const start = performance.now();
  try {
    const response = await handler(event, { functionName: fn, awsRequestId, getRemainingTimeInMillis: () => 30000 });
    const ms = performance.now() - start;
    if (!response || typeof response.statusCode !== 'number' || typeof response.body !== 'string') return { i, key, status: 'bad-response', ms, error: JSON.stringify(response)?.slice(0, 200) };
    let body: Outcome['body'];
    try {
      body = JSON.parse(response.body) as Outcome['body'];
    } catch {
      return { i, key, status: 'bad-response', ms, error: `body is not JSON: ${response.body.slice(0, 200)}` };
    }
    return { i, key, status: response.statusCode, ms, body };
  } catch (error) {
    return { i, key, status: 'threw', ms: performance.now() - start, error: describeError(error) };
  }
}

/** Runs `n` tasks at most `concurrency` at a time; `gate` (if set) is awaited before each dispatch. */
async function pool(n: number, concurrency: number, task: (i: number) => Promise<void>, gate: () => Promise<void> | undefined = () => undefined): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (;;) {
      await gate();
      const i = next++;
      if (i >= n) return;
      await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
}

/** A valid event for `fn` with a unique key; half direct, half function URL proxy events. */
function validEvent(fn: SoakFunction, phase: string, i: number, userIndex: number): { key: string; event: unknown } {
  if (fn === 'products') {
    const key = `${phase}-${i}`;
    const input = { id: key, name: `Soak product ${i} ☕`, price: (i % 1000) + 0.25 };
    return { key, event: i % 2 === 0 ? input : proxyEvent(input) };
  }
  const key = `u-${userIndex}`;
  const input = { userId: key, action: `${phase}-${i}` };
  return { key, event: i % 2 === 0 ? input : proxyEvent(input) };
}

// ---------------------------------------------------------------------------------------------
// Phases.

/** What a phase found. */
export interface PhaseReport {
  readonly phase: string;
  readonly fn: SoakFunction;
  readonly invocations: number;
  readonly statuses: Record<string, number>;
  readonly durationMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** 200 answers whose item was found / all 200 answers. */
  readonly itemsChecked: string;
  readonly maxPostgresConnections?: number;
  /** Events answered 200, of those the ones without their item, and items beyond one per event. */
  readonly writes?: WriteCounts;
  /** Deliveries of an event beyond its first (redelivery phase). */
  readonly redeliveries?: number;
  readonly notes: string[];
  readonly violations: string[];
}

/** The soak's exactly-once figures. */
export interface WriteCounts {
  readonly acknowledged: number;
  readonly lost: number;
  readonly duplicate: number;
}

function statusCounts(outcomes: Outcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[String(o.status)] = (counts[String(o.status)] ?? 0) + 1;
  return counts;
}

function firstFew(label: string, list: string[]): string {
  return `${label}: ${list.length} (${list.slice(0, 5).join(', ')}${list.length > 5 ? ', ...' : ''})`;
}

/**
 * Checks the stored items against the outcomes: every 200 has its item, at most one item per
 * key, no item under this phase's keys that no invocation asked for; with `strict`, also no
 * item for an invocation that did not answer 200, except where `mayHaveWritten` allows it.
 */
async function verifyItems(env: SoakEnvironment, fn: SoakFunction, phase: string, outcomes: Outcome[], mayHaveWritten: (o: Outcome) => boolean): Promise<{ checked: string; violations: string[]; ambiguousWritten: number; writes: WriteCounts }> {
  const violations: string[] = [];
  const byKey = new Map<string, number>();
  const actions = new Map<string, string>();
  const phaseKeys = new Set(outcomes.map((o) => o.key));
  if (fn === 'products') {
    for (const item of await env.scan(PRODUCTS_TABLE, ['id'])) if (item.id.startsWith(`${phase}-`)) byKey.set(item.id, (byKey.get(item.id) ?? 0) + 1);
  } else {
    for (const item of await env.scan(USER_ACTIVITY_TABLE, ['userId', 'action', 'timestamp'])) {
      if (!phaseKeys.has(item.userId)) continue;
      byKey.set(item.userId, (byKey.get(item.userId) ?? 0) + 1);
      actions.set(item.userId, `${item.action}@${item.timestamp}`);
    }
  }
  const ok = outcomes.filter((o) => o.status === 200);
  const missing = ok.filter((o) => !byKey.has(o.key)).map((o) => o.key);
  if (missing.length > 0) violations.push(firstFew('200 answers without their item (lost writes)', missing));
  const duplicated = [...byKey].filter(([, n]) => n > 1).map(([k]) => k);
  if (duplicated.length > 0) violations.push(firstFew('keys with more than one item (duplicated writes)', duplicated));
  const unknown = [...byKey.keys()].filter((k) => !phaseKeys.has(k));
  if (unknown.length > 0) violations.push(firstFew('items no invocation asked for', unknown));
  if (fn === 'user-activity') {
    const wrong = ok.filter((o) => byKey.has(o.key) && actions.get(o.key) !== `${o.body?.activity?.action}@${o.body?.activity?.timestamp}`).map((o) => o.key);
    if (wrong.length > 0) violations.push(firstFew('stored activity differs from the answer', wrong));
  }
  const notOk = outcomes.filter((o) => o.status !== 200 && byKey.has(o.key));
  const forbidden = notOk.filter((o) => !mayHaveWritten(o)).map((o) => `${o.key}:${o.status}`);
  if (forbidden.length > 0) violations.push(firstFew('items written by invocations that failed before writing', forbidden));
  const writes = { acknowledged: new Set(ok.map((o) => o.key)).size, lost: new Set(missing).size, duplicate: [...byKey.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0) };
  return { checked: `${ok.length - missing.length}/${ok.length}`, violations, ambiguousWritten: notOk.length - forbidden.length, writes };
}

function summarize(phase: string, fn: SoakFunction, outcomes: Outcome[], durationMs: number): Omit<PhaseReport, 'itemsChecked' | 'notes' | 'violations' | 'maxPostgresConnections'> {
  const ms = outcomes.map((o) => o.ms);
  return { phase, fn, invocations: outcomes.length, statuses: statusCounts(outcomes), durationMs, p50Ms: percentile(ms, 50), p99Ms: percentile(ms, 99) };
}

function crashes(outcomes: Outcome[]): string[] {
  const bad = outcomes.filter((o) => o.status === 'threw' || o.status === 'bad-response').map((o) => `${o.key}: ${o.status} ${o.error ?? ''}`);
  return bad.length > 0 ? [firstFew('invocations that threw or answered no proper response (crashes)', bad)] : [];
}

function connectionCheck(fn: SoakFunction, env: SoakEnvironment): { maxPostgresConnections?: number; violations: string[] } {
  const max = env.monitor.takeMax();
  if (fn !== 'user-activity') return { violations: [] };
  return { maxPostgresConnections: max, violations: max > CONFIGURED_POOL ? [`${max} PostgreSQL connections from one container (pool ${CONFIGURED_POOL})`] : [] };
}

/** `n` valid invocations at `concurrency`: all 200, one item each, at most the pool's connections. */
export async function loadPhase(env: SoakEnvironment, fn: SoakFunction, n: number, concurrency: number): Promise<PhaseReport> {
  const phase = `load-${randomUUID().slice(0, 8)}`;
  const firstUser = fn === 'user-activity' ? await env.seedUsers(n) : 0;
  env.monitor.takeMax();
  const outcomes: Outcome[] = [];
  const start = performance.now();
  await pool(n, concurrency, async (i) => {
    const { key, event } = validEvent(fn, phase, i, firstUser + i);
    outcomes.push(await invoke(env.handlers[fn], fn, i, key, event));
  });
  const durationMs = performance.now() - start;
  const connections = connectionCheck(fn, env);
  const items = await verifyItems(env, fn, phase, outcomes, () => false);
  const violations = [...crashes(outcomes), ...connections.violations, ...items.violations];
  const notOk = outcomes.filter((o) => o.status !== 200);
  if (notOk.length > 0) violations.push(firstFew('answers other than 200 with every server up', notOk.map((o) => `${o.key}:${o.status}:${o.body?.error ?? ''}`)));
  const notes = [`${Math.round((n / durationMs) * 1000)} invocations/s`];
  return { ...summarize('load', fn, outcomes, durationMs), itemsChecked: items.checked, maxPostgresConnections: connections.maxPostgresConnections, writes: items.writes, notes, violations };
}

export type Dependency = 'dynamodb' | 'postgres';

/**
 * `n` valid invocations at `concurrency`; when 30% have answered, `dependency` is stopped
 * (dispatching pauses while it shuts down, so invocations in flight are cut and later ones
 * find it gone); when 60% have answered it is started again (dispatching pauses while it
 * starts). Then `recovery` more invocations on the same container must all answer 200.
 */
export async function outagePhase(env: SoakEnvironment, fn: SoakFunction, dependency: Dependency, n: number, concurrency: number, recovery = Math.max(20, Math.round(n / 20))): Promise<PhaseReport> {
  const phase = `${dependency === 'dynamodb' ? 'ddb' : 'pg'}-outage-${randomUUID().slice(0, 8)}`;
  const firstUser = fn === 'user-activity' ? await env.seedUsers(n + recovery) : 0;
  const server = dependency === 'dynamodb' ? { stop: () => env.dynamodb.stop(), start: () => env.dynamodb.start().then(() => undefined) } : { stop: () => env.postgres.stop(), start: () => env.postgres.restart() };
  env.monitor.takeMax();

  const stopAt = Math.floor(n * 0.3);
  const restartAt = Math.floor(n * 0.6);
  let state: 'up' | 'stopping' | 'down' | 'starting' | 'restored' = 'up';
  let transition: Promise<void> | undefined;
  let completed = 0;
  let downMs = 0;
  let downSince = 0;
  let downAtDispatch = 0;
  const afterRestore: Outcome[] = [];
  const step = () => {
    if (state === 'up' && completed >= stopAt) {
      state = 'stopping';
      transition = server.stop().then(() => {
        state = 'down';
        downSince = performance.now();
        transition = undefined;
      });
    } else if (state === 'down' && completed >= restartAt) {
      state = 'starting';
      transition = server.start().then(() => {
        downMs = performance.now() - downSince;
        state = 'restored';
        transition = undefined;
      });
    }
  };

  const outcomes: Outcome[] = [];
  const start = performance.now();
  await pool(
    n,
    concurrency,
    async (i) => {
      const { key, event } = validEvent(fn, phase, i, firstUser + i);
      const dispatchedIn = state;
      if (dispatchedIn === 'down') downAtDispatch += 1;
      const outcome = await invoke(env.handlers[fn], fn, i, key, event);
      outcomes.push(outcome);
      if (dispatchedIn === 'restored') afterRestore.push(outcome);
      completed += 1;
      step();
    },
    () => transition,
  );
  // The run may end before the server came back (every answer fast while it was down).
  while (transition) await transition;
  if ((state as string) === 'down') {
    await server.start();
    downMs = performance.now() - downSince;
    state = 'restored';
  }
  const durationMs = performance.now() - start;

  // Recovery: the same container, no restart of the function.
  const recovered: Outcome[] = [];
  await pool(recovery, concurrency, async (i) => {
    const { key, event } = validEvent(fn, phase, n + i, firstUser + n + i);
    recovered.push(await invoke(env.handlers[fn], fn, n + i, key, event));
  });

  const connections = connectionCheck(fn, env);
  const all = [...outcomes, ...recovered];
  // A DynamoDB write cut before its answer may have landed (the client cannot know); a
  // database outage answers before any write.
  const items = await verifyItems(env, fn, phase, all, (o) => o.status === 503 && o.body?.error === 'dynamodb unavailable');
  const violations = [...crashes(all), ...connections.violations, ...items.violations];
  const other = outcomes.filter((o) => o.status !== 200 && o.status !== 503);
  if (other.length > 0) violations.push(firstFew('answers other than 200 or 503 during the outage run', other.map((o) => `${o.key}:${o.status}:${o.body?.error ?? o.error ?? ''}`)));
  const unavailable = outcomes.filter((o) => o.status === 503);
  const expectedError = dependency === 'dynamodb' ? 'dynamodb unavailable' : 'database unavailable';
  if (unavailable.length === 0) violations.push('the outage was not observed: no 503 answer');
  const wrongReason = unavailable.filter((o) => o.body?.error !== expectedError);
  if (wrongReason.length > 0) violations.push(firstFew(`503 answers not naming "${expectedError}"`, wrongReason.map((o) => `${o.key}:${o.body?.error}`)));
  const notRecovered = recovered.filter((o) => o.status !== 200);
  if (notRecovered.length > 0) violations.push(firstFew('recovery invocations (same container, server back) not answering 200', notRecovered.map((o) => `${o.key}:${o.status}:${o.body?.error ?? ''}`)));
  const restoredOk = afterRestore.filter((o) => o.status === 200).length;
  const notes = [
    `${dependency} down ${Math.round(downMs)} ms; ${downAtDispatch} dispatched while down`,
    `${unavailable.length} x 503, ${restoredOk}/${afterRestore.length} ok after restart, recovery ${recovery - notRecovered.length}/${recovery}`,
  ];
  if (items.ambiguousWritten > 0) notes.push(`${items.ambiguousWritten} x 503 whose DynamoDB write had landed before the cut (allowed)`);
  return { ...summarize(`${dependency} outage`, fn, all, durationMs), itemsChecked: items.checked, maxPostgresConnections: connections.maxPostgresConnections, writes: items.writes, notes, violations };
}

/** At least `count` malformed events at `concurrency`: all 4xx, nothing written, and the container still works. */
export async function malformedPhase(env: SoakEnvironment, fn: SoakFunction, count: number, concurrency: number): Promise<PhaseReport> {
  const phase = `malformed-${randomUUID().slice(0, 8)}`;
  const [victim] = fn === 'user-activity' ? [await env.seedUsers(2)] : [0];
  // A well-formed base (an existing user), so an event wrongly accepted would answer 200 and write.
  const valid = (i: number): Record<string, unknown> => (fn === 'products' ? { id: `${phase}-${i}`, name: 'Malformed soak', price: 1 } : { userId: `u-${victim}`, action: `m-${i}` });
  const events = malformedEvents(fn, valid, count);
  env.monitor.takeMax();
  const before = await env.itemCounts();
  const outcomes: Outcome[] = [];
  const start = performance.now();
  await pool(events.length, concurrency, async (i) => {
    outcomes.push(await invoke(env.handlers[fn], fn, i, events[i].label, events[i].event));
  });
  const durationMs = performance.now() - start;
  const after = await env.itemCounts();
  const connections = connectionCheck(fn, env);
  const violations = [...crashes(outcomes), ...connections.violations];
  const not4xx = outcomes.filter((o) => typeof o.status !== 'number' || o.status < 400 || o.status > 499);
  if (not4xx.length > 0) violations.push(firstFew('malformed events not answered 4xx', not4xx.map((o) => `"${o.key}" -> ${o.status}`)));
  const noError = outcomes.filter((o) => typeof o.status === 'number' && o.status >= 400 && typeof o.body?.error !== 'string');
  if (noError.length > 0) violations.push(firstFew('4xx answers without an error message', noError.map((o) => o.key)));
  if (after.products !== before.products || after.userActivity !== before.userActivity) {
    violations.push(`items written by malformed events: products ${before.products} -> ${after.products}, user-activity ${before.userActivity} -> ${after.userActivity}`);
  }
  // Still usable afterwards.
  const { key, event } = validEvent(fn, phase, events.length, victim + 1);
  const check = await invoke(env.handlers[fn], fn, events.length, key, event);
  if (check.status !== 200) violations.push(`a valid invocation after the malformed events answered ${check.status}`);
  const statuses = statusCounts(outcomes);
  return {
    ...summarize('malformed', fn, outcomes, durationMs),
    statuses,
    itemsChecked: `no write (${before.products + before.userActivity} items before and ${after.products + after.userActivity} after)`,
    maxPostgresConnections: connections.maxPostgresConnections,
    notes: [`${events.length} distinct malformed events`],
    violations,
  };
}


/** How an event of the redelivery phase is delivered again. */
type RedeliveryPattern = 'sequential' | 'concurrent' | 'timeout';
const PATTERNS: readonly RedeliveryPattern[] = ['sequential', 'concurrent', 'timeout'];

/**
 * `n` events, each delivered more than once, as Lambda and clients do:
 * - sequential: acknowledged (200), then delivered twice more, one after the other;
 * - concurrent: acknowledged, then three duplicates at once;
 * - timeout: the caller gives up after an injected timeout of 0-3 ms while the first delivery
 *   still runs (Lambda does not stop it), and retries at once, so the two overlap.
 * The key rotates per event: the Lambda request id of a direct (async) invocation, an
 * `Idempotency-Key` header on a function URL event, an `idempotencyKey` field. Every event
 * must end with exactly one item, and every 200 for it must carry the same answer.
 */
export async function redeliveryPhase(env: SoakEnvironment, fn: SoakFunction, n: number, concurrency: number): Promise<PhaseReport> {
  const phase = `redelivery-${randomUUID().slice(0, 8)}`;
  const firstUser = fn === 'user-activity' ? await env.seedUsers(n) : 0;
  env.monitor.takeMax();
  const outcomes: Outcome[] = [];
  const answers = new Map<string, Set<string>>();
  let redeliveries = 0;
  let timeouts = 0;
  const start = performance.now();
  await pool(n, concurrency, async (i) => {
    const key = fn === 'products' ? `${phase}-${i}` : `u-${firstUser + i}`;
    const input = fn === 'products' ? { id: key, name: `Redelivered ${i}`, price: i + 0.5 } : { userId: key, action: `${phase}-${i}` };
    const requestId = `${phase}-req-${i}`;
    // One delivery of the event, in the shape its key travels in.
    const deliver = (): Promise<Outcome> => {
      const via = i % 3;
      if (via === 0) return invoke(env.handlers[fn], fn, i, key, input, requestId);
      if (via === 1) return invoke(env.handlers[fn], fn, i, key, withHeaders(proxyEvent(input), { 'Idempotency-Key': requestId }));
      return invoke(env.handlers[fn], fn, i, key, { ...input, idempotencyKey: requestId });
    };
    const record = (o: Outcome) => {
      outcomes.push(o);
      if (o.status === 200) {
        const seen = answers.get(key) ?? new Set<string>();
        seen.add(JSON.stringify(fn === 'products' ? o.body?.item : o.body?.activity));
        answers.set(key, seen);
      }
    };
    const pattern = PATTERNS[i % PATTERNS.length];
    if (pattern === 'timeout') {
      const first = deliver();
      const gaveUp = await Promise.race([first.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), i % 4))]);
      if (gaveUp) timeouts += 1;
      redeliveries += 1;
      const [a, b] = await Promise.all([first, deliver()]);
      record(a);
      record(b);
      return;
    }
    record(await deliver());
    if (pattern === 'sequential') {
      for (let k = 0; k < 2; k++) record(await deliver());
      redeliveries += 2;
    } else {
      for (const o of await Promise.all([deliver(), deliver(), deliver()])) record(o);
      redeliveries += 3;
    }
  });
  const durationMs = performance.now() - start;
  const connections = connectionCheck(fn, env);
  const items = await verifyItems(env, fn, phase, outcomes, () => false);
  const violations = [...crashes(outcomes), ...connections.violations, ...items.violations];
  const notOk = outcomes.filter((o) => o.status !== 200);
  if (notOk.length > 0) violations.push(firstFew('answers other than 200 with every server up', notOk.map((o) => `${o.key}:${o.status}:${o.body?.error ?? ''}`)));
  const differing = [...answers].filter(([, seen]) => seen.size > 1).map(([k]) => k);
  if (differing.length > 0) violations.push(firstFew('events answered differently by their deliveries', differing));
  const notes = [`${redeliveries} redeliveries of ${n} events (${timeouts} after an injected timeout that fired before the answer)`];
  return { ...summarize('redelivery', fn, outcomes, durationMs), itemsChecked: items.checked, maxPostgresConnections: connections.maxPostgresConnections, writes: items.writes, redeliveries, notes, violations };
}

function withHeaders(event: object, headers: Record<string, string>): object {
  const e = event as { headers?: Record<string, string> };
  return { ...e, headers: { ...e.headers, ...headers } };
}
