import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { databaseConnectionConfig } from '../shared/database-credentials';
import { isDynamoDbUnavailable, isPostgresConnectionError } from '../shared/dependency-errors';
import { createDocumentClient, requiredEnv } from '../shared/dynamodb-client';
import { parseEvent } from '../shared/event-payload';
import { HttpResponse, json } from '../shared/http-response';
import { functionLogger } from '../shared/logger';
import { PostgresConnection } from '../shared/postgres-connection';
import { UserActivityInput } from './input';

// Created once per container: one DynamoDB client, one PostgreSQL connection (opened on first use).
const documents = createDocumentClient();
const log = functionLogger('user-activity');
export const database = new PostgresConnection(() => databaseConnectionConfig('user-activity'), log);

interface UserRow {
  id: string;
  name: string | null;
  email: string | null;
}

/**
 * Reads the user from PostgreSQL (through the VPC) and records the activity in DynamoDB
 * (through the gateway endpoint). 200 `{ message, user, activity }`; bad input 400;
 * unknown user 404; database or DynamoDB down 503 (the container stays usable and
 * reconnects on the next invocation).
 */
export async function handler(event: unknown, context?: { awsRequestId?: string }): Promise<HttpResponse> {
  const requestLog = log.child({ requestId: context?.awsRequestId });
  const input = parseEvent(UserActivityInput, event);
  if (!input.ok) {
    requestLog.info('rejected input', { status: 400 });
    return input.response;
  }
  const { userId, action } = input.value;

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
  try {
    await documents.send(new PutCommand({ TableName: requiredEnv('USER_ACTIVITY_TABLE'), Item: activity }));
  } catch (error) {
    if (isDynamoDbUnavailable(error)) {
      requestLog.warn('dynamodb unavailable', { error });
      return json(503, { error: 'dynamodb unavailable' });
    }
    requestLog.error('activity write failed', { error });
    return json(500, { error: 'internal error' });
  }
  requestLog.info('activity recorded', { userId: user.id, action });
  return json(200, { message: 'Success', user, activity });
}
