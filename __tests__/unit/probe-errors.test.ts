/**
 * How the handlers' probe mode (functions/shared/probe.ts) names a failed call. DynamoDB's
 * AccessDeniedException carries IAM's enhanced message, which names the policy type that
 * refused; a local DynamoDB has no IAM, so these are the messages as AWS writes them.
 */
import { classifyProbeError } from '../../functions/shared/probe';

const denied = (message: string) => Object.assign(new Error(message), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });
const who = 'User: arn:aws:sts::123456789012:assumed-role/products-fn/vpc-lambda-dynamodb-products is not authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:us-east-1:123456789012:table/products';

test.each([
  [`${who} because no VPC endpoint policy allows the dynamodb:GetItem action`, 'access-denied-endpoint-policy'],
  [`${who} with an explicit deny in a VPC endpoint policy`, 'access-denied-endpoint-policy'],
  [`${who} because no identity-based policy allows the dynamodb:GetItem action`, 'access-denied-role'],
  [`${who} with an explicit deny in an identity-based policy`, 'access-denied-role'],
  [`${who} because no permissions boundary allows the dynamodb:GetItem action`, 'access-denied-role'],
  [`${who} with an explicit deny in a resource-based policy`, 'access-denied-resource-policy'],
  [`${who} with an explicit deny in a service control policy`, 'access-denied'],
  [who, 'access-denied'],
])('%s -> %s', (message, expected) => {
  expect(classifyProbeError(denied(message))).toBe(expected);
});

test('no answer is a timeout; an answer that refuses for load is not', () => {
  expect(classifyProbeError(Object.assign(new Error('Request aborted'), { name: 'AbortError' }))).toBe('timeout');
  expect(classifyProbeError(Object.assign(new Error('connect ETIMEDOUT 52.94.0.10:443'), { code: 'ETIMEDOUT', $metadata: {} }))).toBe('timeout');
  expect(classifyProbeError(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }))).toBe('other');
  expect(classifyProbeError(Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 400 } }))).toBe('not-found');
  expect(classifyProbeError(Object.assign(new Error('The provided key element does not match the schema'), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } }))).toBe('other');
});

test('the event verify --probe sends is the one the handlers recognise as a probe', async () => {
  const { PROBE_EVENT } = await import('../../analysis/probe-report');
  const { isProbeEvent, ProbeEvent } = await import('../../functions/shared/probe');
  expect(isProbeEvent(PROBE_EVENT)).toBe(true);
  expect(ProbeEvent.safeParse(PROBE_EVENT).success).toBe(true);
  // A function URL event carrying it in its body is not one (probes are direct invocations only).
  expect(isProbeEvent({ requestContext: {}, body: JSON.stringify(PROBE_EVENT) })).toBe(false);
});
