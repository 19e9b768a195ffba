import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { databaseConnectionConfig } from '../shared/database-credentials';
import { isDynamoDbUnavailable, isPostgresConnectionError } from '../shared/dependency-errors';
import { createDocumentClient, requiredEnv } from '../shared/dynamodb-client';
import { parseEvent } from '../shared/event-payload';
import { HttpResponse, json } from '../shared/http-response';
import { digest, idempotencyKeyOf, IdempotencyKey, isConditionalCheckFailed } from '../shared/idempotency';
import { functionLogger, Logger } from '../shared/logger';
import { PostgresConnection } from '../shared/postgres-connection';
import { answerProbe, isProbeEvent, ProbeResult, ProbeTarget } from '../shared/probe';
import { UserActivityInput } from './input';

// Created once per container: one DynamoDB client, one PostgreSQL connection (opened on first use).
const documents = createDocumentClient();
const log = functionLogger('user-activity');
export const database = new PostgresConnection(() => databaseConnectionConfig('user-activity'), log);

/**
 * What `verify --probe` touches: the activity table, with the actions this handler makes on it
 * (PutItem for the activity and the idempotency record, GetItem for a redelivery's record).
 * PostgreSQL is not probed: the probe is about the DynamoDB path.
 */
function probeTargets(): ProbeTarget[] {
  return [{ table: requiredEnv('USER_ACTIVITY_TABLE'), actions: ['dynamodb:PutItem', 'dynamodb:GetItem'], partitionKey: 'userId', key: (userId) => ({ userId, timestamp: 'probe' }) }];
}

interface UserRow {
  id: string;
  name: string | null;
  email: string | null;
}

/** Where an idempotency record lives: its own partition of the activity table, never a user's. */
export const IDEMPOTENCY_PREFIX = 'idempotency#';
/** How long a record answers redeliveries: Lambda retries an async event for up to 6 hours; clients retry within minutes. */
const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

interface IdempotencyRecord {
  userId: string;
  timestamp: string;
  payload: string;
  response: string;
  activityUserId: string;
  activityTimestamp: string;
  action: string;
  expiresAt: number;
}

/**
 * Reads the user from PostgreSQL (through the VPC) and records the activity in DynamoDB
 * (through the gateway endpoint). 200 `{ message, user, activity }`; bad input 400;
 * unknown user 404; database or DynamoDB down 503 (the container stays usable and
 * reconnects on the next invocation).
 *
 * Exactly once per idempotency key (functions/shared/idempotency.ts): before the activity is
 * written, a record `{ userId: "idempotency#<sha256 of key>", timestamp: "record" }` holding
 * the answer is put with `attribute_not_exists`. Only one delivery of an event can create it;
 * every other delivery (sequential or concurrent) fails the condition, reads the record,
 * makes sure its activity item exists (a put that cannot create a second item) and answers
 * the first answer again. A different payload under a used key is 409. No key: one put, as before.
 * `{ "vldProbe": 1 }` (a direct invocation) is a probe: functions/shared/probe.ts, never a write.
 */
export async function handler(event: unknown, context?: { awsRequestId?: string; getRemainingTimeInMillis?: () => number }): Promise<HttpResponse | ProbeResult> {
  const requestLog = log.child({ requestId: context?.awsRequestId });
  if (isProbeEvent(event)) return answerProbe(event, { name: 'user-activity', documents, targets: probeTargets(), log: requestLog }, context);
  const input = parseEvent(UserActivityInput, event);
  if (!input.ok) {
    requestLog.info('rejected input', { status: 400 });
    return input.response;
  }
  const { userId, action } = input.value;
  const key = idempotencyKeyOf(event, input.value.idempotencyKey, context);
  if (key && 'invalid' in key) {
    requestLog.info('rejected input', { status: 400, reason: key.invalid });
    return json(400, { error: 'invalid input', issues: [{ path: 'idempotencyKey', message: key.invalid }] });
  }

  let user: UserRow | undefined;
  try {
    const result = await database.query<UserRow>('SELECT id, name, email FROM users WHERE id = $1', [userId]);
    user = result.rows[0];
  } catch (error) {
    if (isPostgresConnectionError(error)) {
      requestLog.warn('database unavailable', { error });
      return json(503, { error: 'database unavailable' });
    }
    requestLog.error('user lookup failed', { error });
    return json(500, { error: 'internal error' });
  }
  if (!user) {
    requestLog.info('unknown user', { userId, status: 404 });
    return json(404, { error: 'user not found', userId });
  }

  const activity = { userId: user.id, action, timestamp: new Date().toISOString() };
  const answer = { message: 'Success', user, activity };
  const TableName = requiredEnv('USER_ACTIVITY_TABLE');
  try {
    if (key) {
      const replay = await claim(TableName, key, { userId, action }, answer, requestLog);
      if (replay) return replay;
    }
    await documents.send(new PutCommand({ TableName, Item: activity }));
  } catch (error) {
    if (isDynamoDbUnavailable(error)) {
      requestLog.warn('dynamodb unavailable', { error });
      return json(503, { error: 'dynamodb unavailable' });
    }
    requestLog.error('activity write failed', { error });
    return json(500, { error: 'internal error' });
  }
  requestLog.info('activity recorded', { userId: user.id, action, idempotencyKey: key?.source });
  return json(200, answer);
}

/**
 * Creates the key's record, or, when another delivery already did, answers as it did: the
 * stored answer (409 if the payload differs). Undefined: this delivery owns the key and
 * writes the activity itself.
 */
async function claim(TableName: string, key: IdempotencyKey, payload: { userId: string; action: string }, answer: { activity: { userId: string; timestamp: string; action: string } }, requestLog: Logger): Promise<HttpResponse | undefined> {
  const recordKey = { userId: `${IDEMPOTENCY_PREFIX}${digest(key.value)}`, timestamp: 'record' };
  const payloadDigest = digest([payload.userId, payload.action]);
  const record: IdempotencyRecord = {
    ...recordKey,
    payload: payloadDigest,
    response: JSON.stringify(answer),
    activityUserId: answer.activity.userId,
    activityTimestamp: answer.activity.timestamp,
    action: answer.activity.action,
    expiresAt: Math.floor(Date.now() / 1000) + IDEMPOTENCY_TTL_SECONDS,
  };
  try {
    await documents.send(new PutCommand({ TableName, Item: record, ConditionExpression: 'attribute_not_exists(userId)' }));
    return undefined;
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
  const stored = (await documents.send(new GetCommand({ TableName, Key: recordKey, ConsistentRead: true }))).Item as IdempotencyRecord | undefined;
  if (!stored) {
    // Expired (TTL) between the put and the read: rare; the caller retries and claims it afresh.
    requestLog.warn('idempotency record vanished', { idempotencyKey: key.source });
    return json(503, { error: 'dynamodb unavailable' });
  }
  if (stored.payload !== payloadDigest) {
    requestLog.info('idempotency key reused with another payload', { status: 409, idempotencyKey: key.source });
    return json(409, { error: 'idempotency key already used for a different event' });
  }
  // The first delivery may have stopped between its record and its activity (timeout, outage):
  // complete it. attribute_not_exists: a concurrent first delivery's put and this one make one item.
  try {
    const item = { userId: stored.activityUserId, action: stored.action, timestamp: stored.activityTimestamp };
    await documents.send(new PutCommand({ TableName, Item: item, ConditionExpression: 'attribute_not_exists(userId)' }));
    requestLog.info('redelivery completed the activity', { idempotencyKey: key.source });
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
  requestLog.info('redelivery answered from the idempotency record', { idempotencyKey: key.source });
  const replayed = json(200, JSON.parse(stored.response));
  return { ...replayed, headers: { ...replayed.headers, 'idempotency-replayed': 'true' } };
}
