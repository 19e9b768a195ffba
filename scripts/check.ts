/**
 * `npm run check`: proof before deploy. Reads the synthesized stack (or a plan JSON) and
 * prints reachability, troubleshooting findings, security checks and the monthly network
 * cost. Exits 1 when any finding is an error, 2 on bad input or flags.
 */
import { Command, InvalidArgumentError } from 'commander';
import { analyze } from '../analysis/analyze';
import { InputError, loadPlan, loadStack } from '../analysis/load-input';
import { DEFAULT_ASSUMPTIONS } from '../analysis/network-prices';
import { TableLink } from '../analysis/reachability';
import { renderJson, renderText } from '../analysis/report';

interface Options {
  stack: string;
  plan?: string;
  json?: boolean;
  trafficGb: number;
  internetGb: number;
  flowLogGb: number;
  link: TableLink[];
  allowUnverified?: boolean;
  sourceDir?: string;
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

export function main(argv: string[]): number {
  const program = new Command()
    .name('npm run check --')
    .description('Prove before deploy that every function reaches DynamoDB privately; report findings, security checks and network cost.')
    .option('--stack <dir>', 'synthesized stack folder (holding cdk.tf.json)', 'cdktf.out/stacks/vpc-lambda-dynamodb')
    .option('--plan <file>', 'a plan as JSON (`terraform show -json <planfile>`) instead of the stack')
    .option('--json', 'print the report as JSON')
    .option('--source-dir <dir>', "the root module's folder, for locals and dynamic blocks a plan does not hold (default: the plan file's folder)")
    .option('--link <function=table>', 'a table a function uses that the configuration does not show (repeatable)', link, [])
    .option('--allow-unverified', 'report functions whose network could not be resolved as a warning, not an error')
    .option('--traffic-gb <n>', 'assumed GB/month between the functions and DynamoDB', gigabytes('--traffic-gb'), DEFAULT_ASSUMPTIONS.trafficGb)
    .option('--internet-gb <n>', 'assumed GB/month of other internet traffic (through NAT)', gigabytes('--internet-gb'), DEFAULT_ASSUMPTIONS.internetGb)
    .option('--flow-log-gb <n>', 'assumed GB/month of flow-log records ingested into CloudWatch Logs', gigabytes('--flow-log-gb'), DEFAULT_ASSUMPTIONS.flowLogGb)
    .exitOverride();
  try {
    program.parse(argv);
  } catch (error) {
    const code = (error as { exitCode?: number }).exitCode;
    return code === 0 ? 0 : 2;
  }
  const options = program.opts<Options>();
  try {
    const input = options.plan ? loadPlan(options.plan, options.sourceDir) : loadStack(options.stack);
    const report = analyze(input.graph, { trafficGb: options.trafficGb, internetGb: options.internetGb, flowLogGb: options.flowLogGb }, input.file, {
      links: options.link,
      allowUnverified: options.allowUnverified,
    });
    console.log(options.json ? renderJson(report) : renderText(report));
    return report.failed ? 1 : 0;
  } catch (error) {
    if (error instanceof InputError) {
      console.error(`error: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

if (require.main === module) process.exitCode = main(process.argv);
