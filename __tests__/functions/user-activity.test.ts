import { QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { ProbeResult } from '../../functions/shared/probe';
import { LocalDynamoDb } from '../../local/local-dynamodb';
import { LocalPostgres } from '../../local/local-postgres';

const dynamodb = new LocalDynamoDb();
const postgres = new LocalPostgres();
const TABLE = 'user-activity';
type Handler = (event: unknown, context?: { awsRequestId?: string }) => Promise<{ statusCode: number; body: string }>;
let handler: Handler;
let probeHandler: (event: unknown, context?: { getRemainingTimeInMillis?: () => number }) => Promise<ProbeResult>;
let closeConnection: () => Promise<void>;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  await Promise.all([dynamodb.start(), postgres.start()]);
  await dynamodb.createSystemTables('products', TABLE);
  await postgres.seedUsers([{ id: 'user-1', name: 'Ada', email: 'ada@example.com' }]);
  Object.assign(process.env, {
    USER_ACTIVITY_TABLE: TABLE,
    DYNAMODB_ENDPOINT: dynamodb.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_LAMBDA_LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'FATAL', // Lambda's level variable; the handlers log nothing at FATAL
    ...postgres.functionEnvironment(),
  });
  const module = await import('../../functions/user-activity/handler');
  // Ordinary events answer an HTTP response; a probe event (the probe tests below) a ProbeResult.
  handler = module.handler as Handler;
  probeHandler = module.handler as typeof probeHandler;
  closeConnection = () => module.database.close();
}, 60000);

afterAll(async () => {
  await closeConnection?.();
  await Promise.all([dynamodb.stop(), postgres.destroy()]);
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});

const body = (r: { body: string }) => JSON.parse(r.body);
/** Activity items (idempotency records live in partitions of their own and are not activity). */
const activityCount = async () =>
  (
    await dynamodb.client().send(
      new ScanCommand({ TableName: TABLE, Select: 'COUNT', FilterExpression: 'NOT begins_with(userId, :p)', ExpressionAttributeValues: { ':p': { S: 'idempotency#' } } }),
    )
  ).Count ?? 0;
/** Activity items of one user with one action (each idempotency test uses an action of its own). */
const itemsOf = async (userId: string, action: string) =>
  (
    await dynamodb.client().send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'userId = :u',
        FilterExpression: '#a = :a',
        ExpressionAttributeNames: { '#a': 'action' },
        ExpressionAttributeValues: { ':u': { S: userId }, ':a': { S: action } },
        ConsistentRead: true,
      }),
    )
  ).Items ?? [];
/** A function URL event (payload 2.0) with headers. */
const httpEvent = (input: object, headers: Record<string, string> = {}) => ({
  version: '2.0',
  headers: { 'content-type': 'application/json', ...headers },
  requestContext: { http: { method: 'POST' }, requestId: Math.random().toString(36) },
  body: JSON.stringify(input),
  isBase64Encoded: false,
});

/** Connections the function holds, as the server sees them (application_name is set by the function). */
async function functionConnections(): Promise<number> {
  const admin = await postgres.admin();
  try {
    const { rows } = await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'user-activity'");
    return rows[0].n as number;
  } finally {
    await admin.end();
  }
}

test('reads the user from PostgreSQL and writes the activity to DynamoDB', async () => {
  const response = await handler({ userId: 'user-1' }, { awsRequestId: 'r1' });
  expect(response.statusCode).toBe(200);
  const answer = body(response);
  expect(answer.message).toBe('Success');
  expect(answer.user).toEqual({ id: 'user-1', name: 'Ada', email: 'ada@example.com' });
  expect(answer.activity.action).toBe('login');
  const stored = await dynamodb.client().send(
    new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'userId = :u', ExpressionAttributeValues: { ':u': { S: 'user-1' } } }),
  );
  expect(stored.Items?.map((i) => [i.action.S, i.timestamp.S])).toContainEqual(['login', answer.activity.timestamp]);
});

test('404 for an unknown user, and nothing is written (the seed crashed here)', async () => {
  const before = await activityCount();
  const response = await handler({ userId: 'nobody' });
  expect(response.statusCode).toBe(404);
  expect(body(response)).toEqual({ error: 'user not found', userId: 'nobody' });
  expect(await activityCount()).toBe(before);
});

test.each([
  ['no userId', {}],
  ['userId as a number', { userId: 42 }],
  ['an action with spaces', { userId: 'user-1', action: 'drop table' }],
  ['a huge userId', { userId: 'u'.repeat(10000) }],
  ['null', null],
  ['an array', [{ userId: 'user-1' }]],
])('400 for %s, and nothing is written', async (_name, event) => {
  const before = await activityCount();
  const response = await handler(event);
  expect(response.statusCode).toBe(400);
  expect(body(response).error).toBe('invalid input');
  expect(await activityCount()).toBe(before);
});

test('one PostgreSQL connection serves many warm invocations, sequential and concurrent', async () => {
  for (let i = 0; i < 25; i++) expect((await handler({ userId: 'user-1', action: `seq-${i}` })).statusCode).toBe(200);
  const concurrent = await Promise.all(Array.from({ length: 25 }, (_, i) => handler({ userId: 'user-1', action: `par-${i}` })));
  expect(concurrent.map((r) => r.statusCode)).toEqual(Array(25).fill(200));
  expect(await functionConnections()).toBe(1);
});

test('503 while PostgreSQL is down; after it restarts the same container reconnects and answers 200', async () => {
  await postgres.stop();
  const down = await handler({ userId: 'user-1' });
  expect(down.statusCode).toBe(503);
  expect(body(down)).toEqual({ error: 'database unavailable' });
  await postgres.restart();
  const back = await handler({ userId: 'user-1' });
  expect(back.statusCode).toBe(200);
  expect(await functionConnections()).toBe(1);
}, 30000);

test('503 while DynamoDB is down, and the activity write resumes when it is back', async () => {
  const before = await activityCount();
  await dynamodb.stop();
  const down = await handler({ userId: 'user-1' });
  expect(down.statusCode).toBe(503);
  expect(body(down)).toEqual({ error: 'dynamodb unavailable' });
  await dynamodb.start(); // same port, data intact, as after a real outage
  const back = await handler({ userId: 'user-1', action: 'after-outage' });
  expect(back.statusCode).toBe(200);
  expect(await activityCount()).toBe(before + 1);
});

describe('idempotency: one item per event, whatever the deliveries', () => {
  test('an async retry (same Lambda request id) delivered again and again writes one item and answers the first answer', async () => {
    const event = { userId: 'user-1', action: 'idem-async' };
    const first = await handler(event, { awsRequestId: 'async-req-1' });
    expect(first.statusCode).toBe(200);
    const again = [await handler(event, { awsRequestId: 'async-req-1' }), await handler(event, { awsRequestId: 'async-req-1' })];
    for (const r of again) {
      expect(r.statusCode).toBe(200);
      expect(body(r)).toEqual(body(first));
      expect((r as { headers?: Record<string, string> }).headers?.['idempotency-replayed']).toBe('true');
    }
    expect(await itemsOf('user-1', 'idem-async')).toHaveLength(1);
  });

  test('20 concurrent deliveries with one Idempotency-Key header write one item; every answer is the same', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => handler(httpEvent({ userId: 'user-1', action: 'idem-concurrent' }, { 'Idempotency-Key': 'k-concurrent' }))));
    expect(answers.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    expect(new Set(answers.map((r) => JSON.stringify(body(r)))).size).toBe(1);
    const items = await itemsOf('user-1', 'idem-concurrent');
    expect(items).toHaveLength(1);
    expect(items[0].timestamp.S).toBe(body(answers[0]).activity.timestamp);
  });

  test('the idempotencyKey field works like the header, sequentially and concurrently, and is not stored', async () => {
    const event = { userId: 'user-1', action: 'idem-body', idempotencyKey: 'k-body' };
    const first = await handler(event);
    const rest = await Promise.all(Array.from({ length: 5 }, () => handler(httpEvent(event))));
    for (const r of [first, ...rest]) expect(body(r)).toEqual(body(first));
    const items = await itemsOf('user-1', 'idem-body');
    expect(items).toHaveLength(1);
    expect(items[0].idempotencyKey).toBeUndefined();
  });

  test('a used key with another payload is 409 and writes nothing', async () => {
    expect((await handler({ userId: 'user-1', action: 'idem-a', idempotencyKey: 'k-reused' })).statusCode).toBe(200);
    const reused = await handler({ userId: 'user-1', action: 'idem-b', idempotencyKey: 'k-reused' });
    expect(reused.statusCode).toBe(409);
    expect(await itemsOf('user-1', 'idem-b')).toHaveLength(0);
  });

  test('an empty Idempotency-Key header, or one that differs from the field, is 400', async () => {
    expect((await handler(httpEvent({ userId: 'user-1' }, { 'idempotency-key': ' ' }))).statusCode).toBe(400);
    expect((await handler(httpEvent({ userId: 'user-1', idempotencyKey: 'a' }, { 'idempotency-key': 'b' }))).statusCode).toBe(400);
  });

  test('no key behaves as before: the same event twice is two activities; an HTTP event never keys on its request id', async () => {
    await handler({ userId: 'user-1', action: 'idem-none' });
    await handler({ userId: 'user-1', action: 'idem-none' });
    await handler(httpEvent({ userId: 'user-1', action: 'idem-none' }), { awsRequestId: 'http-req' });
    await handler(httpEvent({ userId: 'user-1', action: 'idem-none' }), { awsRequestId: 'http-req' });
    // Timestamps are per millisecond: two calls in the same millisecond overwrite each other, as before.
    expect((await itemsOf('user-1', 'idem-none')).length).toBeGreaterThanOrEqual(2);
  });

  test('a delivery cut after its record (DynamoDB gone before the activity write) is completed by the redelivery', async () => {
    const event = { userId: 'user-1', action: 'idem-cut' };
    const send = (await import('@aws-sdk/lib-dynamodb')).DynamoDBDocumentClient.prototype.send;
    // The first delivery's activity put fails as if DynamoDB went away right after the record landed.
    let puts = 0;
    const spy = jest.spyOn((await import('@aws-sdk/lib-dynamodb')).DynamoDBDocumentClient.prototype, 'send').mockImplementation(function (this: unknown, command: unknown) {
      if ((command as { constructor: { name: string } }).constructor.name === 'PutCommand' && ++puts === 2) {
        return Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
      }
      return (send as (c: unknown) => Promise<unknown>).call(this, command);
    } as never);
    try {
      expect((await handler(event, { awsRequestId: 'cut-req' })).statusCode).toBe(503);
    } finally {
      spy.mockRestore();
    }
    expect(await itemsOf('user-1', 'idem-cut')).toHaveLength(0);
    const retry = await handler(event, { awsRequestId: 'cut-req' });
    expect(retry.statusCode).toBe(200);
    expect(await itemsOf('user-1', 'idem-cut')).toHaveLength(1);
  });
});

describe('probe mode ({ "vldProbe": 1 }): the activity table touched with the actions the handler makes, nothing written, PostgreSQL not used', () => {
  const PROBE = { vldProbe: 1 };
  const everything = async () => (await dynamodb.client().send(new ScanCommand({ TableName: TABLE, ConsistentRead: true }))).Items ?? [];

  test('sound: PutItem (conditional, refused) and GetItem ok; the table holds the same items, no connection opened', async () => {
    await closeConnection();
    const before = await everything();
    const result = await probeHandler(PROBE);
    expect(result).toEqual({
      probe: true,
      version: 1,
      function: 'user-activity',
      tables: [
        { table: TABLE, action: 'dynamodb:PutItem', ok: true, ms: expect.any(Number) },
        { table: TABLE, action: 'dynamodb:GetItem', ok: true, ms: expect.any(Number) },
      ],
    });
    expect(await everything()).toEqual(before);
    expect(await functionConnections()).toBe(0);
  });

  test('the table missing: not-found', async () => {
    process.env.USER_ACTIVITY_TABLE = 'activity-never-created';
    try {
      const result = await probeHandler(PROBE);
      expect(result.tables.map((t) => [t.action, t.errorClass])).toEqual([
        ['dynamodb:PutItem', 'not-found'],
        ['dynamodb:GetItem', 'not-found'],
      ]);
    } finally {
      process.env.USER_ACTIVITY_TABLE = TABLE;
    }
  });

  test('DynamoDB down: timeout, "Unable to connect to DynamoDB"', async () => {
    await dynamodb.stop();
    try {
      const result = await probeHandler(PROBE);
      expect(result.tables.every((t) => !t.ok && t.errorClass === 'timeout' && /^Unable to connect to DynamoDB/.test(t.message ?? ''))).toBe(true);
    } finally {
      await dynamodb.start();
    }
  });
});
