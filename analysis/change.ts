/**
 * What a change does: the report of a base (the plan or stack before the change) against the
 * report of the change, for `check --base`: the monthly network cost before, after and the
 * difference, the functions whose verdict changed, and the findings that are new or resolved.
 */
import type { CheckReport } from './analyze';
import { allFindings } from './analyze';
import { Finding } from './findings';
import type { FunctionReachability } from './reachability';

/** A function's verdict, as a word. */
export type Verdict = 'private' | 'not private' | 'unverified' | 'absent';

/** The comparison of two reports. */
export interface ChangeReport {
  readonly base: { readonly source: string; readonly file?: string };
  readonly cost: {
    readonly fixedBefore: number | null;
    readonly fixedAfter: number | null;
    readonly fixedDelta: number | null;
    readonly usageBefore: number | null;
    readonly usageAfter: number | null;
    readonly usageDelta: number | null;
  };
  /** Functions whose verdict differs, by function name. */
  readonly verdicts: Array<{ readonly function: string; readonly before: Verdict; readonly after: Verdict }>;
  readonly newFindings: Finding[];
  readonly resolvedFindings: Finding[];
}

function verdictOf(fn: FunctionReachability | undefined): Verdict {
  if (!fn) return 'absent';
  // A function broken for a known reason is not private, whatever else is unknown about it.
  if (fn.reasons.length > 0) return 'not private';
  if (fn.unverified.length > 0) return 'unverified';
  return fn.reachable ? 'private' : 'not private';
}

const keyOf = (f: Finding) => `${f.id}|${f.resource}`;
const money = (n: number) => Math.round(n * 100) / 100;

/** Compares the change's report with the base's. */
export function compareReports(base: CheckReport, change: CheckReport): ChangeReport {
  const names = [...new Set([...base.reachability.functions, ...change.reachability.functions].map((f) => f.name))];
  const find = (report: CheckReport, name: string) => report.reachability.functions.find((f) => f.name === name);
  const verdicts = names
    .map((name) => ({ function: name, before: verdictOf(find(base, name)), after: verdictOf(find(change, name)) }))
    .filter((v) => v.before !== v.after);
  const before = new Set(allFindings(base).map(keyOf));
  const after = new Set(allFindings(change).map(keyOf));
  return {
    base: base.input,
    cost: {
      fixedBefore: base.cost.fixedMonthly,
      fixedAfter: change.cost.fixedMonthly,
      fixedDelta: delta(base.cost.fixedMonthly, change.cost.fixedMonthly),
      usageBefore: base.cost.variableMonthly,
      usageAfter: change.cost.variableMonthly,
      usageDelta: delta(base.cost.variableMonthly, change.cost.variableMonthly),
    },
    verdicts,
    newFindings: allFindings(change).filter((f) => !before.has(keyOf(f))),
    resolvedFindings: allFindings(base).filter((f) => !after.has(keyOf(f))),
  };
}

/** after - before, or null when either is not priced (an unknown region or price). */
function delta(before: number | null, after: number | null): number | null {
  return before === null || after === null ? null : money(after - before);
}

/** `$32.85`, or `not priced` for a cost whose region or price is not known. */
export function usd(n: number | null): string {
  return n === null ? 'not priced' : `$${n.toFixed(2)}`;
}

/** `+$32.85/month`, `-$5.00/month`, `$0.00/month`; `not priced` for null. */
export function signedDollars(n: number | null): string {
  if (n === null) return 'not priced';
  const sign = n > 0 ? '+' : n < 0 ? '-' : '';
  return `${sign}$${Math.abs(n).toFixed(2)}/month`;
}

/** The change as lines of text (the same words the markdown uses). */
export function changeLines(change: ChangeReport): string[] {
  const c = change.cost;
  const out = [
    `What this change does (against ${change.base.source}${change.base.file ? ` ${change.base.file}` : ''}):`,
    `  fixed network cost: ${usd(c.fixedBefore)} -> ${usd(c.fixedAfter)} (${signedDollars(c.fixedDelta)}); usage: ${usd(c.usageBefore)} -> ${usd(c.usageAfter)} (${signedDollars(c.usageDelta)})`,
  ];
  if (change.verdicts.length === 0) out.push('  reachability: no function changed its verdict');
  for (const v of change.verdicts) out.push(`  reachability: ${v.function}: ${v.before} -> ${v.after}`);
  out.push(`  findings: ${change.newFindings.length} new, ${change.resolvedFindings.length} resolved`);
  for (const f of change.newFindings) out.push(`    new      ${f.id} ${f.severity} ${f.resource}: ${f.title}`);
  for (const f of change.resolvedFindings) out.push(`    resolved ${f.id} ${f.resource}: ${f.title}`);
  return out;
}
