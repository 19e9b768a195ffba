/** The one shape every check reports in. */

/** `error` fails `npm run check`; `warning` and `info` are printed only. */
export type Severity = 'error' | 'warning' | 'info';

/** A check's definition: a stable id (`VLD0xx` security, `VLD1xx` troubleshooting). */
export interface CheckDefinition {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  /** What to change. */
  readonly fix: string;
  /** What the user sees at run time when this is wrong (the seed's symptoms). */
  readonly symptom?: string;
}

/** One failed check on one resource. */
export interface Finding {
  readonly id: string;
  readonly severity: Severity;
  readonly title: string;
  /** Terraform address the finding is about. */
  readonly resource: string;
  readonly message: string;
  readonly fix: string;
  readonly symptom?: string;
}

/** A finding of a check. */
export function finding(check: CheckDefinition, resource: string, message: string): Finding {
  return { id: check.id, severity: check.severity, title: check.title, resource, message, fix: check.fix, symptom: check.symptom };
}

/** True when any finding must fail the run. */
export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}

/** `--fail-on`: the least severity that fails the run (`never`: report only). */
export type FailOn = 'error' | 'warning' | 'never';
export const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'never'];

/** True when the findings fail the run at this threshold (`error`: today's {@link hasErrors}). */
export function failsOn(findings: readonly Finding[], failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  return findings.some((f) => f.severity === 'error' || (failOn === 'warning' && f.severity === 'warning'));
}
