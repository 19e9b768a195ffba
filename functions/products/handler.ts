import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { isDynamoDbUnavailable } from '../shared/dependency-errors';
import { createDocumentClient, requiredEnv } from '../shared/dynamodb-client';
import { parseEvent } from '../shared/event-payload';
import { HttpResponse, json } from '../shared/http-response';
import { functionLogger } from '../shared/logger';
import { answerProbe, isProbeEvent, ProbeResult, ProbeTarget } from '../shared/probe';
import { ProductInput } from './input';

// Created once per container; warm invocations reuse the client and its connections.
const documents = createDocumentClient();
const log = functionLogger('products');

/** What `verify --probe` touches: the table this handler puts to and reads back from, keyed by `id`. */
function probeTargets(): ProbeTarget[] {
  return [{ table: requiredEnv('PRODUCTS_TABLE'), actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], partitionKey: 'id', key: (id) => ({ id }) }];
}

/**
 * Puts a product into the products table and reads it back (consistently), through the
 * DynamoDB gateway endpoint. `{ id, name, price }` → 200 `{ message, item }`; bad input 400;
 * DynamoDB unreachable or throttling 503. Idempotent as it stands: a redelivery (async retry,
 * client retry) puts the same item under the same key and reads the same answer back.
 * `{ "vldProbe": 1 }` (a direct invocation) is a probe: functions/shared/probe.ts, never a write.
 */
export async function handler(event: unknown, context?: { awsRequestId?: string; getRemainingTimeInMillis?: () => number }): Promise<HttpResponse | ProbeResult> {
  const requestLog = log.child({ requestId: context?.awsRequestId });
  if (isProbeEvent(event)) return answerProbe(event, { name: 'products', documents, targets: probeTargets(), log: requestLog }, context);
  const input = parseEvent(ProductInput, event);
  if (!input.ok) {
    requestLog.info('rejected input', { status: 400 });
    return input.response;
  }
  const TableName = requiredEnv('PRODUCTS_TABLE');
  // A put by id is an upsert: a redelivered event writes the same item again, never a second one.
  const { idempotencyKey: _key, ...product } = input.value;
  try {
    await documents.send(new PutCommand({ TableName, Item: product }));
    const stored = await documents.send(new GetCommand({ TableName, Key: { id: product.id }, ConsistentRead: true }));
    requestLog.info('product stored', { productId: product.id });
    return json(200, { message: 'Success', item: stored.Item });
  } catch (error) {
    if (isDynamoDbUnavailable(error)) {
      requestLog.warn('dynamodb unavailable', { error });
      return json(503, { error: 'dynamodb unavailable' });
    }
    requestLog.error('products failed', { error });
    return json(500, { error: 'internal error' });
  }
}
