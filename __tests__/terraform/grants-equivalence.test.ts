import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { analyze, allFindings } from '../../analysis/analyze';
import { dynamoGatewayEndpoints, rolePolicies } from '../../analysis/reachability';
import { isUnknownPolicy, parsePolicy, Statement } from '../../analysis/policy';
import { graphFromPlan, PlanInput, TerraformGraph } from '../../analysis/terraform-graph';
import { Unknown, Value } from '../../analysis/evaluate/values';
import { FunctionCode } from '../../modules/constructs/function-code';
import { FunctionSettings, TableSettings, VpcLambdaDynamoDb } from '../../modules/constructs/vpc-lambda-dynamodb';
import { init, planJson, PlanJson, writeOfflineProvider, writeOfflineProviderOverride } from '../../scripts/terraform-offline';
import { publishedModule } from '../support/synth';
import { describeWithTerraform, expectOk, OFFLINE_ZONES } from '../support/terraform';

/**
 * One declaration of tables and functions, given to both surfaces: the published module (a
 * root calling it, as a team writes one) and the constructs (`VpcLambdaDynamoDb` in a CDKTF
 * app). Both are planned offline by real Terraform and read by `check`'s own evaluator: every
 * function's role and the DynamoDB endpoint policy must allow exactly the same actions on
 * exactly the same resources (tables by name), however each surface groups its statements.
 */

const PREFIX = 'grants';
const ZIP = resolve(__dirname, '..', 'fixtures', 'real-world', 'function.zip');
const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/projector:1.4.0';
const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf';
const LAYER = 'arn:aws:lambda:us-east-1:123456789012:layer:shared:3';
const ARCHIVE = 'arn:aws:s3:::grants-archive';

/** The declaration, in the module's words; the constructs' are derived from it below. */
const TABLES = {
  entries: {
    hash_key: 'account_id',
    range_key: 'entry_id',
    stream_view_type: 'NEW_IMAGE',
    global_secondary_indexes: { byDay: { hash_key: 'day', range_key: 'entry_id' } },
    local_secondary_indexes: { byAmount: { range_key: 'amount' } },
    attributes: { amount: 'N' },
  },
  balances: {
    hash_key: 'account_id',
    billing_mode: 'PROVISIONED',
    read_capacity: 5,
    write_capacity: 5,
    autoscaling: { read_min_capacity: 5, read_max_capacity: 50, write_min_capacity: 5, write_max_capacity: 50 },
  },
};
const FUNCTIONS = {
  api: {
    handler: 'app.handler',
    runtime: 'python3.13',
    layers: [LAYER],
    table_access: { entries: ['dynamodb:PutItem', 'dynamodb:Query'], balances: ['dynamodb:GetItem'], 'entries/index/byDay': ['dynamodb:Query'] },
    policy_statements: { ReadDbSecret: { actions: ['secretsmanager:GetSecretValue'], resources: [SECRET] } },
    managed_policy_arns: ['arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess'],
    provisioned_concurrency: 1,
    function_url: {},
    bucket_access: { [ARCHIVE]: ['s3:GetObject', 's3:ListBucket'] },
  },
  projector: { stream_from: 'entries', table_access: { balances: ['dynamodb:UpdateItem'] }, failure_queue_enabled: true },
};

function moduleRoot(moduleDir: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'vld-grants-module-'));
  cpSync(ZIP, join(dir, 'function.zip'));
  const functions = {
    api: { ...FUNCTIONS.api, filename: '${path.module}/function.zip' },
    projector: { ...FUNCTIONS.projector, image_uri: IMAGE },
  };
  const main = { module: { system: { source: moduleDir, name_prefix: PREFIX, availability_zones: OFFLINE_ZONES, interface_endpoints: ['secretsmanager'], tables: TABLES, functions } } };
  writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(main, null, 2));
  writeOfflineProvider(dir);
  return dir;
}

function constructsRoot(): string {
  const outdir = mkdtempSync(join(tmpdir(), 'vld-grants-constructs-'));
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'grants');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  const tables: Record<string, TableSettings> = {
    entries: {
      hashKey: 'account_id',
      rangeKey: 'entry_id',
      streamViewType: 'NEW_IMAGE',
      globalSecondaryIndexes: { byDay: { hashKey: 'day', rangeKey: 'entry_id' } },
      localSecondaryIndexes: { byAmount: { rangeKey: 'amount' } },
      attributes: { amount: 'N' },
    },
    balances: {
      hashKey: 'account_id',
      billingMode: 'PROVISIONED',
      readCapacity: 5,
      writeCapacity: 5,
      autoScaling: { readMinCapacity: 5, readMaxCapacity: 50, writeMinCapacity: 5, writeMaxCapacity: 50 },
    },
  };
  const a = FUNCTIONS.api;
  const functions: Record<string, FunctionSettings> = {
    api: {
      code: FunctionCode.fromZip(ZIP),
      handler: a.handler,
      runtime: 'python3.13',
      layers: a.layers,
      tableAccess: a.table_access as FunctionSettings['tableAccess'],
      policyStatements: a.policy_statements,
      managedPolicyArns: a.managed_policy_arns,
      provisionedConcurrency: a.provisioned_concurrency,
      functionUrl: {},
      bucketAccess: { [ARCHIVE]: ['s3:GetObject', 's3:ListBucket'] },
    },
    projector: {
      code: FunctionCode.fromImage(IMAGE),
      streamFrom: FUNCTIONS.projector.stream_from,
      tableAccess: FUNCTIONS.projector.table_access as FunctionSettings['tableAccess'],
      failureQueueEnabled: true,
    },
  };
  new VpcLambdaDynamoDb(stack, 'system', { namePrefix: PREFIX, region: 'us-east-1', availabilityZones: [...OFFLINE_ZONES], interfaceEndpoints: ['secretsmanager'], tables, functions });
  app.synth();
  const dir = join(outdir, 'stacks', 'grants');
  mkdirSync(dir, { recursive: true });
  writeOfflineProviderOverride(dir);
  return dir;
}

/** A resource as a reader names it: a string as is; a planned table's ARN as `table:<name>`, with what follows it. */
function resourceName(graph: TerraformGraph, v: Value): string {
  if (typeof v === 'string') return v;
  if (v instanceof Unknown) {
    const parts = v.parts ?? [v];
    return parts
      .map((p) => {
        if (typeof p === 'string') return p;
        const origin = p.origins.length === 1 ? p.origins[0] : undefined;
        const owner = origin && graph.instancesOf(origin.address.replace(/^(module\.[^.]+\.)*/, '').split('.')[0]).find((t) => t.address === origin.address);
        const name = owner && graph.argumentValue(owner, 'name');
        if (!owner || typeof name !== 'string') return `<${p.reason}>`;
        const kind = { aws_dynamodb_table: 'table', aws_cloudwatch_log_group: 'log-group', aws_sqs_queue: 'queue' }[owner.resource.type] ?? owner.resource.type;
        return `${kind}:${name}${origin!.attribute === 'arn' ? '' : `.${origin!.attribute}`}`;
      })
      .join('');
  }
  return JSON.stringify(v);
}

/** Every (effect, action, resource) a set of statements allows or denies, sorted: grouping aside. */
function grantsOf(graph: TerraformGraph, statements: Statement[]): string[] {
  return [...new Set(statements.flatMap((s) => s.actions.flatMap((a) => s.resources.map((r) => `${s.effect} ${a} ${resourceName(graph, r)}`))))].sort();
}

type Grants = { roles: Record<string, string[]>; endpoint: string[]; s3Endpoint: string[]; unknown: string[]; graph: TerraformGraph };

function grants(plan: PlanJson, sourceDir: string): Grants {
  const graph = graphFromPlan(plan as unknown as PlanInput, { sourceDir });
  const roles: Record<string, string[]> = {};
  const unknown: string[] = [];
  for (const fn of graph.instancesOf('aws_lambda_function')) {
    const policies = rolePolicies(graph, fn);
    unknown.push(...policies.unknown);
    roles[String(graph.argumentValue(fn, 'function_name'))] = grantsOf(graph, policies.documents.flatMap((d) => d.statements));
  }
  const policyOf = (e: ReturnType<TerraformGraph['instancesOf']>[number]) => {
    const doc = parsePolicy(graph, e);
    if (doc === 'absent' || isUnknownPolicy(doc)) return [`endpoint policy ${doc === 'absent' ? 'absent' : doc.unknown}`];
    return grantsOf(graph, doc.statements);
  };
  const endpoint = dynamoGatewayEndpoints(graph).flatMap(policyOf);
  const s3Endpoint = graph.instancesOf('aws_vpc_endpoint').filter((e) => String(graph.argumentValue(e, 'service_name')).endsWith('.s3')).flatMap(policyOf);
  return { roles, endpoint, s3Endpoint, unknown, graph };
}

describeWithTerraform('one declaration through the module and through the constructs: the same grants (planned offline)', (tool) => {
  let fromModule: Grants;
  let fromConstructs: Grants;
  /** What `check` reports on the module root's plan, its .tf files beside it. */
  let report: ReturnType<typeof analyze>;
  beforeAll(async () => {
    const moduleDir = moduleRoot(await publishedModule());
    expectOk(init(tool(), moduleDir), 'terraform init (module root)');
    const modulePlan = planJson(tool(), moduleDir);
    expectOk(modulePlan, 'terraform plan (module root)');
    fromModule = grants(modulePlan.plan!, moduleDir);
    report = analyze(graphFromPlan(modulePlan.plan as unknown as PlanInput, { sourceDir: moduleDir }));
    const constructsDir = constructsRoot();
    expectOk(init(tool(), constructsDir), 'terraform init (constructs)');
    const constructsPlan = planJson(tool(), constructsDir);
    expectOk(constructsPlan, 'terraform plan (constructs)');
    fromConstructs = grants(constructsPlan.plan!, constructsDir);
  }, 600000);

  test('every policy is read: nothing unknown on either side', () => {
    expect(fromModule.unknown).toEqual([]);
    expect(fromConstructs.unknown).toEqual([]);
  });

  test("each function's role allows the same actions on the same resources", () => {
    expect(Object.keys(fromModule.roles).sort()).toEqual([`${PREFIX}-api`, `${PREFIX}-projector`]);
    expect(fromConstructs.roles).toEqual(fromModule.roles);
  });

  test('the roles are exactly the declaration: its tables, its statement, its stream, the fixed ENI/log/X-Ray ones', () => {
    const api = fromModule.roles[`${PREFIX}-api`].filter((g) => !/ (ec2|logs|xray):/.test(g));
    expect(api).toEqual(
      [
        'Allow dynamodb:GetItem table:grants-balances',
        'Allow dynamodb:PutItem table:grants-entries',
        'Allow dynamodb:Query table:grants-entries',
        'Allow dynamodb:Query table:grants-entries/index/*',
        'Allow dynamodb:Query table:grants-entries/index/byDay',
        `Allow s3:GetObject ${ARCHIVE}/*`,
        `Allow s3:ListBucket ${ARCHIVE}`,
        `Allow secretsmanager:GetSecretValue ${SECRET}`,
      ].sort(),
    );
    const projector = fromModule.roles[`${PREFIX}-projector`].filter((g) => !/ (ec2|logs|xray):/.test(g));
    expect(projector).toEqual(
      [
        'Allow dynamodb:UpdateItem table:grants-balances',
        ...['DescribeStream', 'GetRecords', 'GetShardIterator', 'ListStreams'].map((a) => `Allow dynamodb:${a} table:grants-entries/stream/*`),
        'Allow sqs:SendMessage queue:grants-projector-failed-events',
      ].sort(),
    );
  });

  test('the endpoint policy is the union of the table grants, the same on both sides', () => {
    expect(fromModule.endpoint.length).toBeGreaterThan(0);
    expect(fromConstructs.endpoint).toEqual(fromModule.endpoint);
  });

  test('the S3 endpoint policy is exactly the bucket grants, the same on both sides', () => {
    expect(fromModule.s3Endpoint).toEqual(['s3:GetObject', 's3:ListBucket'].flatMap((a) => [`Allow ${a} ${ARCHIVE}`, `Allow ${a} ${ARCHIVE}/*`]).sort());
    expect(fromConstructs.s3Endpoint).toEqual(fromModule.s3Endpoint);
  });

  test('check on the module root: every function reachable, no error, the Secrets Manager endpoint priced per AZ-hour', () => {
    expect(report.reachability.functions.map((f) => [f.name, f.reachable, f.unverified])).toEqual([
      [`${PREFIX}-api`, true, []],
      [`${PREFIX}-projector`, true, []],
    ]);
    expect(allFindings(report).filter((f) => f.severity === 'error').map((f) => f.id)).toEqual([]);
    const endpointLine = report.cost.lines.find((l) => l.item.startsWith('interface endpoint (secretsmanager)'))!;
    // Two AZs x 730 h at us-east-1's $0.01 per AZ-hour.
    expect([endpointLine.quantity, endpointLine.fixed]).toEqual(['2 AZ x 730 h', 14.6]);
  });
});
