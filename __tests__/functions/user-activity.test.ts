import { QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { LocalDynamoDb } from '../../local/local-dynamodb';
import { LocalPostgres } from '../../local/local-postgres';

const dynamodb = new LocalDynamoDb();
const postgres = new LocalPostgres();
const TABLE = 'user-activity';
type Handler = (event: unknown, context?: { awsRequestId?: string }) => Promise<{ statusCode: number; body: string }>;
let handler: Handler;
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
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...postgres.functionEnvironment(),
  });
  const module = await import('../../functions/user-activity/handler');
  handler = module.handler;
  closeConnection = () => module.database.close();
}, 60000);

afterAll(async () => {
  await closeConnection?.();
  await Promise.all([dynamodb.stop(), postgres.destroy()]);
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});

const body = (r: { body: string }) => JSON.parse(r.body);
const activityCount = async () => (await dynamodb.client().send(new ScanCommand({ TableName: TABLE, Select: 'COUNT' }))).Count ?? 0;

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
