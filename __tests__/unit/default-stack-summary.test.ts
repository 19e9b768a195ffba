import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StackSummary, summarizeStack } from '../support/stack-summary';
import { synthDeploy } from '../support/synth';

/**
 * The default deploy stack is the seed's example system written in the constructs' general
 * interface (tables and functions as maps). It must keep what the hand-wired version had:
 * the same resource types and counts, the same role actions on the same tables, the same
 * egress targets, encryption and public access. The fixture was generated from the
 * hand-wired stack before the rework (commit "Baseline: security summary ...").
 */
test('the default stack has the resource counts and security properties of the hand-wired seed system', () => {
  const baseline = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'default-stack-summary.json'), 'utf8')) as StackSummary;
  expect(summarizeStack(synthDeploy())).toEqual(baseline);
});

test('the summary sees a change of what is allowed (it is not blind)', () => {
  const json = synthDeploy({ endpointPolicy: 'open', functions: { allowInternetEgress: true }, natMode: 'single' });
  const summary = summarizeStack(json);
  expect(summary.endpointPolicy).toBeNull();
  const products = summary.functions['vpc-lambda-dynamodb-products'] as { securityGroups: Array<{ egress: Array<{ to: unknown }> }> };
  expect(products.securityGroups[0].egress.map((e) => e.to)).toContain('0.0.0.0/0');
});
