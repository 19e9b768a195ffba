import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init, planJson, PlanJson, TerraformToolchain, writeOfflineProvider } from '../../scripts/terraform-offline';
import { expectOk } from './terraform';

/** The real-world fixtures: the same system with terraform-aws-modules, and as plain HCL. */
export type RealWorldStyle = 'modules-system' | 'plain-system';

/** The sound system and the four breakages of issue 11. */
export const VARIANTS = ['sound', 'endpoint-no-route-table', 'no-443-egress', 'public-subnets', 'endpoint-other-table'] as const;
export type Variant = (typeof VARIANTS)[number];

const FIXTURES = join(__dirname, '..', 'fixtures', 'real-world');
const OTHER_TABLE = '"arn:aws:dynamodb:us-east-1:123456789012:table/someone-elses-table"';

/** What each breakage writes instead of the line marked `# variant:<name>` (a regex replacement on that line). */
const EDITS: Record<RealWorldStyle, Record<Exclude<Variant, 'sound'>, [RegExp, string]>> = {
  'modules-system': {
    'endpoint-no-route-table': [/= .*$/, '= []'],
    'no-443-egress': [/443/, '80'],
    'public-subnets': [/private_subnets/, 'public_subnets'],
    'endpoint-other-table': [/= \[.*\]/, `= [${OTHER_TABLE}]`],
  },
  'plain-system': {
    'endpoint-no-route-table': [/= .*$/, '= []'],
    'no-443-egress': [/\[443\]/, '[80]'],
    'public-subnets': [/aws_subnet\.private/, 'aws_subnet.public'],
    'endpoint-other-table': [/= \[.*\]/, `= [${OTHER_TABLE}]`],
  },
};

/** Writes one variant of a fixture into a fresh folder (modules and the function zip beside it). */
export function writeRealWorld(style: RealWorldStyle, variant: Variant): string {
  const dir = mkdtempSync(join(tmpdir(), `vld-${style}-${variant}-`));
  const source = readFileSync(join(FIXTURES, style, 'main.tf'), 'utf8');
  const edited =
    variant === 'sound'
      ? source
      : source
          .split('\n')
          .map((line) => (line.includes(`# variant:${variant}`) ? line.replace(EDITS[style][variant][0], EDITS[style][variant][1]) : line))
          .join('\n');
  if (variant !== 'sound' && edited === source) throw new Error(`variant ${variant} changed nothing in ${style}`);
  writeFileSync(join(dir, 'main.tf'), edited);
  cpSync(join(FIXTURES, 'function.zip'), join(dir, 'function.zip'));
  if (style === 'modules-system') {
    cpSync(join(FIXTURES, 'modules'), join(dir, 'modules'), { recursive: true });
    // Offline there is no STS: the vpc module's account id is read at apply instead (as a
    // pipeline with credentials reads it at plan); the module's own files stay as published.
    const flowLogs = join(dir, 'modules', 'vpc', 'vpc-flow-logs.tf');
    const text = readFileSync(flowLogs, 'utf8');
    const patched = text.replace('data "aws_caller_identity" "current" {\n', 'data "aws_caller_identity" "current" {\n  depends_on = [aws_vpc.this]\n');
    if (patched === text) throw new Error('vpc-flow-logs.tf: no data.aws_caller_identity.current to defer');
    writeFileSync(flowLogs, patched);
  }
  writeOfflineProvider(dir);
  return dir;
}

/** Plans a variant offline; the plan JSON is also written to `plan.json` in its folder. */
export function planRealWorld(tool: TerraformToolchain, style: RealWorldStyle, variant: Variant): { plan: PlanJson; dir: string; file: string } {
  const dir = writeRealWorld(style, variant);
  expectOk(init(tool, dir), `terraform init (${style} ${variant})`);
  const run = planJson(tool, dir);
  expectOk(run, `terraform plan (${style} ${variant})`);
  const file = join(dir, 'plan.json');
  writeFileSync(file, JSON.stringify(run.plan));
  return { plan: run.plan!, dir, file };
}
