/**
 * `verify --probe`: invokes each function (Lambda Invoke, RequestResponse) with the probe event
 * its handler answers in probe mode (functions/shared/probe.ts) and reads the answer
 * (analysis/probe-report.ts: the lines, the JSON section, the VLD120 findings).
 *
 * The only call is lambda:InvokeFunction; the verifier's own AccessDenied (or throttling after
 * the SDK's retries) is "could not look" (exit 3), never a verdict. Invoke is retried by the
 * SDK on throttling and 5xx: harmless, the probe writes nothing.
 */
import { performance } from 'node:perf_hooks';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { FunctionProbeReport, PROBE_EVENT, ProbeReport, readProbeAnswer } from '../probe-report';
import { LiveClients } from './clients';
import { CouldNotLook, couldNotLookReason } from './errors';

/** Invokes every function with the probe event, all at once; throws {@link CouldNotLook} when the verifier may not invoke. */
export async function probeFunctions(clients: LiveClients, functionNames: readonly string[]): Promise<ProbeReport> {
  const problems: Array<{ action: string; reason: string }> = [];
  const payload = new TextEncoder().encode(JSON.stringify(PROBE_EVENT));
  const functions = await Promise.all(
    functionNames.map(async (name): Promise<FunctionProbeReport | undefined> => {
      const started = performance.now();
      try {
        const out = await clients.lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'RequestResponse', Payload: payload }));
        const ms = Math.round(performance.now() - started);
        const { tables, failure } = readProbeAnswer(out.FunctionError, out.Payload ? new TextDecoder().decode(out.Payload) : '');
        return { function: name, ms, ok: !failure && tables.length > 0 && tables.every((t) => t.ok), tables, ...(failure ? { failure } : {}) };
      } catch (error) {
        const reason = couldNotLookReason(error);
        if (reason) {
          if (!problems.some((p) => p.action === 'lambda:InvokeFunction')) problems.push({ action: 'lambda:InvokeFunction', reason });
          return undefined;
        }
        // Lambda's own refusal to run the function (ResourceConflictException while Pending, ENI limits, KMS): the function's problem.
        if (error && typeof error === 'object' && '$metadata' in error) {
          const e = error as { name?: string; message?: string };
          return { function: name, ms: Math.round(performance.now() - started), ok: false, tables: [], failure: { kind: 'invoke-error', message: `${e.name ?? 'Error'}: ${(e.message ?? '').split('\n')[0]}` } };
        }
        throw error;
      }
    }),
  );
  if (problems.length > 0) throw new CouldNotLook(problems);
  return { event: PROBE_EVENT, functions: functions.filter((f): f is FunctionProbeReport => f !== undefined) };
}

