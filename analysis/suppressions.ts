/**
 * Suppressions: a finding a team accepts, written down with why and until when. From a file
 * checked in beside the configuration (`.vld.yaml`) or per run (`--skip`). A suppressed finding
 * is reported as suppressed in every format and no longer fails the run; a suppression without
 * a reason is refused, and one past its expiry no longer applies (the run says so).
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import type { CheckReport } from './analyze';
import { Finding, hasErrors } from './findings';
import { InputError } from './load-input';

/** One accepted finding: its rule, optionally one resource, the reason, optionally an expiry. */
export interface Suppression {
  readonly id: string;
  /** A resource address, or its prefix (`module.app`, `aws_route.private`); every resource when absent. */
  readonly resource?: string;
  readonly reason: string;
  /** `YYYY-MM-DD`: the last day the suppression applies. */
  readonly expires?: string;
  /** Where it was written: the file, or `--skip`. */
  readonly source: string;
  /** Written in the configuration itself (a `#checkov:skip` comment, a `//` entry): SARIF's `inSource`. */
  readonly inSource?: boolean;
}

/** A finding taken out of the verdict by a suppression. */
export interface SuppressedFinding {
  readonly finding: Finding;
  readonly reason: string;
  readonly expires?: string;
  readonly source: string;
  readonly inSource?: boolean;
}

/** The file a run reads when no `--suppressions` is given and it exists in the working folder. */
export const DEFAULT_SUPPRESSIONS_FILE = '.vld.yaml';

const RULE_ID = /^VLD\d{3}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

const FileSchema = z
  .object({
    suppressions: z.array(
      z
        .object({
          id: z.string().regex(RULE_ID, 'must be a rule id like VLD010'),
          resource: z.string().min(1).optional(),
          reason: z.string().trim().min(1, 'is required: say why the finding is accepted'),
          expires: z.string().regex(DAY, 'must be a date YYYY-MM-DD').optional(),
        })
        .strict(),
    ),
  })
  .strict();

/** Reads a suppressions file; any problem is one InputError naming the file and the entry. */
export function loadSuppressions(file: string): Suppression[] {
  if (!existsSync(file)) throw new InputError('--suppressions', `${file} does not exist`);
  let data: unknown;
  try {
    data = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InputError('--suppressions', `${file} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const result = FileSchema.safeParse(data ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new InputError('--suppressions', `${file}: ${issue.path.join('.') || 'the file'} ${issue.message}`);
  }
  return result.data.suppressions.map((s) => ({ ...s, source: file }));
}

/** `--skip VLD010=reason` or `--skip VLD010@aws_route.private=reason`. */
export function parseSkip(value: string): Suppression {
  const m = /^(VLD\d{3})(?:@([^=]+))?=(.*)$/.exec(value);
  if (!m || m[3].trim() === '') {
    throw new InputError('--skip', `expects ID=reason or ID@resource=reason (a reason is required), got "${value}"`);
  }
  return { id: m[1], resource: m[2]?.trim(), reason: m[3].trim(), source: '--skip' };
}

function matches(s: Suppression, f: Finding): boolean {
  if (s.id !== f.id) return false;
  if (!s.resource) return true;
  return f.resource === s.resource || f.resource.startsWith(`${s.resource}[`) || f.resource.startsWith(`${s.resource}.`);
}

/**
 * The report with suppressed findings moved out of the verdict. `today` decides expiry
 * (a suppression applies through its `expires` day).
 */
export function applySuppressions(report: CheckReport, suppressions: readonly Suppression[], today: Date = new Date()): CheckReport {
  const day = today.toISOString().slice(0, 10);
  const active = suppressions.filter((s) => !s.expires || s.expires >= day);
  const expired = suppressions.filter((s) => s.expires && s.expires < day);
  const suppressed: SuppressedFinding[] = [];
  const keep = (findings: Finding[]) =>
    findings.filter((f) => {
      const s = active.find((candidate) => matches(candidate, f));
      if (!s) return true;
      suppressed.push({ finding: f, reason: s.reason, expires: s.expires, source: s.source, ...(s.inSource ? { inSource: true } : {}) });
      return false;
    });
  const troubleshooting = keep(report.troubleshooting);
  const security = keep(report.security);
  return {
    ...report,
    troubleshooting,
    security,
    failed: hasErrors([...troubleshooting, ...security]),
    suppressed: [...(report.suppressed ?? []), ...suppressed],
    expiredSuppressions: [...(report.expiredSuppressions ?? []), ...expired],
  };
}
