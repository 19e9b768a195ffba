/**
 * `verify`: the proof on the deployed system. Reads each `--function`'s configuration from the
 * live account and everything it depends on (analysis/live/read-account.ts, read-only calls),
 * turns the answers into the state `terraform show -json` would print
 * (analysis/live/to-state.ts) and runs the model and renderers `check` runs: the same findings
 * and ids. Exit 0 OK, 1 findings (UNVERIFIED included), 2 bad input, 3 could not look (the
 * verifier's own AccessDenied, refused credentials, throttled after the SDK's retries), naming
 * the actions: a pipeline tells "broken" from "blind".
 *
 * `--probe` (off by default: it runs the functions and needs lambda:InvokeFunction) also
 * invokes each function with a read-only probe event (analysis/live/probe.ts): what the function
 * itself meets, in the seed's words, beside what the model predicts; a failed probe is VLD120.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { Command, InvalidArgumentError } from 'commander';
import { allFindings, analyze, CheckReport } from '../analysis/analyze';
import { EVIDENCE_CHECKS, flowLogEvidence, parseSince } from '../analysis/live/flow-log-evidence';
import { COMPARE_CHECKS, compareWithLive, comparisonFindings, functionNamesIn } from '../analysis/live/compare';
import { InputError, loadPlan, loadState } from '../analysis/load-input';
import { loadHclParser } from '../analysis/sources/hcl-syntax';
import { failsOn, hasErrors } from '../analysis/findings';
import { probeFindings } from '../analysis/probe-report';
import { destroyClients, liveClients } from '../analysis/live/clients';
import { CouldNotLook, couldNotLookReason, LiveInputError } from '../analysis/live/errors';
import { functionsFromOutputs, OutputsFunctions } from '../analysis/live/outputs-input';
import { LIVE_CHECKS, liveFindings } from '../analysis/live/live-checks';
import { probeFunctions } from '../analysis/live/probe';
import { readAccount } from '../analysis/live/read-account';
import { stateFromAccount } from '../analysis/live/to-state';
import { renderMarkdown } from '../analysis/markdown';
import { renderJson, renderText } from '../analysis/report';
import { renderSarif } from '../analysis/sarif';
import { graphFromState, TerraformGraph } from '../analysis/terraform-graph';

const FORMATS = ['text', 'json', 'sarif', 'markdown'] as const;
type Format = (typeof FORMATS)[number];
const EVIDENCE = ['flow-logs'] as const;
type Evidence = (typeof EVIDENCE)[number];

/** How verify was started: the usage line and the report's first line name it. */
export interface VerifyEntry {
  readonly name: string;
  readonly command: string;
}

export const VERIFY_NPM_SCRIPT: VerifyEntry = { name: 'npm run verify --', command: 'npm run verify' };
export const VERIFY_INSTALLED: VerifyEntry = { name: 'vpc-lambda-dynamodb verify', command: 'vpc-lambda-dynamodb verify' };

/** The region as the SDK resolves it without --region: AWS_REGION, then the profile's `region` (AWS_PROFILE, the config file). */
async function defaultRegion(): Promise<string | undefined> {
  const probe = new LambdaClient({});
  try {
    return (await probe.config.region()) || undefined;
  } catch {
    return undefined;
  } finally {
    probe.destroy();
  }
}

/**
 * One assumed session for all four clients (each would otherwise call AssumeRole itself),
 * renewed five minutes before it expires; a failed attempt is not kept.
 */
function sharedUntilExpiry(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  let current: ReturnType<AwsCredentialIdentityProvider> | undefined;
  return async () => {
    const fresh = (c: Awaited<ReturnType<AwsCredentialIdentityProvider>>) => !c.expiration || c.expiration.getTime() - Date.now() > 300_000;
    if (current) {
      const c = await current.catch(() => undefined);
      if (c && fresh(c)) return c;
    }
    current = provider();
    return current;
  };
}

const ROLE_ARN = /^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@\/-]{1,512}$/;

function oneOf<T extends string>(flag: string, values: readonly T[]) {
  return (value: string): T => {
    if (!(values as readonly string[]).includes(value)) throw new InvalidArgumentError(`${flag} expects one of ${values.join('|')}, got "${value}"`);
    return value as T;
  };
}

/**
 * The SDK's multi-line notice about Node 20 (printed once per process) would break the
 * one-line answers a pipeline parses; the README states the supported Node versions instead.
 * A user who set the variable keeps their choice.
 */
function quietNodeVersionNotice(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

/** The CLI; resolves to the exit code. */
export async function verifyMain(argv: string[], entry: VerifyEntry = VERIFY_NPM_SCRIPT): Promise<number> {
  const program = new Command()
    .name(entry.name)
    .description('Prove on the live account that each function reaches its DynamoDB tables privately through a gateway VPC endpoint (read-only calls).')
    .option('--function <name>', 'a Lambda function name or ARN to verify (repeatable)', (v: string, previous: string[]) => [...previous, v], [] as string[])
    .option('--outputs <file>', '`terraform output -json` of the module or the deploy stack: verify the functions in its function_arns (or function_names)')
    .option('--region <region>', "the region the functions are in (default: the outputs' function ARNs', else the SDK's: AWS_REGION, the profile's region)")
    .option('--role-arn <arn>', 'assume this role (STS AssumeRole) for the read-only calls, e.g. a read-only role in the account the functions run in')
    .option('--evidence <kind>', 'also read what really happened: flow-logs (a CloudWatch Logs Insights query over the VPC flow-log group)', oneOf('--evidence', EVIDENCE))
    .option('--since <duration>', 'how far back --evidence looks: 15m, 1h, 2d (at most 30d) or an ISO date', '1h')
    .option('--state <file>', '`terraform show -json` of the state: report where the live account differs from it (and verify its functions when none are named)')
    .option('--plan <file>', '`terraform show -json` of a plan, its .tf files beside it: report where the live account differs from what it plans')
    .option('--format <format>', `how to print the report: ${FORMATS.join('|')}`, oneOf('--format', FORMATS), 'text')
    .option('--probe', 'also invoke each function with a read-only probe event ({"vldProbe":1}): latency and the error it meets (needs lambda:InvokeFunction)', false)
    .exitOverride();
  try {
    program.parse(argv);
  } catch (error) {
    return (error as { exitCode?: number }).exitCode === 0 ? 0 : 2;
  }
  quietNodeVersionNotice();
  const options = program.opts<{ function: string[]; outputs?: string; region?: string; roleArn?: string; evidence?: Evidence; since: string; state?: string; plan?: string; format: Format; probe: boolean }>();
  if (options.state && options.plan) {
    console.error('error: --state: give --state or --plan, not both');
    return 2;
  }
  let expected: { graph: TerraformGraph; against: string } | undefined;
  try {
    if (options.plan) await loadHclParser();
    const input = options.state ? loadState(options.state) : options.plan ? loadPlan(options.plan) : undefined;
    if (input) expected = { graph: input.graph, against: `${options.state ? 'state' : 'plan'} ${input.file}` };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    console.error(`error: ${error.message}`);
    return 2;
  }
  const sinceMs = parseSince(options.since);
  if (sinceMs === undefined) {
    console.error(`error: --since: "${options.since}" is not a duration like 15m, 1h or 2d (at most 30d) nor a past ISO date`);
    return 2;
  }
  let fromOutputs: OutputsFunctions | undefined;
  try {
    fromOutputs = options.outputs ? functionsFromOutputs(options.outputs) : undefined;
  } catch (error) {
    if (!(error instanceof LiveInputError)) throw error;
    console.error(`error: ${error.message}`);
    return 2;
  }
  const named = [...options.function, ...(fromOutputs?.functions ?? [])];
  // With a state or plan and no function named, its functions are the ones to verify.
  const functionNames = [...new Set(named.length > 0 || !expected ? named : functionNamesIn(expected.graph))];
  if (functionNames.length === 0) {
    console.error(`error: --function: name at least one function to verify (or give --outputs outputs.json${expected ? `; ${expected.against} has no aws_lambda_function with a known name` : ''})`);
    return 2;
  }
  if (options.region && fromOutputs?.region && options.region !== fromOutputs.region) {
    console.error(`error: --region: ${options.region}, but the functions in ${options.outputs} are in ${fromOutputs.region}`);
    return 2;
  }
  const region = options.region ?? fromOutputs?.region ?? (await defaultRegion());
  if (!region) {
    console.error("error: --region: no region given, none in AWS_REGION and none in the profile's config");
    return 2;
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    console.error(`error: --region: "${region}" is not a region name (like us-east-1)`);
    return 2;
  }
  if (options.roleArn !== undefined && !ROLE_ARN.test(options.roleArn)) {
    console.error(`error: --role-arn: "${options.roleArn}" is not an IAM role ARN (arn:aws:iam::123456789012:role/NAME)`);
    return 2;
  }
  let credentials: AwsCredentialIdentityProvider | undefined;
  if (options.roleArn) {
    credentials = sharedUntilExpiry(fromTemporaryCredentials({ params: { RoleArn: options.roleArn, RoleSessionName: 'vpc-lambda-dynamodb-verify', DurationSeconds: 900 }, clientConfig: { region } }));
    // Assumed once up front, so a refused role is named as such and not as the first read call.
    try {
      await credentials();
    } catch (error) {
      const reason = couldNotLookReason(error) ?? `${(error as Error).name}: ${String((error as Error).message).split('\n')[0]}`;
      console.error(`error: could not look in ${region}: sts:AssumeRole on ${options.roleArn} (${reason})`);
      return 3;
    }
  }
  const clients = liveClients(region, { credentials });
  try {
    const account = await readAccount(clients, functionNames);
    const liveGraph = graphFromState(stateFromAccount(account));
    const analyzed = analyze(liveGraph);
    const comparison = expected ? compareWithLive({ ...expected, report: analyze(expected.graph) }, { report: analyzed, graph: liveGraph }) : undefined;
    const evidence = options.evidence === 'flow-logs' ? await flowLogEvidence(clients, account, sinceMs, options.since) : undefined;
    const troubleshooting = [...analyzed.troubleshooting, ...liveFindings(account), ...(comparison ? comparisonFindings(comparison) : []), ...(evidence?.findings ?? [])];
    let report: CheckReport = { ...analyzed, troubleshooting, input: { source: 'live account', file: region }, ...(comparison ? { comparison } : {}), ...(evidence ? { evidence: { since: evidence.since, logGroups: evidence.logGroups, functions: evidence.functions } } : {}) };
    if (options.probe) {
      // After the reading: a verifier that may not look is told so before anything runs.
      const probe = await probeFunctions(clients, account.functions.map((f) => f.FunctionName!));
      const found = probeFindings(probe);
      report = { ...report, probe, troubleshooting: [...report.troubleshooting, ...found], failed: report.failed || hasErrors(found) };
    }
    const failed = failsOn(allFindings(report), 'error');
    const render: Record<Format, () => string> = {
      text: () => renderText(report, failed, entry.command),
      json: () => renderJson(report),
      sarif: () => renderSarif(report, { extraRules: [...Object.values(LIVE_CHECKS), ...Object.values(COMPARE_CHECKS), ...Object.values(EVIDENCE_CHECKS)] }),
      markdown: () => renderMarkdown(report, failed),
    };
    console.log(render[options.format]());
    return failed ? 1 : 0;
  } catch (error) {
    if (error instanceof LiveInputError) {
      console.error(`error: ${error.message}`);
      return 2;
    }
    if (error instanceof CouldNotLook) {
      console.error(`error: could not look in ${region}: ${error.problems.map((p) => `${p.action} (${p.reason})`).join(', ')}`);
      return 3;
    }
    // Another answer from AWS (a service error the reader does not expect): still the account's, not a bug here.
    if (error && typeof error === 'object' && '$metadata' in error) {
      const e = error as { name?: string; message?: string };
      console.error(`error: could not look in ${region}: ${e.name ?? 'Error'}: ${(e.message ?? String(error)).split('\n')[0]}`);
      return 3;
    }
    throw error;
  } finally {
    destroyClients(clients);
  }
}

if (require.main === module) {
  verifyMain(process.argv).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(`error: ${(error as Error)?.message ?? String(error)}`);
      process.exitCode = 3;
    },
  );
}
