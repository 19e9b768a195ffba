/**
 * The soak (`npm run soak`: 2,000 invocations at 50 concurrent per run) with small counts:
 * the same phases, imported from scripts/soak.ts, on the bundles as deployed and real local
 * servers. Each test asserts that the phase found no violated property.
 */
import { FailureTracker, loadPhase, malformedPhase, outagePhase, PhaseReport, redeliveryPhase, SoakEnvironment, summarizeFunctions } from '../../scripts/soak';

const INVOCATIONS = 200;
const CONCURRENCY = 20;
const MALFORMED = 200;
const REDELIVERED = 30;

let env: SoakEnvironment;
let tracker: FailureTracker;

beforeAll(async () => {
  tracker = new FailureTracker(false);
  env = await SoakEnvironment.start();
}, 60000);

afterAll(async () => {
  await env?.stop();
  await new Promise((r) => setTimeout(r, 50));
  tracker.dispose();
  expect(tracker.unhandled).toEqual([]);
});

/** The violations, with the phase's figures when there are any (a readable failure). */
const verdict = (report: PhaseReport) => (report.violations.length === 0 ? [] : [JSON.stringify({ statuses: report.statuses, notes: report.notes }), ...report.violations]);

test.each(['products', 'user-activity'] as const)('%s: load at 20 concurrent, one item per 200, at most one PostgreSQL connection', async (fn) => {
  const report = await loadPhase(env, fn, INVOCATIONS, CONCURRENCY);
  expect(verdict(report)).toEqual([]);
  expect(report.statuses).toEqual({ 200: INVOCATIONS });
  if (fn === 'user-activity') expect(report.maxPostgresConnections).toBe(1);
});

test.each([
  ['products', 'dynamodb'],
  ['user-activity', 'dynamodb'],
  ['user-activity', 'postgres'],
] as const)('%s: %s stopped mid-run and restarted: 200 or 503 only, every 200 stored, recovers', async (fn, dependency) => {
  const report = await outagePhase(env, fn, dependency, INVOCATIONS, CONCURRENCY);
  expect(verdict(report)).toEqual([]);
  expect(report.statuses[503]).toBeGreaterThan(0);
}, 30000);

test.each(['products', 'user-activity'] as const)('%s: 200+ malformed events, all 4xx, nothing written', async (fn) => {
  const report = await malformedPhase(env, fn, MALFORMED, CONCURRENCY);
  expect(verdict(report)).toEqual([]);
  expect(report.invocations).toBeGreaterThanOrEqual(MALFORMED);
});

test.each(['products', 'user-activity'] as const)('%s: events redelivered sequentially, concurrently and after a timeout: one item and one answer each', async (fn) => {
  const report = await redeliveryPhase(env, fn, REDELIVERED, CONCURRENCY);
  expect(verdict(report)).toEqual([]);
  expect(report.statuses).toEqual({ 200: report.invocations });
  expect(report.redeliveries).toBeGreaterThan(REDELIVERED);
  expect(summarizeFunctions([report])[fn]).toEqual({ invocations: report.invocations, redeliveries: report.redeliveries, acknowledgedWrites: REDELIVERED, lostWrites: 0, duplicateWrites: 0 });
});
