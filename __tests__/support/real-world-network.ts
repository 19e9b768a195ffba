import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init, planJson, PlanJson, TerraformToolchain } from '../../scripts/terraform-offline';
import { AwsApiStub } from './aws-api-stub';
import { runCheck } from './check-cli';

/**
 * The second set of real-world fixtures (__tests__/fixtures/real-world-2): Terraform written
 * the way other platform teams write it (plain HCL in their own styles, terraform-aws-modules),
 * planned offline by real terraform against the AWS API stub (aws-api-stub.ts) for the data
 * sources, then given to `npm run check`. This file holds the harness both sets use (variants,
 * planning, the verdict read from `check --json`) and the network set's cases with their
 * expected verdicts; real-world-iam.ts holds the IAM set's.
 */

export const FIXTURES_2 = join(__dirname, '..', 'fixtures', 'real-world-2');
const FIRST_SET = join(__dirname, '..', 'fixtures', 'real-world');

/** Local module copies a fixture may call as `./modules/<name>` (linked, never copied again). */
export const MODULE_DIRS: Record<string, string> = {
  vpc: join(FIRST_SET, 'modules', 'vpc'),
  'vpc-endpoints': join(FIRST_SET, 'modules', 'vpc-endpoints'),
  lambda: join(FIRST_SET, 'modules', 'lambda'),
  'security-group': join(FIXTURES_2, 'modules', 'security-group'),
};

/**
 * How a variant changes its fixture; each applies to the lines marked `variant:<name>`
 * (`# variant:a variant:b` marks a line for two variants):
 * - `replace`: a regex replacement on each marked line that does not open a block;
 * - `drop-block`: removes each marked block (the marked line ends with `{`) up to its closing `}`;
 * - `add-file`: copies `<file>.variant` of the fixture in as `<file>`.
 */
export type Edit = { readonly kind: 'replace'; readonly pattern: RegExp; readonly with: string } | { readonly kind: 'drop-block' } | { readonly kind: 'add-file'; readonly file: string };

/** What `npm run check --json` must say about one planned variant. */
export interface Expectation {
  /** The exit code: 0 OK, 1 a finding fails the run (an error, or unverified). */
  readonly exit: 0 | 1;
  /** Finding ids that must be reported (active or suppressed). */
  readonly present?: readonly string[];
  /** Finding ids that must not be reported at all. */
  readonly absent?: readonly string[];
  /** Functions (function_name) verified: fully resolved and reaching their tables privately. */
  readonly verified: readonly string[];
  /**
   * Functions resolved and proven NOT to reach (or not to be allowed): the only functions the
   * troubleshooting findings (VLD101-VLD107) may name.
   */
  readonly failing?: readonly string[];
  /** Functions that could not be verified (VLD109). */
  readonly unverified?: readonly string[];
  /** `<function>: role` / `<function>: endpoint`: policies the check may leave unknown (shown as `?`). None by default. */
  readonly unknownPolicies?: readonly string[];
  /** More flags for check (`--skip ID=reason`). */
  readonly args?: readonly string[];
}

export interface CaseVariant {
  readonly name: string;
  /** What the variant is, in a few words. */
  readonly about: string;
  readonly edits?: readonly Edit[];
  readonly expect: Expectation;
}

export interface RealWorldCase {
  /** The number in the task's list of cases. */
  readonly id: number;
  /** The fixture folder under real-world-2 (`network/endpoints-map`). */
  readonly fixture: string;
  readonly title: string;
  /** Folders linked in as `./modules/<name>` besides MODULE_DIRS (the published module of case 13). */
  readonly extraModules?: readonly string[];
  readonly variants: readonly CaseVariant[];
}

/** Error findings a sound variant must not have, nor the "computed at apply" warning. */
export const SOUND_ABSENT = ['VLD101', 'VLD102', 'VLD103', 'VLD104', 'VLD105', 'VLD106', 'VLD107', 'VLD108', 'VLD109', 'VLD023'] as const;

/** The network set: endpoints, route tables, subnets, security groups. */
export const NETWORK_CASES: readonly RealWorldCase[] = [
  {
    id: 1,
    fixture: 'network/endpoints-map',
    title: 'vpc-endpoints module with an endpoints map (s3 + dynamodb gateways), vpc and lambda modules, single NAT',
    variants: [
      {
        name: 'sound',
        about: 's3 and dynamodb both on the private route tables',
        expect: { exit: 0, verified: ['ledger-writer'], absent: [...SOUND_ABSENT, 'VLD009', 'VLD001'] },
      },
      {
        name: 'dynamodb-on-public-route-tables',
        about: 'the dynamodb entry names module.vpc.public_route_table_ids: DynamoDB goes out through the NAT',
        edits: [{ kind: 'replace', pattern: /private_route_table_ids/, with: 'public_route_table_ids' }],
        // The function stays in private subnets: not a public-subnet finding.
        expect: { exit: 1, present: ['VLD102'], absent: ['VLD106', 'VLD108', 'VLD109'], verified: [], failing: ['ledger-writer'] },
      },
    ],
  },
  {
    id: 2,
    fixture: 'network/functions-for-each',
    title: 'plain HCL, functions by for_each over a map, subnets chosen per entry through a lookup map',
    variants: [
      {
        name: 'sound',
        about: 'every entry in the private tier',
        expect: { exit: 0, verified: ['payments-staging-authorize', 'payments-staging-capture', 'payments-staging-refund'], absent: SOUND_ABSENT },
      },
      {
        name: 'one-function-public',
        about: 'refund runs in the public subnets (route table with 0.0.0.0/0 to the internet gateway, no endpoint)',
        edits: [{ kind: 'replace', pattern: /tier = "private"/, with: 'tier = "public"' }],
        expect: {
          exit: 1,
          present: ['VLD106', 'VLD102'],
          absent: ['VLD108', 'VLD109'],
          verified: ['payments-staging-authorize', 'payments-staging-capture'],
          failing: ['payments-staging-refund'],
        },
      },
    ],
  },
  {
    id: 3,
    fixture: 'network/endpoint-route-table-associations',
    title: 'endpoint without route_table_ids, attached by one aws_vpc_endpoint_route_table_association per zone',
    variants: [
      { name: 'sound', about: 'an association for each of the three private route tables', expect: { exit: 0, verified: ['inventory-reserver'], absent: SOUND_ABSENT } },
      {
        name: 'association-missing',
        about: 'no association for zone c: the function times out from one AZ',
        edits: [{ kind: 'drop-block' }],
        expect: { exit: 1, present: ['VLD102'], absent: ['VLD106', 'VLD108', 'VLD109'], verified: [], failing: ['inventory-reserver'] },
      },
    ],
  },
  {
    id: 4,
    fixture: 'network/main-route-table',
    title: 'subnets with no route table association use the main route table',
    variants: [
      {
        name: 'sound',
        about: 'aws_main_route_table_association makes the endpoint route table the main one',
        expect: { exit: 0, verified: ['notifications-sender'], absent: SOUND_ABSENT },
      },
      {
        name: 'vpc-main-route-table-id',
        about: 'no route table of its own: the endpoint is on aws_vpc.this.main_route_table_id',
        edits: [{ kind: 'drop-block' }, { kind: 'replace', pattern: /\[aws_route_table\.app\.id\]/, with: '[aws_vpc.this.main_route_table_id]' }],
        expect: { exit: 0, verified: ['notifications-sender'], absent: SOUND_ABSENT },
      },
      {
        name: 'main-table-without-endpoint',
        about: 'the main association is missing: the subnets use the VPC default main route table, the endpoint sits on an unused one',
        edits: [{ kind: 'drop-block' }],
        expect: { exit: 1, present: ['VLD102'], absent: ['VLD106', 'VLD108', 'VLD109'], verified: [], failing: ['notifications-sender'] },
      },
    ],
  },
  {
    id: 5,
    fixture: 'network/existing-network',
    title: 'existing VPC, subnets and route tables through data sources; existing table through data "aws_dynamodb_table"',
    variants: [
      {
        name: 'sound',
        about: 'endpoint on the route tables of every private subnet (ids known at plan from the API)',
        expect: { exit: 0, verified: ['orders-api'], absent: SOUND_ABSENT },
      },
      {
        name: 'endpoint-missing-one-route-table',
        about: "endpoint on subnet-0priv1's route table only; subnet-0priv2 has its own (rtb-0priv2)",
        edits: [{ kind: 'replace', pattern: /= sort\(.*\)/, with: '= [data.aws_route_table.private["subnet-0priv1"].id]' }],
        expect: { exit: 1, present: ['VLD102'], absent: ['VLD106', 'VLD108', 'VLD109'], verified: [], failing: ['orders-api'] },
      },
    ],
  },
  {
    id: 6,
    fixture: 'network/security-group-rules',
    title: 'egress as aws_vpc_security_group_egress_rule to the prefix list (data "aws_prefix_list") and via terraform-aws-modules/security-group',
    variants: [
      { name: 'sound', about: 'api: egress rule resource; worker: module rule https-443-tcp', expect: { exit: 0, verified: ['media-api', 'media-worker'], absent: SOUND_ABSENT } },
      {
        name: 'module-rule-http-80',
        about: "the worker's module rule is http-80-tcp: nothing allows 443",
        edits: [{ kind: 'replace', pattern: /"https-443-tcp"/, with: '"http-80-tcp"' }],
        expect: { exit: 1, present: ['VLD105'], absent: ['VLD108', 'VLD109'], verified: ['media-api'], failing: ['media-worker'] },
      },
    ],
  },
  {
    id: 7,
    fixture: 'network/vpc-module-default-security-group',
    title: 'terraform-aws-modules vpc managing the default security group (dynamic blocks over empty lists)',
    variants: [
      { name: 'sound', about: 'default_security_group_ingress = [] and egress = []: no rules, no VLD009', expect: { exit: 0, verified: ['search-query'], absent: [...SOUND_ABSENT, 'VLD009'] } },
      {
        name: 'default-sg-with-rules',
        about: 'default_security_group_egress allows everything: VLD009 (a warning), reachability unchanged',
        edits: [{ kind: 'replace', pattern: /= \[\]/, with: '= [{ cidr_blocks = "0.0.0.0/0", protocol = "-1", from_port = 0, to_port = 0 }]' }],
        expect: { exit: 0, present: ['VLD009'], absent: SOUND_ABSENT, verified: ['search-query'] },
      },
    ],
  },
];

// ---------------------------------------------------------------------------------------
// Variants

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const markedFor = (line: string, variant: string) => new RegExp(`variant:${escape(variant)}(?![\\w-])`).test(line);
const opensBlock = (line: string) => /\{\s*(#.*)?$/.test(line);

/** A fixture's file with a variant's line edits applied, and the edits that changed a line. */
export function applyEdits(source: string, variant: string, edits: readonly Edit[]): { text: string; applied: Set<Edit> } {
  const lines = source.split('\n');
  const out: string[] = [];
  const applied = new Set<Edit>();
  const drop = edits.find((e) => e.kind === 'drop-block');
  const replacements = edits.filter((e): e is Extract<Edit, { kind: 'replace' }> => e.kind === 'replace');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!markedFor(line, variant)) {
      out.push(line);
      continue;
    }
    if (opensBlock(line)) {
      if (!drop) {
        out.push(line);
        continue;
      }
      // Up to the closing brace at the block's own indentation.
      const indent = /^\s*/.exec(line)![0];
      while (i < lines.length && lines[i] !== `${indent}}`) i++;
      applied.add(drop);
      continue;
    }
    out.push(
      replacements.reduce((l, r) => {
        const next = l.replace(r.pattern, r.with);
        if (next !== l) applied.add(r);
        return next;
      }, line)
    );
  }
  return { text: out.join('\n'), applied };
}

/** Writes one variant into `dir`: the fixture's .tf files (edited), its added files, the function zip, the modules linked in. */
export function writeVariant(c: RealWorldCase, v: CaseVariant, dir: string, extraModules: Record<string, string> = {}): void {
  const fixture = join(FIXTURES_2, c.fixture);
  mkdirSync(join(dir, 'modules'), { recursive: true });
  const applied = new Set<Edit>();
  for (const file of readdirSync(fixture).filter((f) => f.endsWith('.tf'))) {
    const edited = applyEdits(readFileSync(join(fixture, file), 'utf8'), v.name, v.edits ?? []);
    edited.applied.forEach((e) => applied.add(e));
    writeFileSync(join(dir, file), edited.text);
  }
  for (const e of v.edits ?? []) {
    if (e.kind !== 'add-file') continue;
    cpSync(join(fixture, `${e.file}.variant`), join(dir, e.file));
    applied.add(e);
  }
  // An edit that changes nothing would silently test the sound fixture again.
  const unused = (v.edits ?? []).filter((e) => !applied.has(e));
  if (unused.length > 0)
    throw new Error(`variant ${v.name} of ${c.fixture}: ${unused.map((e) => JSON.stringify({ ...e, pattern: 'pattern' in e ? String(e.pattern) : undefined })).join(', ')} changed nothing`);
  cpSync(join(FIRST_SET, 'function.zip'), join(dir, 'function.zip'));
  const text = readdirSync(dir)
    .filter((f) => f.endsWith('.tf'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
  const modules = { ...MODULE_DIRS, ...extraModules };
  for (const [name, target] of Object.entries(modules)) if (text.includes(`"./modules/${name}"`) && !existsSync(join(dir, 'modules', name))) symlinkSync(target, join(dir, 'modules', name), 'dir');
}

/**
 * The provider settings of the stub, merged into the fixture's own `provider "aws"` block by
 * an override file (region, dummy keys, no AWS calls but the stub's).
 */
export function writeStubOverride(dir: string, stub: AwsApiStub): void {
  writeFileSync(join(dir, 'aws_stub_override.tf.json'), JSON.stringify({ provider: { aws: stub.providerSettings() } }, null, 2));
}

/** One planned variant. */
export interface PlannedVariant {
  readonly dir: string;
  /** plan.json in `dir` (when planned). */
  readonly file: string;
  readonly plan?: PlanJson;
  /** terraform's own words when init or plan failed. */
  readonly error?: string;
  readonly seconds: number;
}

/**
 * Plans every variant of a case, each in its own folder; `terraform init` runs once, in the
 * first, and the others get a copy of its `.terraform` (local modules and a link to the
 * mirrored provider) and lock file.
 */
export function planCase(tool: TerraformToolchain, c: RealWorldCase, stub: AwsApiStub, extraModules: Record<string, string> = {}): Map<string, PlannedVariant> {
  const base = mkdtempSync(join(tmpdir(), `vld-rw2-${c.fixture.replace('/', '-')}-`));
  const out = new Map<string, PlannedVariant>();
  let initialized: string | undefined;
  for (const v of c.variants) {
    const started = Date.now();
    const dir = join(base, v.name);
    const file = join(dir, 'plan.json');
    const done = (r: Omit<PlannedVariant, 'dir' | 'file' | 'seconds'>) => out.set(v.name, { dir, file, ...r, seconds: (Date.now() - started) / 1000 });
    try {
      writeVariant(c, v, dir, extraModules);
      writeStubOverride(dir, stub);
      if (initialized) {
        cpSync(join(initialized, '.terraform'), join(dir, '.terraform'), { recursive: true, verbatimSymlinks: true });
        // No lock file when the provider is a reattached one (shared-provider.ts).
        if (existsSync(join(initialized, '.terraform.lock.hcl'))) cpSync(join(initialized, '.terraform.lock.hcl'), join(dir, '.terraform.lock.hcl'));
      } else {
        const run = init(tool, dir);
        if (!run.ok) {
          done({ error: `terraform init failed:\n${run.stdout}\n${run.stderr}` });
          continue;
        }
        initialized = dir;
      }
      const run = planJson(tool, dir);
      if (!run.ok) {
        done({ error: `terraform plan failed:\n${run.stdout}\n${run.stderr}` });
        continue;
      }
      writeFileSync(file, JSON.stringify(run.plan));
      done({ plan: run.plan });
    } catch (error) {
      done({ error: String(error instanceof Error ? error.stack : error) });
    }
  }
  if (process.env.VLD_PLAN_TIMINGS) {
    for (const [name, p] of out) writeFileSync(process.env.VLD_PLAN_TIMINGS, `${JSON.stringify({ case: c.id, fixture: c.fixture, variant: name, seconds: p.seconds, ok: !p.error })}\n`, { flag: 'a' });
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// The verdict

/**
 * The parts of `check --json` the expectations read (change them here if the report's shape
 * changes): a function is verified when `reachable` and nothing is `unverified`, failing when
 * resolved and not `reachable`, unverified when anything is `unverified`; `roleUnknown` and
 * `endpointUnknown` are what the text report shows as `?`.
 */
interface ReportJson {
  readonly reachability: {
    readonly functions: ReadonlyArray<{
      readonly name: string;
      readonly reachable: boolean;
      readonly unverified: readonly string[];
      readonly tables: ReadonlyArray<{ readonly table: string; readonly roleUnknown?: boolean; readonly endpointUnknown?: boolean }>;
    }>;
  };
  readonly troubleshooting: ReadonlyArray<{ readonly id: string; readonly severity: string; readonly resource: string; readonly message: string }>;
  readonly security: ReadonlyArray<{ readonly id: string; readonly severity: string; readonly resource: string; readonly message: string }>;
  readonly suppressed?: ReadonlyArray<{ readonly finding: { readonly id: string } }>;
}

/** Troubleshooting ids that are about one function's path (they name it in their message). */
const FUNCTION_FINDINGS = /^VLD10[1-7]$/;

/** What check said, in the shape of an {@link Expectation}, so one toEqual shows every difference. */
export function verdictOf(run: { code: number; stdout: string; stderr: string }, e: Expectation): Record<string, unknown> {
  let report: ReportJson;
  try {
    report = JSON.parse(run.stdout) as ReportJson;
  } catch {
    return { exit: run.code, error: `no JSON report (exit ${run.code}): ${run.stderr || run.stdout.slice(0, 2000)}` };
  }
  const findings = [...report.troubleshooting, ...report.security];
  const ids = new Set([...findings.map((f) => f.id), ...(report.suppressed ?? []).map((s) => s.finding.id)]);
  const describe = (id: string) =>
    findings
      .filter((f) => f.id === id)
      .map((f) => `${f.resource}: ${f.message}`)
      .join(' | ');
  const fns = report.reachability.functions;
  const names = fns.map((f) => f.name);
  const named = new Set(findings.filter((f) => FUNCTION_FINDINGS.test(f.id)).flatMap((f) => names.filter((n) => new RegExp(`(^|[^\\w-])${escape(n)}([^\\w-]|$)`).test(f.message))));
  return {
    exit: run.code,
    present: (e.present ?? []).map((id) => (ids.has(id) ? id : `${id} NOT REPORTED`)),
    absent: (e.absent ?? []).map((id) => (ids.has(id) ? `${id} REPORTED: ${describe(id) || '(suppressed)'}` : id)),
    verified: fns
      .filter((f) => f.reachable && f.unverified.length === 0)
      .map((f) => f.name)
      .sort(),
    failing: fns
      .filter((f) => !f.reachable && f.unverified.length === 0)
      .map((f) => f.name)
      .sort(),
    unverified: fns
      .filter((f) => f.unverified.length > 0)
      .map((f) => `${f.name}`)
      .sort(),
    namedByFindings: [...named].sort(),
    unknownPolicies: [...new Set(fns.flatMap((f) => f.tables.flatMap((t) => [...(t.roleUnknown ? [`${f.name}: role`] : []), ...(t.endpointUnknown ? [`${f.name}: endpoint`] : [])])))].sort(),
  };
}

/** The expected verdict, in the same shape as {@link verdictOf}. */
export function expectedVerdict(e: Expectation): Record<string, unknown> {
  const failing = [...(e.failing ?? [])].sort();
  return {
    exit: e.exit,
    present: [...(e.present ?? [])],
    absent: [...(e.absent ?? [])],
    verified: [...e.verified].sort(),
    failing,
    unverified: [...(e.unverified ?? [])].sort(),
    namedByFindings: failing,
    unknownPolicies: [...(e.unknownPolicies ?? [])].sort(),
  };
}

/** The `check` arguments for a planned variant. */
export function checkArgs(p: PlannedVariant, e: Expectation): string[] {
  return ['--plan', p.file, '--source-dir', p.dir, '--json', ...(e.args ?? [])];
}

/**
 * The two tests every variant of every case gets: it plans offline (a fixture breakage), and
 * `check` reaches the written-down verdict on it. Returns how to read a planned variant.
 */
export function describeCases(
  cases: readonly RealWorldCase[],
  tool: () => TerraformToolchain,
  stub: () => AwsApiStub,
  extraModules: Record<string, string> = {},
): (c: RealWorldCase, variant: string) => PlannedVariant {
  const planned = new Map<RealWorldCase, Map<string, PlannedVariant>>();
  const planOf = (c: RealWorldCase, variant: string): PlannedVariant => {
    const p = planned.get(c)?.get(variant);
    if (!p) throw new Error(`${c.fixture} ${variant} was not planned`);
    return p;
  };
  describe.each(cases.map((c) => [`case ${c.id} ${c.fixture}: ${c.title}`, c] as const))('%s', (_, c) => {
    beforeAll(() => {
      planned.set(c, planCase(tool(), c, stub(), extraModules));
    }, 600000);

    test.each(c.variants.map((v) => [v.name, v] as const))('%s: terraform plans it offline', (_, v) => {
      const p = planOf(c, v.name);
      if (p.error) throw new Error(p.error);
      expect((p.plan!.resource_changes ?? []).filter((r) => r.type === 'aws_lambda_function').length).toBeGreaterThan(0);
    });

    test.each(c.variants.map((v) => [`${v.name}: ${v.about}`, v] as const))('%s', (_, v) => {
      const p = planOf(c, v.name);
      if (p.error) throw new Error(`not planned (see its "terraform plans it offline" test)`);
      expect(verdictOf(runCheck(checkArgs(p, v.expect)), v.expect)).toEqual(expectedVerdict(v.expect));
    });
  });
  return planOf;
}
