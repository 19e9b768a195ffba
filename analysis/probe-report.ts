/**
 * `verify --probe`, the canary's report. analysis/live/probe.ts invokes each function with the
 * probe event its handler answers in probe mode (functions/shared/probe.ts): from inside its
 * VPC, with its own role, it touches each table it uses with calls that never write and says,
 * per table and action, ok or why not. Here each answer becomes the report's `probe` section,
 * a line in the seed's words ("Unable to connect to DynamoDB", "Task timed out after 3.00
 * seconds", AccessDeniedException ...) and, when it is not ok, a VLD120 finding. No SDK here:
 * `check` renders reports without loading one.
 */
import { Finding, finding } from './findings';
import { TROUBLESHOOTING } from './troubleshooting';

/** The event a handler answers in probe mode (version 1); the handlers' ProbeEvent schema accepts exactly this. */
export const PROBE_EVENT = { vldProbe: 1 } as const;

/** The error classes a handler reports per call (functions/shared/probe.ts). */
const CALL_CLASSES = ['timeout', 'access-denied-role', 'access-denied-endpoint-policy', 'access-denied-resource-policy', 'access-denied', 'not-found', 'other'] as const;

/** One table and action, as the function answered it. */
export interface ProbeCallReport {
  readonly table: string;
  readonly action: string;
  readonly ok: boolean;
  readonly errorClass?: (typeof CALL_CLASSES)[number];
  readonly message?: string;
  /** DynamoDB's latency as the function measured it. */
  readonly ms: number;
}

/** Why a function gave no per-table answer. */
export type ProbeFailure =
  /** Lambda stopped it at its timeout: the seed's "Task timed out after N seconds". */
  | { readonly kind: 'function-timeout'; readonly message: string }
  /** It threw (FunctionError Unhandled/Handled): its errorType and errorMessage. */
  | { readonly kind: 'function-error'; readonly message: string }
  /** It answered something other than a probe result: its code predates probe mode, or is not this project's handler. */
  | { readonly kind: 'no-probe-mode'; readonly message: string }
  /** Lambda refused to run it (Pending, ENI or KMS trouble, ...): the service's error. */
  | { readonly kind: 'invoke-error'; readonly message: string };

/** One function's probe. */
export interface FunctionProbeReport {
  readonly function: string;
  /** The Invoke round trip from here, cold start included. */
  readonly ms: number;
  /** Every call ok, and at least one made. */
  readonly ok: boolean;
  readonly tables: ProbeCallReport[];
  readonly failure?: ProbeFailure;
}

/** The `probe` section of the report. */
export interface ProbeReport {
  readonly event: typeof PROBE_EVENT;
  readonly functions: FunctionProbeReport[];
}

const TIMED_OUT = /Task timed out after [\d.]+ seconds/;

function isCall(value: unknown): value is ProbeCallReport {
  const c = value as Partial<ProbeCallReport>;
  return (
    !!c &&
    typeof c.table === 'string' &&
    typeof c.action === 'string' &&
    typeof c.ok === 'boolean' &&
    typeof c.ms === 'number' &&
    (c.errorClass === undefined || (CALL_CLASSES as readonly string[]).includes(c.errorClass)) &&
    (c.message === undefined || typeof c.message === 'string')
  );
}

/** The function's answer to the probe: its calls, or why there are none. */
export function readProbeAnswer(functionError: string | undefined, payload: string): { tables: ProbeCallReport[]; failure?: ProbeFailure } {
  let answer: unknown;
  try {
    answer = payload === '' ? null : JSON.parse(payload);
  } catch {
    answer = payload;
  }
  if (functionError) {
    const e = (answer ?? {}) as { errorType?: unknown; errorMessage?: unknown };
    const text = typeof e.errorMessage === 'string' ? e.errorMessage : String(payload);
    // Node runtimes: {"errorType":"Sandbox.Timedout","errorMessage":"RequestId: ... Error: Task timed out after 3.00 seconds"};
    // older ones: {"errorMessage":"<time> <request id> Task timed out after 3.00 seconds"}.
    const timedOut = TIMED_OUT.exec(text);
    if (timedOut) return { tables: [], failure: { kind: 'function-timeout', message: timedOut[0] } };
    return { tables: [], failure: { kind: 'function-error', message: `${typeof e.errorType === 'string' ? `${e.errorType}: ` : ''}${text.split('\n')[0]}` } };
  }
  const result = answer as { probe?: unknown; tables?: unknown };
  if (result && typeof result === 'object' && result.probe === true && Array.isArray(result.tables) && result.tables.every(isCall)) {
    return { tables: (result.tables as ProbeCallReport[]).map(({ table, action, ok, errorClass, message, ms }) => ({ table, action, ok, ...(errorClass ? { errorClass } : {}), ...(message ? { message } : {}), ms })) };
  }
  const shown = (typeof answer === 'string' ? answer : JSON.stringify(answer)) ?? '';
  return { tables: [], failure: { kind: 'no-probe-mode', message: `answered ${shown.length > 160 ? `${shown.slice(0, 160)}...` : shown}, not a probe result` } };
}

/** What the seed calls each symptom, and which check of the model names the same cause. */
function symptomOf(call: ProbeCallReport): { symptom: string; cause: string } {
  const action = call.action;
  switch (call.errorClass) {
    case 'timeout':
      return { symptom: 'Unable to connect to DynamoDB', cause: 'no route to DynamoDB through the gateway endpoint, or a security group or network ACL drops it (VLD101, VLD102, VLD105, VLD110)' };
    case 'access-denied-role':
      return { symptom: `AccessDeniedException: ... is not authorized to perform: ${action}`, cause: `the function's role does not allow ${action} on the table (VLD103)` };
    case 'access-denied-endpoint-policy':
      return { symptom: `AccessDeniedException: ... no VPC endpoint policy allows the ${action} action`, cause: `the endpoint policy does not allow ${action} on the table (VLD104)` };
    case 'access-denied-resource-policy':
      return { symptom: 'AccessDeniedException: ... with an explicit deny in a resource-based policy', cause: "the table's resource policy denies the function (VLD111)" };
    case 'access-denied':
      return { symptom: `AccessDeniedException: ... is not authorized to perform: ${action}`, cause: 'a policy the message does not name (an organization SCP or RCP?)' };
    case 'not-found':
      return { symptom: 'ResourceNotFoundException: Requested resource not found', cause: 'the table in the function\'s environment does not exist in this account and region' };
    default:
      return { symptom: call.message ?? 'an error', cause: 'DynamoDB answered with an error' };
  }
}

/** The address the live state gives a function (analysis/live/to-state.ts). */
const functionAddress = (name: string) => `aws_lambda_function.live[${JSON.stringify(name)}]`;
const shortAction = (action: string) => action.replace(/^dynamodb:/, '');

/** One VLD120 finding per failed call, or per function that gave no answer per table. */
export function probeFindings(report: ProbeReport): Finding[] {
  const check = TROUBLESHOOTING.probeFailed;
  const out: Finding[] = [];
  for (const f of report.functions) {
    if (f.failure) {
      // A timeout's message is the seed's own words ("Task timed out after 3.00 seconds"); the others are the error as Lambda gave it.
      const symptom = f.failure.message;
      const why =
        f.failure.kind === 'function-timeout'
          ? `Lambda stopped the probe at the function's timeout (${f.ms} ms): a DynamoDB call that never connects holds it there`
          : f.failure.kind === 'no-probe-mode'
            ? `the function ${f.failure.message}: deploy this version's handler (probe mode) to probe it`
            : f.failure.kind === 'invoke-error'
              ? `Lambda did not run it: ${f.failure.message}`
              : `the function failed: ${f.failure.message}`;
      out.push({ ...finding(check, functionAddress(f.function), `${f.function}: ${why}`), symptom });
      continue;
    }
    if (f.tables.length === 0) out.push({ ...finding(check, functionAddress(f.function), `${f.function}: answered the probe but touched no table (no table in its environment?)`), symptom: 'no DynamoDB call made' });
    for (const t of f.tables) {
      if (t.ok) continue;
      const { symptom, cause } = symptomOf(t);
      out.push({ ...finding(check, functionAddress(f.function), `${f.function}: ${shortAction(t.action)} on ${t.table} failed in ${t.ms} ms (${t.errorClass ?? 'other'}): ${t.message ?? symptom}; likely ${cause}`), symptom });
    }
  }
  return out;
}

/** One line per function and table, for the text report. */
export function probeLines(report: ProbeReport): string[] {
  const out: string[] = [];
  for (const f of report.functions) {
    if (f.failure) {
      out.push(`${f.function}: FAILED in ${f.ms} ms: ${f.failure.message}`);
      continue;
    }
    if (f.tables.length === 0) out.push(`${f.function}: invoked in ${f.ms} ms, touched no table`);
    for (const t of f.tables) {
      const what = `${f.function}: ${shortAction(t.action)} ${t.table}`;
      out.push(t.ok ? `${what}: ok, ${t.ms} ms (invoke ${f.ms} ms)` : `${what}: FAILED, ${t.errorClass ?? 'other'}: ${symptomOf(t).symptom} (${t.ms} ms; invoke ${f.ms} ms)`);
    }
  }
  return out;
}
