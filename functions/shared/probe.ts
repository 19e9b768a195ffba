import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { isDynamoDbUnavailable } from './dependency-errors';
import { parseEvent } from './event-payload';
import { HttpResponse } from './http-response';
import { Logger } from './logger';

/**
 * Probe mode: `verify --probe` (analysis/live/probe.ts) invokes a function with
 * `{ "vldProbe": 1 }` and the function touches each table it uses, from inside its VPC, with
 * its own role, through whatever route its subnets have: the path and the grants a real event
 * would need, proved by calls that never write.
 *
 * - a read action: GetItem on a key that cannot exist (`vld-probe#<uuid>`): nothing to return;
 * - a write action: PutItem of that key with `attribute_exists(<partition key>)`. DynamoDB
 *   authorizes PutItem (role, endpoint policy, resource policy) before it evaluates the
 *   condition, and the condition cannot hold on a key that does not exist: the answer
 *   ConditionalCheckFailedException proves the path and the grant, and no item is written.
 *
 * Only a direct invocation (lambda:InvokeFunction, IAM-gated) is a probe: the same body through
 * a function URL or API Gateway is ordinary input and is refused by the function's own schema.
 */

/** The field that makes an event a probe; the value is the probe's version. Named so no real event carries it. */
export const PROBE_FIELD = 'vldProbe';
/** The probe event (version 1), strict like every input schema here. */
export const ProbeEvent = z.object({ [PROBE_FIELD]: z.literal(1) }).strict();
export type ProbeEvent = z.infer<typeof ProbeEvent>;

/**
 * What went wrong, in the words verify maps to the seed's symptoms:
 * - `timeout`: DynamoDB did not answer (connect or socket timeout, refused, reset, or the
 *   probe's deadline passed): "Unable to connect to DynamoDB", a route or security group problem;
 * - `access-denied-role`: no identity-based policy allows the action (or a permissions boundary, a session policy);
 * - `access-denied-endpoint-policy`: the VPC endpoint policy does not allow it;
 * - `access-denied-resource-policy`: the table's resource policy denies it;
 * - `access-denied`: denied, and DynamoDB's message names no policy type (or an organization's SCP/RCP);
 * - `not-found`: the table does not exist (in this account and region);
 * - `other`: anything else (throttling, a key that does not match the table's schema), with DynamoDB's message.
 */
export const PROBE_ERROR_CLASSES = ['timeout', 'access-denied-role', 'access-denied-endpoint-policy', 'access-denied-resource-policy', 'access-denied', 'not-found', 'other'] as const;
export type ProbeErrorClass = (typeof PROBE_ERROR_CLASSES)[number];

/** One call of the probe. */
export interface ProbeCall {
  readonly table: string;
  readonly action: 'dynamodb:GetItem' | 'dynamodb:PutItem';
  readonly ok: boolean;
  readonly errorClass?: ProbeErrorClass;
  readonly message?: string;
  /** How long DynamoDB took to answer (or the probe gave up), in milliseconds. */
  readonly ms: number;
}

/** What a function answers a probe with (the Invoke payload). */
export interface ProbeResult {
  readonly probe: true;
  readonly version: 1;
  readonly function: string;
  /** One entry per table and action the function uses. */
  readonly tables: ProbeCall[];
}

/** A table a function uses, the actions its code makes on it, and how to build a key of it. */
export interface ProbeTarget {
  readonly table: string;
  readonly actions: ReadonlyArray<'dynamodb:GetItem' | 'dynamodb:PutItem'>;
  /** The name of the table's partition key (the condition names it). */
  readonly partitionKey: string;
  /** A full primary key (partition and sort key) holding the probe's value. */
  readonly key: (value: string) => Record<string, string>;
}

/** True for an event that asks for a probe: a direct invocation's object carrying {@link PROBE_FIELD}. */
export function isProbeEvent(event: unknown): boolean {
  return event !== null && typeof event === 'object' && !Array.isArray(event) && !('requestContext' in event) && PROBE_FIELD in event;
}

/** The longest any probe call may take: well inside the seed's 3 s function timeout, so a blackholed route is reported, not killed. */
export const PROBE_CALL_TIMEOUT_MS = 1500;
/** Left to the function after the probe's calls: to log and return before Lambda's own timeout. */
const PROBE_MARGIN_MS = 500;

// DynamoDB's AccessDeniedException names the policy type that refused (IAM's enhanced messages):
// "... because no VPC endpoint policy allows the dynamodb:GetItem action",
// "... with an explicit deny in a VPC endpoint policy", "... because no identity-based policy allows ...".
const POLICY_TYPE = /(?:because no|with an explicit deny in an?) (VPC endpoint(?= polic)|identity-based(?= polic)|resource-based(?= polic)|permissions boundary|session(?= polic)|service control(?= polic)|resource control(?= polic))/i;
const DENIED_CLASS: Record<string, ProbeErrorClass> = {
  'vpc endpoint': 'access-denied-endpoint-policy',
  'identity-based': 'access-denied-role',
  'permissions boundary': 'access-denied-role',
  session: 'access-denied-role',
  'resource-based': 'access-denied-resource-policy',
};

/** The class of a failed probe call, from the SDK's error. */
export function classifyProbeError(error: unknown): ProbeErrorClass {
  const e = error as { name?: string; message?: string };
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError' || isDynamoDbUnavailable(error)) {
    // Throttling and 5xx are "unavailable" to the handler but DynamoDB did answer: not a network symptom.
    const answered = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== undefined;
    return answered ? 'other' : 'timeout';
  }
  if (e?.name === 'AccessDeniedException' || e?.name === 'AccessDenied') {
    const type = POLICY_TYPE.exec(e.message ?? '')?.[1]?.toLowerCase();
    return (type && DENIED_CLASS[type]) || 'access-denied';
  }
  if (e?.name === 'ResourceNotFoundException') return 'not-found';
  return 'other';
}

/** Runs one call, timed, against the deadline; never throws. */
async function probeCall(documents: DynamoDBDocumentClient, target: ProbeTarget, action: ProbeCall['action'], deadlineMs: number): Promise<ProbeCall> {
  const Key = target.key(`vld-probe#${randomUUID()}`);
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  // A signal per call: the client's own timeouts and retries (dynamodb-client.ts) outlast a 3 s function.
  const abortSignal = AbortSignal.timeout(deadlineMs);
  try {
    if (action === 'dynamodb:GetItem') {
      await documents.send(new GetCommand({ TableName: target.table, Key }), { abortSignal });
      return { table: target.table, action, ok: true, ms: ms() };
    }
    await documents.send(
      new PutCommand({ TableName: target.table, Item: Key, ConditionExpression: 'attribute_exists(#k)', ExpressionAttributeNames: { '#k': target.partitionKey } }),
      { abortSignal },
    );
    // Cannot happen for a random key; said, never counted as a pass.
    return { table: target.table, action, ok: false, errorClass: 'other', message: 'the conditional put was not refused: the probe key existed', ms: ms() };
  } catch (error) {
    const elapsed = ms();
    if (action === 'dynamodb:PutItem' && (error as { name?: string })?.name === 'ConditionalCheckFailedException') return { table: target.table, action, ok: true, ms: elapsed };
    const errorClass = classifyProbeError(error);
    const raw = (error as Error)?.message ?? String(error);
    const message = errorClass === 'timeout' ? `Unable to connect to DynamoDB: no answer in ${elapsed} ms (${(error as Error)?.name === 'AbortError' ? 'probe deadline' : raw.split('\n')[0]})` : `${(error as Error)?.name ?? 'Error'}: ${raw.split('\n')[0]}`;
    return { table: target.table, action, ok: false, errorClass, message, ms: elapsed };
  }
}

/**
 * Answers a probe event: refuses a malformed one (400 naming the field, as for any input) or
 * touches every target's actions, all at once, each within the deadline.
 */
export async function answerProbe(
  event: unknown,
  probe: { readonly name: string; readonly documents: DynamoDBDocumentClient; readonly targets: readonly ProbeTarget[]; readonly log: Logger },
  context?: { getRemainingTimeInMillis?: () => number },
): Promise<ProbeResult | HttpResponse> {
  const { documents, targets, log } = probe;
  const input = parseEvent(ProbeEvent, event);
  if (!input.ok) {
    log.info('rejected probe', { status: 400 });
    return input.response;
  }
  const remaining = context?.getRemainingTimeInMillis?.() ?? Number.POSITIVE_INFINITY;
  const deadlineMs = Math.max(100, Math.min(PROBE_CALL_TIMEOUT_MS, remaining - PROBE_MARGIN_MS));
  const calls = await Promise.all(targets.flatMap((t) => t.actions.map((action) => probeCall(documents, t, action, deadlineMs))));
  for (const c of calls) {
    if (c.ok) log.info('probe ok', { table: c.table, action: c.action, ms: c.ms });
    else log.warn('probe failed', { table: c.table, action: c.action, errorClass: c.errorClass, probeError: c.message, ms: c.ms });
  }
  return { probe: true, version: 1, function: process.env.AWS_LAMBDA_FUNCTION_NAME ?? probe.name, tables: calls };
}
