/**
 * `npm run soak [-- --invocations 2000 --concurrency 50 --malformed 250]`: the functions as
 * deployed (the esbuild bundles, each required once: one warm container) under load and
 * faults, against the local servers (dynalite, embedded PostgreSQL). Checks, per function:
 * - load: every invocation answers 200, and the table holds exactly one item per invocation
 *   (unique ids: nothing lost, nothing duplicated); user-activity never holds more than one
 *   PostgreSQL connection (pg_stat_activity, sampled every 25 ms during every phase);
 * - outage (DynamoDB for both functions, PostgreSQL for user-activity): the server is stopped
 *   mid-run and started again; answers are 200 or 503 only, every 200 has its item, a 503
 *   for a database outage wrote nothing, and the same container answers 200 afterwards;
 * - malformed events (wrong types, missing fields, huge strings, unicode, nested garbage,
 *   null, arrays, non-JSON bodies): all 4xx, nothing written, the container still answers 200;
 * - redelivery: events delivered again after their 200 (sequentially, and three at once) and
 *   retried after an injected client timeout while the first delivery still runs, keyed by the
 *   async request id, an Idempotency-Key header or an idempotencyKey field: one item per event,
 *   one answer per event;
 * - no unhandled rejection and no uncaught exception anywhere.
 * Prints a summary (`--json`: one JSON object with, per function, invocations, redeliveries,
 * acknowledgedWrites, lostWrites, duplicateWrites); exits 1 if any property is violated,
 * lostWrites or duplicateWrites included. The jest test
 * `__tests__/functions/soak.test.ts` runs the same phases with small counts.
 */
import { performance } from 'node:perf_hooks';
import Table from 'cli-table3';
import { Command } from 'commander';
import { positiveInteger } from './cli-options';
import { FailureTracker, SoakEnvironment } from './soak/environment';
import { loadPhase, malformedPhase, outagePhase, PhaseReport, redeliveryPhase } from './soak/phases';
import { SoakFunction } from './malformed-events';

export * from './soak/environment';
export * from './soak/phases';

// ---------------------------------------------------------------------------------------------
// The whole soak.

export interface SoakOptions {
  readonly invocations: number;
  readonly concurrency: number;
  readonly malformed: number;
  /** Events per function delivered more than once (default: a quarter of `invocations`). */
  readonly redeliveries?: number;
  readonly log?: (line: string) => void;
  /** Record uncaught exceptions instead of letting them end the process (the CLI does; jest must not). */
  readonly catchExceptions?: boolean;
}

/** The exactly-once figures of one function over every phase. */
export interface FunctionSummary {
  /** Handler calls, redeliveries and malformed events included. */
  readonly invocations: number;
  /** Deliveries of an event beyond its first. */
  readonly redeliveries: number;
  /** Events answered 200 (once per event, whatever the number of deliveries). */
  readonly acknowledgedWrites: number;
  /** Events answered 200 whose item is not in the table. */
  readonly lostWrites: number;
  /** Items beyond one per event. */
  readonly duplicateWrites: number;
}

export interface SoakReport {
  readonly options: { invocations: number; concurrency: number; malformed: number; redeliveries: number };
  readonly functions: Record<SoakFunction, FunctionSummary>;
  readonly phases: PhaseReport[];
  readonly unhandled: string[];
  readonly warnings: string[];
  readonly violations: string[];
  readonly durationMs: number;
}

/** Every phase for both functions, one environment. */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => undefined);
  const tracker = new FailureTracker(options.catchExceptions === true);
  const started = performance.now();
  const phases: PhaseReport[] = [];
  let env: SoakEnvironment | undefined;
  try {
    log('starting dynalite and embedded PostgreSQL, bundling the functions');
    env = await SoakEnvironment.start();
    const { invocations: n, concurrency: c } = options;
    const r = redeliveryEvents(options);
    const plan: Array<[string, () => Promise<PhaseReport>]> = [
      [`products: ${n} invocations at ${c} concurrent`, () => loadPhase(env!, 'products', n, c)],
      [`user-activity: ${n} invocations at ${c} concurrent`, () => loadPhase(env!, 'user-activity', n, c)],
      ['products: DynamoDB outage', () => outagePhase(env!, 'products', 'dynamodb', n, c)],
      ['user-activity: DynamoDB outage', () => outagePhase(env!, 'user-activity', 'dynamodb', n, c)],
      ['user-activity: PostgreSQL outage', () => outagePhase(env!, 'user-activity', 'postgres', n, c)],
      [`products: ${r} events redelivered`, () => redeliveryPhase(env!, 'products', r, c)],
      [`user-activity: ${r} events redelivered`, () => redeliveryPhase(env!, 'user-activity', r, c)],
      [`products: ${options.malformed}+ malformed events`, () => malformedPhase(env!, 'products', options.malformed, c)],
      [`user-activity: ${options.malformed}+ malformed events`, () => malformedPhase(env!, 'user-activity', options.malformed, c)],
    ];
    for (const [label, run] of plan) {
      log(`${label} ...`);
      const report = await run();
      log(`  ${report.violations.length === 0 ? 'ok' : 'VIOLATED'} in ${Math.round(report.durationMs)} ms`);
      phases.push(report);
    }
  } finally {
    await env?.stop();
    // Rejections surface on a later tick.
    await new Promise((r) => setTimeout(r, 50));
    tracker.dispose();
  }
  const functions = summarizeFunctions(phases);
  const violations = [...phases.flatMap((p) => p.violations.map((v) => `${p.fn} ${p.phase}: ${v}`)), ...tracker.unhandled];
  for (const [fn, f] of Object.entries(functions)) {
    if (f.lostWrites !== 0 || f.duplicateWrites !== 0) violations.push(`${fn}: ${f.lostWrites} lost and ${f.duplicateWrites} duplicated writes (must be 0)`);
  }
  return {
    options: { invocations: options.invocations, concurrency: options.concurrency, malformed: options.malformed, redeliveries: redeliveryEvents(options) },
    functions,
    phases,
    unhandled: tracker.unhandled,
    warnings: tracker.warnings,
    violations,
    durationMs: performance.now() - started,
  };
}

function redeliveryEvents(options: SoakOptions): number {
  return options.redeliveries ?? Math.max(3, Math.round(options.invocations / 4));
}

/** Per function, the sums over its phases. */
export function summarizeFunctions(phases: readonly PhaseReport[]): Record<SoakFunction, FunctionSummary> {
  const of = (fn: SoakFunction): FunctionSummary => {
    const mine = phases.filter((p) => p.fn === fn);
    const sum = (value: (p: PhaseReport) => number | undefined) => mine.reduce((total, p) => total + (value(p) ?? 0), 0);
    return {
      invocations: sum((p) => p.invocations),
      redeliveries: sum((p) => p.redeliveries),
      acknowledgedWrites: sum((p) => p.writes?.acknowledged),
      lostWrites: sum((p) => p.writes?.lost),
      duplicateWrites: sum((p) => p.writes?.duplicate),
    };
  };
  return { products: of('products'), 'user-activity': of('user-activity') };
}

/** The one JSON object of `--json`: per function the exactly-once figures, then the verdict. */
export function jsonSummary(report: SoakReport): object {
  return {
    ok: report.violations.length === 0,
    functions: report.functions,
    options: report.options,
    phases: report.phases.map((p) => ({ fn: p.fn, phase: p.phase, invocations: p.invocations, statuses: p.statuses, redeliveries: p.redeliveries ?? 0, writes: p.writes ?? null, notes: p.notes, violations: p.violations })),
    unhandled: report.unhandled,
    violations: report.violations,
    durationMs: Math.round(report.durationMs),
  };
}

/** The summary table and the verdict. */
export function renderReport(report: SoakReport): string {
  const table = new Table({
    head: ['function', 'phase', 'invocations', 'answers', 'p50 / p99 ms', 'items (200 with item)', 'max PG conns', 'result'],
    style: { head: [], border: [] },
    colWidths: [15, 18, 13, 22, 16, 24, 8, 10],
    wordWrap: true,
  });
  for (const p of report.phases) {
    const answers = Object.entries(p.statuses)
      .sort()
      .map(([s, n]) => `${s}: ${n}`)
      .join(', ');
    table.push([p.fn, p.phase, p.invocations, answers, `${p.p50Ms.toFixed(1)} / ${p.p99Ms.toFixed(1)}`, p.itemsChecked, p.maxPostgresConnections ?? '-', p.violations.length === 0 ? 'ok' : 'VIOLATED']);
  }
  const lines = [table.toString()];
  for (const p of report.phases) lines.push(`${p.fn} ${p.phase}: ${p.notes.join('; ')}`);
  for (const [fn, f] of Object.entries(report.functions)) {
    lines.push(`${fn}: ${f.invocations} invocations, ${f.redeliveries} redeliveries, ${f.acknowledgedWrites} acknowledged writes, ${f.lostWrites} lost, ${f.duplicateWrites} duplicated`);
  }
  lines.push(`unhandled rejections / uncaught exceptions: ${report.unhandled.length}`);
  if (report.warnings.length > 0) lines.push(`process warnings (not failures): ${report.warnings.join(' | ')}`);
  lines.push(`soak took ${(report.durationMs / 1000).toFixed(1)} s`);
  if (report.violations.length === 0) lines.push('all properties held');
  else lines.push(`${report.violations.length} violated:`, ...report.violations.map((v) => `  - ${v}`));
  return lines.join('\n');
}


async function main(): Promise<number> {
  const program = new Command()
    .name('npm run soak --')
    .description('Load, outages and malformed events against both functions on local servers; exits 1 on any violated property.')
    .option('--invocations <n>', 'invocations per function per load and outage run', positiveInteger, 2000)
    .option('--concurrency <n>', 'invocations in flight at once', positiveInteger, 50)
    .option('--malformed <n>', 'malformed events per function (at least)', positiveInteger, 250)
    .option('--redeliveries <n>', 'events per function delivered more than once (default: invocations / 4)', positiveInteger)
    .option('--json', 'print one JSON summary on stdout (progress stays on stderr)')
    .parse(process.argv);
  const { json, ...opts } = program.opts<{ invocations: number; concurrency: number; malformed: number; redeliveries?: number; json?: boolean }>();
  const report = await runSoak({ ...opts, catchExceptions: true, log: (line) => process.stderr.write(`${line}\n`) });
  console.log(json ? JSON.stringify(jsonSummary(report), null, 2) : renderReport(report));
  return report.violations.length === 0 ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`soak failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exitCode = 1;
    },
  );
}
