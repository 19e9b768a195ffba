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
import { Command, InvalidArgumentError } from 'commander';
import { allFindings, analyze, CheckReport } from '../analysis/analyze';
import { failsOn, hasErrors } from '../analysis/findings';
import { probeFindings } from '../analysis/probe-report';
import { destroyClients, liveClients } from '../analysis/live/clients';
import { CouldNotLook, LiveInputError } from '../analysis/live/errors';
import { probeFunctions } from '../analysis/live/probe';
import { readAccount } from '../analysis/live/read-account';
import { stateFromAccount } from '../analysis/live/to-state';
import { renderMarkdown } from '../analysis/markdown';
import { renderJson, renderText } from '../analysis/report';
import { renderSarif } from '../analysis/sarif';
import { graphFromState } from '../analysis/terraform-graph';

const FORMATS = ['text', 'json', 'sarif', 'markdown'] as const;
type Format = (typeof FORMATS)[number];

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

function oneOf<T extends string>(flag: string, values: readonly T[]) {
  return (value: string): T => {
    if (!(values as readonly string[]).includes(value)) throw new InvalidArgumentError(`${flag} expects one of ${values.join('|')}, got "${value}"`);
    return value as T;
  };
}

/** The CLI; resolves to the exit code. */
export async function verifyMain(argv: string[], entry: VerifyEntry = VERIFY_NPM_SCRIPT): Promise<number> {
  const program = new Command()
    .name(entry.name)
    .description('Prove on the live account that each function reaches its DynamoDB tables privately through a gateway VPC endpoint (read-only calls).')
    .option('--function <name>', 'a Lambda function name or ARN to verify (repeatable)', (v: string, previous: string[]) => [...previous, v], [] as string[])
    .option('--region <region>', "the region the functions are in (default: the SDK's: AWS_REGION, the profile's region)")
    .option('--format <format>', `how to print the report: ${FORMATS.join('|')}`, oneOf('--format', FORMATS), 'text')
    .option('--probe', 'also invoke each function with a read-only probe event ({"vldProbe":1}): latency and the error it meets (needs lambda:InvokeFunction)', false)
    .exitOverride();
  try {
    program.parse(argv);
  } catch (error) {
    return (error as { exitCode?: number }).exitCode === 0 ? 0 : 2;
  }
  const options = program.opts<{ function: string[]; region?: string; format: Format; probe: boolean }>();
  if (options.function.length === 0) {
    console.error('error: --function: name at least one function to verify');
    return 2;
  }
  const region = options.region ?? (await defaultRegion());
  if (!region) {
    console.error("error: --region: no region given, none in AWS_REGION and none in the profile's config");
    return 2;
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    console.error(`error: --region: "${region}" is not a region name (like us-east-1)`);
    return 2;
  }
  const clients = liveClients(region);
  try {
    const account = await readAccount(clients, [...new Set(options.function)]);
    const analyzed = analyze(graphFromState(stateFromAccount(account)));
    let report: CheckReport = { ...analyzed, input: { source: 'live account', file: region } };
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
      sarif: () => renderSarif(report, {}),
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
