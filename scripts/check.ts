/**
 * `check`: proof before deploy. Reads the synthesized stack (or a plan JSON) and prints
 * reachability, troubleshooting findings, security checks and the monthly network cost, as
 * text, JSON, SARIF 2.1.0 or a markdown pull-request comment (--format). Exits 1 when a
 * finding reaches --fail-on (default: an error), 2 on bad input or flags. stdout carries the
 * report and nothing else, so `> file` keeps a clean file; messages go to stderr.
 *
 * Two entry points share it: `npm run check` in this repository (tsx, {@link NPM_SCRIPT}) and
 * the installed package's `vpc-lambda-dynamodb` bin ({@link bin}, {@link INSTALLED}). Neither
 * loads a CDKTF package: the installed CLI runs with none of its peer dependencies.
 */
import { dirname, join } from 'node:path';
import { loadHclParser } from '../analysis/sources/hcl-syntax';
import { Command, InvalidArgumentError } from 'commander';
import { allFindings, analyze, CheckReport } from '../analysis/analyze';
import { FAIL_ON, FailOn, failsOn } from '../analysis/findings';
import { InputError, loadPlan, loadStack, loadState, NO_STACK_HINT } from '../analysis/load-input';
import { DEFAULT_ASSUMPTIONS } from '../analysis/network-prices';
import { TableLink } from '../analysis/reachability';
import { renderMarkdown } from '../analysis/markdown';
import { renderJson, renderText } from '../analysis/report';
import { renderSarif } from '../analysis/sarif';
import { applySuppressions, DEFAULT_SUPPRESSIONS_FILE, loadSuppressions, parseSkip, Suppression } from '../analysis/suppressions';
import { compareReports } from '../analysis/change';
import { existsSync, statSync } from 'node:fs';

const FORMATS = ['text', 'json', 'sarif', 'markdown'] as const;
type Format = (typeof FORMATS)[number];

interface Options {
  stack: string;
  plan?: string;
  state?: string;
  json?: boolean;
  format: Format;
  failOn: FailOn;
  trafficGb: number;
  internetGb: number;
  flowLogGb: number;
  endpointGb: number;
  link: TableLink[];
  allowUnverified?: boolean;
  sourceDir?: string;
  suppressions?: string;
  skip: string[];
  base?: string;
}

/** How check was started: its usage line and its messages use the command the user typed. */
export interface Entry {
  /** The words before the options in the usage line (commander's program name). */
  readonly name: string;
  /** The command as the text report's first line names it. */
  readonly command: string;
  /** What to do when the stack folder is missing. */
  readonly noStackHint: string;
}

/** `npm run check -- ...` in this repository. */
export const NPM_SCRIPT: Entry = { name: 'npm run check --', command: 'npm run check', noStackHint: NO_STACK_HINT };

/** `npx vpc-lambda-dynamodb check ...` from the installed package, in the user's own project. */
export const INSTALLED: Entry = {
  name: 'vpc-lambda-dynamodb check',
  command: 'vpc-lambda-dynamodb check',
  noStackHint: 'synthesize your CDKTF app with cdktf synth, or pass --stack <folder holding cdk.tf.json> or --plan <plan.json>',
};

/** The base's report, read and analysed like the change's (same assumptions, links and suppressions). */
function baseReport(options: Options, suppressions: Suppression[], entry: Entry): CheckReport {
  const base = options.base!;
  const isStack = existsSync(base) && statSync(base).isDirectory();
  let input;
  try {
    input = isStack ? loadStack(base, entry.noStackHint) : loadPlan(base);
  } catch (error) {
    if (error instanceof InputError) throw new InputError('--base', error.message.replace(/^--(stack|plan): /, ''));
    throw error;
  }
  const report = analyze(input.graph, { trafficGb: options.trafficGb, internetGb: options.internetGb, flowLogGb: options.flowLogGb, endpointGb: options.endpointGb }, input.file, {
    links: options.link,
    allowUnverified: options.allowUnverified,
  });
  return applySuppressions(report, suppressions);
}

function link(value: string, previous: TableLink[]): TableLink[] {
  const m = /^([^=]+)=(.+)$/.exec(value);
  if (!m) throw new InvalidArgumentError(`--link expects function=table (a name or an address each), got "${value}"`);
  return [...previous, { function: m[1].trim(), table: m[2].trim() }];
}

function gigabytes(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${flag} expects a number of GB >= 0, got "${value}"`);
    return n;
  };
}

/** A parser that accepts one of `values`, refusing anything else by name. */
function oneOf<T extends string>(flag: string, values: readonly T[]) {
  return (value: string): T => {
    if (!(values as readonly string[]).includes(value)) throw new InvalidArgumentError(`${flag} expects one of ${values.join('|')}, got "${value}"`);
    return value as T;
  };
}

/** This package's package.json: ../package.json from scripts/ (tsx), ../../package.json from lib/scripts/ (installed). */
function packageJson(): { version?: string; homepage?: string } {
  try {
    return require(existsSync(join(__dirname, '..', 'package.json')) ? '../package.json' : '../../package.json') as { version?: string; homepage?: string };
  } catch {
    return {};
  }
}

/** The CLI: loads the HCL grammar (asynchronous, once), then runs {@link mainLoaded}. */
export async function main(argv: string[], entry: Entry = NPM_SCRIPT): Promise<number> {
  await loadHclParser();
  return mainLoaded(argv, entry);
}

/** The installed package's top-level usage (`vpc-lambda-dynamodb --help`). */
export function binUsage(): string {
  return [
    'Usage: vpc-lambda-dynamodb <command> [options]',
    '',
    'Prove before deploy that Lambda functions reach DynamoDB privately.',
    '',
    'Commands:',
    '  check [options]  read a plan JSON (--plan) or a synthesized CDKTF stack (--stack) and report',
    '                   reachability, findings, security checks and network cost',
    '  verify [options] read the deployed functions (--function NAME) from the live account and',
    '                   prove the same, with the same findings (read-only AWS calls)',
    '',
    'Options:',
    '  -V, --version    print the version',
    '  -h, --help       print this usage',
    '',
    "check's options: vpc-lambda-dynamodb check --help; verify's: vpc-lambda-dynamodb verify --help",
    '',
  ].join('\n');
}

/**
 * The installed package's bin (`bin/vpc-lambda-dynamodb.js`): `args` are those after the
 * command name. `--help`/`-h` print the usage to stdout (exit 0); no command prints it to
 * stderr (exit 2); `check` runs the check under the bin's own name.
 */
export async function bin(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === '--help' || command === '-h' || (command === 'help' && rest.length === 0)) {
    process.stdout.write(binUsage());
    return 0;
  }
  if (command === 'help' && rest[0] === 'check') return main(['node', INSTALLED.name, '--help'], INSTALLED);
  if (command === 'help' && rest[0] === 'verify') return verifyCommand(['--help']);
  if (command === '--version' || command === '-V') {
    console.log(packageJson().version ?? 'unknown');
    return 0;
  }
  if (command === undefined) {
    process.stderr.write(binUsage());
    return 2;
  }
  if (command === 'verify') return verifyCommand(rest);
  if (command !== 'check') {
    console.error(`error: unknown command "${command}"; the commands are: check, verify`);
    return 2;
  }
  return main(['node', INSTALLED.name, ...rest], INSTALLED);
}

/** `verify`, loaded only when run: the AWS SDK clients stay out of `check`'s start-up. */
async function verifyCommand(args: string[]): Promise<number> {
  const { verifyMain, VERIFY_INSTALLED } = await import('./verify');
  return verifyMain(['node', VERIFY_INSTALLED.name, ...args], VERIFY_INSTALLED);
}

/** The CLI once the HCL grammar is loaded (tests load it once per file). */
export function mainLoaded(argv: string[], entry: Entry = NPM_SCRIPT): number {
  const program = new Command()
    .name(entry.name)
    .description('Prove before deploy that every function reaches DynamoDB privately; report findings, security checks and network cost.')
    .option('--stack <dir>', 'synthesized stack folder (holding cdk.tf.json)', 'cdktf.out/stacks/vpc-lambda-dynamodb')
    .option('--plan <file>', 'a plan as JSON (`terraform show -json <planfile>`) instead of the stack')
    .option('--state <file>', 'a state as JSON (`terraform show -json`, no plan file): what is deployed, instead of the stack')
    .option('--format <format>', `how to print the report: ${FORMATS.join('|')} (sarif: SARIF 2.1.0 for code scanning; markdown: a pull-request comment)`, oneOf('--format', FORMATS), 'text')
    .option('--json', 'print the report as JSON (same as --format json)')
    .option('--fail-on <severity>', `the least severity that exits 1: ${FAIL_ON.join('|')}`, oneOf('--fail-on', FAIL_ON), 'error')
    .option('--source-dir <dir>', "the root module's folder, for locals and dynamic blocks a plan does not hold (default: the plan file's folder)")
    .option('--link <function=table>', 'a table a function uses that the configuration does not show (repeatable)', link, [])
    .option('--allow-unverified', 'report functions whose network could not be resolved as a warning, not an error')
    .option('--base <plan-or-stack>', 'the plan (JSON) or stack folder before the change: report the cost delta, changed verdicts, new and resolved findings')
    .option('--suppressions <file>', `accepted findings, each with a reason (default: ${DEFAULT_SUPPRESSIONS_FILE} in the working folder, when present)`)
    .option('--skip <id[@resource]=reason>', 'accept a finding for this run, with its reason (repeatable)', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option('--traffic-gb <n>', 'assumed GB/month between the functions and DynamoDB', gigabytes('--traffic-gb'), DEFAULT_ASSUMPTIONS.trafficGb)
    .option('--internet-gb <n>', 'assumed GB/month of other internet traffic (through NAT)', gigabytes('--internet-gb'), DEFAULT_ASSUMPTIONS.internetGb)
    .option('--flow-log-gb <n>', 'assumed GB/month of flow-log records ingested into CloudWatch Logs', gigabytes('--flow-log-gb'), DEFAULT_ASSUMPTIONS.flowLogGb)
    .option('--endpoint-gb <n>', 'assumed GB/month through the interface VPC endpoints, all together', gigabytes('--endpoint-gb'), DEFAULT_ASSUMPTIONS.endpointGb)
    .exitOverride();
  try {
    program.parse(argv);
  } catch (error) {
    const code = (error as { exitCode?: number }).exitCode;
    return code === 0 ? 0 : 2;
  }
  const options = program.opts<Options>();
  if (options.json && program.getOptionValueSource('format') === 'cli' && options.format !== 'json') {
    console.error(`error: --json is --format json; it contradicts --format ${options.format}`);
    return 2;
  }
  const format: Format = options.json ? 'json' : options.format;
  try {
    if (options.plan && options.state) throw new InputError('--state', 'give --plan or --state, not both');
    const input = options.state ? loadState(options.state) : options.plan ? loadPlan(options.plan, options.sourceDir) : loadStack(options.stack, entry.noStackHint);
    const analyzed = analyze(input.graph, { trafficGb: options.trafficGb, internetGb: options.internetGb, flowLogGb: options.flowLogGb, endpointGb: options.endpointGb }, input.file, {
      links: options.link,
      allowUnverified: options.allowUnverified,
    });
    const file = options.suppressions ?? (existsSync(DEFAULT_SUPPRESSIONS_FILE) ? DEFAULT_SUPPRESSIONS_FILE : undefined);
    const suppressions = [...(file ? loadSuppressions(file) : []), ...options.skip.map(parseSkip)];
    const suppressedReport = applySuppressions(analyzed, suppressions);
    const report = options.base ? { ...suppressedReport, change: compareReports(baseReport(options, suppressions, entry), suppressedReport) } : suppressedReport;
    const failed = failsOn(allFindings(report), options.failOn);
    const render: Record<Format, () => string> = {
      text: () => renderText(report, failed, entry.command),
      json: () => renderJson(report),
      sarif: () => {
        const { version, homepage } = packageJson();
        return renderSarif(report, { version, informationUri: homepage, sourceDir: options.plan ? (options.sourceDir ?? dirname(options.plan)) : undefined });
      },
      markdown: () => renderMarkdown(report, failed),
    };
    console.log(render[format]());
    return failed ? 1 : 0;
  } catch (error) {
    if (error instanceof InputError) {
      console.error(`error: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

if (require.main === module) {
  main(process.argv).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 2;
    },
  );
}
