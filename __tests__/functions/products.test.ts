import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { bundleFunction } from '../../functions/bundle';
import type { ProbeResult } from '../../functions/shared/probe';
import { LocalDynamoDb } from '../../local/local-dynamodb';

const dynamodb = new LocalDynamoDb();
const TABLE = 'products';
let handler: (event: unknown, context?: { awsRequestId?: string }) => Promise<{ statusCode: number; body: string }>;
let probeHandler: (event: unknown, context?: { getRemainingTimeInMillis?: () => number }) => Promise<ProbeResult>;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  await dynamodb.start();
  await dynamodb.createSystemTables(TABLE, 'user-activity');
  Object.assign(process.env, {
    PRODUCTS_TABLE: TABLE,
    DYNAMODB_ENDPOINT: dynamodb.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_LAMBDA_LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'FATAL', // Lambda's level variable; the handlers log nothing at FATAL
  });
  // Imported after the environment is set: the handler builds its client at module scope.
  const module = await import('../../functions/products/handler');
  // Ordinary events answer an HTTP response; a probe event (the probe tests below) a ProbeResult.
  handler = module.handler as typeof handler;
  probeHandler = module.handler as typeof probeHandler;
});

afterAll(async () => {
  await dynamodb.stop();
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});

const body = (r: { body: string }) => JSON.parse(r.body);

test('puts the product and answers with the item read back, as the seed shows', async () => {
  const response = await handler({ id: '123', name: 'Product Name', price: 99.99 }, { awsRequestId: 'r1' });
  expect(response.statusCode).toBe(200);
  expect(body(response)).toEqual({ message: 'Success', item: { id: '123', name: 'Product Name', price: 99.99 } });
  const stored = await dynamodb.client().send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: '123' } } }));
  expect(stored.Item).toEqual({ id: { S: '123' }, name: { S: 'Product Name' }, price: { N: '99.99' } });
});

test('accepts a function URL / API Gateway event with a JSON body, and unicode', async () => {
  const event = { requestContext: {}, body: JSON.stringify({ id: 'ü-1', name: 'Café ☕ 東京', price: 0 }), isBase64Encoded: false };
  const response = await handler(event);
  expect(response.statusCode).toBe(200);
  expect(body(response).item).toEqual({ id: 'ü-1', name: 'Café ☕ 東京', price: 0 });
});

test.each([
  ['no fields', {}, 'id'],
  ['price as a string', { id: 'a', name: 'b', price: '9.99' }, 'price'],
  ['negative price', { id: 'a', name: 'b', price: -1 }, 'price'],
  ['price not finite', { id: 'a', name: 'b', price: Number.MAX_VALUE * 10 }, 'price'],
  ['empty id', { id: '  ', name: 'b', price: 1 }, 'id'],
  ['huge name', { id: 'a', name: 'x'.repeat(5000), price: 1 }, 'name'],
  ['nested garbage', { id: { $ne: 1 }, name: ['b'], price: { n: 1 } }, 'id'],
  ['an extra field', { id: 'a', name: 'b', price: 1, admin: true }, ''],
  ['null event', null, ''],
  ['a body that is not JSON', { requestContext: {}, body: '{not json' }, ''],
])('400 for %s, and nothing is written', async (_name, event, path) => {
  const before = (await dynamodb.client().send(new ScanCommand({ TableName: TABLE, Select: 'COUNT' }))).Count;
  const response = await handler(event);
  expect(response.statusCode).toBe(400);
  const issues = body(response).issues as Array<{ path: string; message: string }>;
  expect(issues.length).toBeGreaterThan(0);
  expect(issues.map((i) => i.path)).toContain(path);
  const after = (await dynamodb.client().send(new ScanCommand({ TableName: TABLE, Select: 'COUNT' }))).Count;
  expect(after).toBe(before);
});

test('503 while DynamoDB is down, 200 again once it is back, with no restart of the handler', async () => {
  await dynamodb.stop();
  const down = await handler({ id: 'x', name: 'y', price: 1 });
  expect(down.statusCode).toBe(503);
  expect(body(down)).toEqual({ error: 'dynamodb unavailable' });
  await dynamodb.start(); // same port, data intact, as after a real outage
  const back = await handler({ id: 'x', name: 'y', price: 1 });
  expect(back.statusCode).toBe(200);
});

test('the esbuild bundle is what Lambda runs: index.handler answers 200 in a fresh node process', async () => {
  const { dir } = bundleFunction('products');
  const script = `require(${JSON.stringify(join(dir, 'index.js'))}).handler({ id: 'bundled', name: 'n', price: 2 }).then((r) => console.log(JSON.stringify(r)))`;
  // Asynchronously: the local DynamoDB server runs in this process and must keep answering.
  const run = await promisify(execFile)(process.execPath, ['-e', script], { env: { ...process.env, AWS_LAMBDA_LOG_LEVEL: 'FATAL' } });
  const response = JSON.parse(run.stdout.trim());
  expect(response.statusCode).toBe(200);
  expect(JSON.parse(response.body).item).toEqual({ id: 'bundled', name: 'n', price: 2 });
});

test('idempotent upsert: one event redelivered sequentially and concurrently (same request id, same Idempotency-Key) is one item and one answer', async () => {
  const input = { id: 'redelivered', name: 'Kettle', price: 30 };
  const count = async () => (await dynamodb.client().send(new ScanCommand({ TableName: TABLE, Select: 'COUNT', FilterExpression: 'id = :id', ExpressionAttributeValues: { ':id': { S: 'redelivered' } } }))).Count;
  const first = await handler(input, { awsRequestId: 'async-1' });
  const sequential = [await handler(input, { awsRequestId: 'async-1' }), await handler({ ...input, idempotencyKey: 'k-1' })];
  const http = { requestContext: {}, headers: { 'Idempotency-Key': 'k-1' }, body: JSON.stringify(input), isBase64Encoded: false };
  const concurrent = await Promise.all(Array.from({ length: 10 }, (_, i) => handler(i % 2 ? http : input, { awsRequestId: 'async-1' })));
  for (const r of [first, ...sequential, ...concurrent]) {
    expect(r.statusCode).toBe(200);
    expect(body(r)).toEqual({ message: 'Success', item: input });
  }
  expect(await count()).toBe(1);
});

describe('probe mode ({ "vldProbe": 1 }, what verify --probe sends): reads, never writes, says why not', () => {
  const PROBE = { vldProbe: 1 };
  const items = async () => (await dynamodb.client().send(new ScanCommand({ TableName: TABLE, ConsistentRead: true }))).Items ?? [];
  /** The seed's 3 s function timeout, as Lambda's context reports it. */
  const seedContext = () => {
    const end = Date.now() + 3000;
    return { getRemainingTimeInMillis: () => end - Date.now() };
  };

  test('sound: GetItem and a conditional PutItem answered, both ok with their latency, and no item written', async () => {
    const before = await items();
    const result = await probeHandler(PROBE, seedContext());
    expect(result).toEqual({
      probe: true,
      version: 1,
      function: 'products',
      tables: [
        { table: TABLE, action: 'dynamodb:GetItem', ok: true, ms: expect.any(Number) },
        { table: TABLE, action: 'dynamodb:PutItem', ok: true, ms: expect.any(Number) },
      ],
    });
    expect(await items()).toEqual(before);
    expect(JSON.stringify(await items())).not.toContain('vld-probe');
  });

  test('the table missing: not-found for both actions, with DynamoDB\'s message', async () => {
    process.env.PRODUCTS_TABLE = 'products-never-created';
    try {
      const result = await probeHandler(PROBE, seedContext());
      expect(result.tables.map((t) => [t.table, t.action, t.ok, t.errorClass])).toEqual([
        ['products-never-created', 'dynamodb:GetItem', false, 'not-found'],
        ['products-never-created', 'dynamodb:PutItem', false, 'not-found'],
      ]);
      expect(result.tables[0].message).toMatch(/^ResourceNotFoundException: /);
    } finally {
      process.env.PRODUCTS_TABLE = TABLE;
    }
  });

  test('DynamoDB unreachable (connection refused): the timeout class, "Unable to connect to DynamoDB"; reachable again, ok', async () => {
    await dynamodb.stop();
    try {
      const result = await probeHandler(PROBE, seedContext());
      expect(result.tables.map((t) => [t.action, t.ok, t.errorClass])).toEqual([
        ['dynamodb:GetItem', false, 'timeout'],
        ['dynamodb:PutItem', false, 'timeout'],
      ]);
      expect(result.tables[0].message).toMatch(/^Unable to connect to DynamoDB: no answer in \d+ ms \(.*ECONNREFUSED/);
    } finally {
      await dynamodb.start();
    }
    expect((await probeHandler(PROBE, seedContext())).tables.every((t) => t.ok)).toBe(true);
  });

  test('a blackholed route (a server that accepts and never answers): timeout, reported inside the seed\'s 3 s, not killed by Lambda', async () => {
    const { createServer } = await import('node:net');
    const sockets: import('node:net').Socket[] = [];
    const silent = createServer((s) => void sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const saved = process.env.DYNAMODB_ENDPOINT;
    process.env.DYNAMODB_ENDPOINT = `http://127.0.0.1:${(silent.address() as import('node:net').AddressInfo).port}`;
    try {
      // A fresh module: the handler's client is built at module scope from DYNAMODB_ENDPOINT.
      let blackholed!: typeof probeHandler;
      await jest.isolateModulesAsync(async () => {
        blackholed = (await import('../../functions/products/handler')).handler as typeof probeHandler;
      });
      const started = Date.now();
      const result = await blackholed(PROBE, seedContext());
      const elapsed = Date.now() - started;
      expect(result.tables.map((t) => [t.action, t.ok, t.errorClass])).toEqual([
        ['dynamodb:GetItem', false, 'timeout'],
        ['dynamodb:PutItem', false, 'timeout'],
      ]);
      expect(result.tables[0].message).toMatch(/^Unable to connect to DynamoDB: no answer in 1[45]\d\d ms \(probe deadline\)$/);
      expect(elapsed).toBeLessThan(2500);
    } finally {
      process.env.DYNAMODB_ENDPOINT = saved;
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  test.each([
    ['another version', { vldProbe: 2 }, 'vldProbe'],
    ['an extra field', { vldProbe: 1, id: 'x' }, ''],
  ])('a malformed probe (%s) is refused with 400 naming the field, nothing touched', async (_name, event, path) => {
    const response = (await handler(event)) as { statusCode: number; body: string };
    expect(response.statusCode).toBe(400);
    expect((body(response).issues as Array<{ path: string }>).map((i) => i.path)).toContain(path);
  });

  test('the probe body through a function URL is not a probe: ordinary input, refused (400), nothing written', async () => {
    const before = await items();
    const response = await handler({ requestContext: {}, body: JSON.stringify(PROBE), isBase64Encoded: false });
    expect(response.statusCode).toBe(400);
    expect(await items()).toEqual(before);
  });
});
