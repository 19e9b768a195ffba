import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { bundleFunction } from '../../functions/bundle';
import { LocalDynamoDb } from '../../local/local-dynamodb';

const dynamodb = new LocalDynamoDb();
const TABLE = 'products';
let handler: (event: unknown, context?: { awsRequestId?: string }) => Promise<{ statusCode: number; body: string }>;
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
  ({ handler } = await import('../../functions/products/handler'));
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
