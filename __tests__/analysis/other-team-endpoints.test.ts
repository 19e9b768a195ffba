import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../analysis/analyze';
import { estimateCost } from '../../analysis/cost-estimate';
import { dynamoGatewayEndpoints, s3GatewayEndpoints } from '../../analysis/reachability';
import { renderText } from '../../analysis/report';
import { graphFromPlan, graphFromStack, PlanInput, StackJson, TerraformGraph } from '../../analysis/terraform-graph';
import { check, stack } from './fixtures';

// A configuration written the way another team writes Terraform (plain HCL, endpoints as one
// for_each over a map in the terraform-aws-modules vpc-endpoints style: S3 and DynamoDB
// gateways, Secrets Manager and SQS interface endpoints), read as `npm run check --plan` reads
// a plan beside its .tf files: the plan lists the instances, their values come from the HCL.

const FIXTURE = join(__dirname, '..', 'fixtures', 'other-teams', 'endpoints', 'main.tf');

/** The instances terraform plans for the fixture (every one created). */
function instances(endpoints: readonly string[]): Array<[string, string, string, (number | string)?]> {
  return [
    ['aws_vpc.this', 'aws_vpc', 'this'],
    ...[0, 1].flatMap((i): Array<[string, string, string, number]> => [
      [`aws_subnet.private[${i}]`, 'aws_subnet', 'private', i],
      [`aws_route_table.private[${i}]`, 'aws_route_table', 'private', i],
      [`aws_route_table_association.private[${i}]`, 'aws_route_table_association', 'private', i],
    ]),
    ['aws_security_group.vpc_endpoints', 'aws_security_group', 'vpc_endpoints'],
    ...endpoints.map((k): [string, string, string, string] => [`aws_vpc_endpoint.this["${k}"]`, 'aws_vpc_endpoint', 'this', k]),
    ['aws_dynamodb_table.invoices', 'aws_dynamodb_table', 'invoices'],
    ['aws_security_group.lambda', 'aws_security_group', 'lambda'],
    ['aws_iam_role.invoicer', 'aws_iam_role', 'invoicer'],
    ['aws_iam_role_policy_attachment.vpc_access', 'aws_iam_role_policy_attachment', 'vpc_access'],
    ['aws_iam_role_policy.invoicer', 'aws_iam_role_policy', 'invoicer'],
    ['aws_lambda_function.invoicer', 'aws_lambda_function', 'invoicer'],
  ];
}

/** Variants that rewrite their marked lines; the others drop them. */
const REWRITES: Record<string, (line: string) => string> = {
  // The interface endpoints in subnets another stack shares through a variable with no value in the plan.
  'shared-subnets': (line) => line.replace('aws_subnet.private[*].id', 'var.shared_subnet_ids'),
};

/** The fixture with a variant's marked lines dropped or rewritten, as a plan graph (values computed at apply, as terraform plans them). */
function graphOf(variant?: string, region = 'eu-west-2'): TerraformGraph {
  const text = readFileSync(FIXTURE, 'utf8');
  const dir = mkdtempSync(join(tmpdir(), 'vld-other-team-'));
  const marked = (line: string) => variant !== undefined && line.includes(`# variant:${variant}`);
  const lines = text.split('\n').flatMap((line) => (!marked(line) ? [line] : REWRITES[variant!] ? [REWRITES[variant!](line)] : []));
  writeFileSync(join(dir, 'main.tf'), lines.join('\n'));
  const endpoints = variant === 'no-dynamodb-endpoint' ? ['s3', 'secretsmanager', 'sqs'] : ['s3', 'dynamodb', 'secretsmanager', 'sqs'];
  const plan: PlanInput = {
    format_version: '1.2',
    configuration: { root_module: { resources: [] } },
    variables: { region: { value: region }, name: { value: 'billing' } },
    resource_changes: instances(endpoints).map(([address, type, name, index]) => ({
      address,
      mode: 'managed',
      type,
      name,
      index,
      change: { actions: ['create'], after: {}, after_unknown: { id: true, arn: true, prefix_list_id: true } },
    })),
  };
  return graphFromPlan(plan, { sourceDir: dir });
}

describe("another team's endpoints map: reachability", () => {
  test('the DynamoDB gateway endpoint is found by its service name among four; S3 is a gateway of its own, never a DynamoDB path', () => {
    const graph = graphOf();
    expect(dynamoGatewayEndpoints(graph).map((e) => e.address)).toEqual(['aws_vpc_endpoint.this["dynamodb"]']);
    expect(s3GatewayEndpoints(graph).map((e) => e.address)).toEqual(['aws_vpc_endpoint.this["s3"]']);
    const report = analyze(graph);
    expect(report.reachability.endpoints).toEqual(['aws_vpc_endpoint.this["dynamodb"]']);
    const [fn] = report.reachability.functions;
    expect([fn.name, fn.reachable, fn.subnets.map((s) => s.endpointRoute)]).toEqual(['billing-invoicer', true, ['yes', 'yes']]);
    expect(fn.tables.map((t) => t.table)).toEqual(['aws_dynamodb_table.invoices']);
  });

  test('without the DynamoDB entry the S3 gateway on the same route tables does not count: the function is not reachable', () => {
    const graph = graphOf('no-dynamodb-endpoint');
    expect(dynamoGatewayEndpoints(graph)).toEqual([]);
    const report = analyze(graph);
    expect(report.reachability.endpoints).toEqual([]);
    expect(report.reachability.functions.map((f) => [f.name, f.reachable])).toEqual([['billing-invoicer', false]]);
    expect(report.troubleshooting.map((f) => f.id)).toContain('VLD101');
    expect(report.failed).toBe(true);
  });
});

describe("another team's endpoints map: cost at the region's prices", () => {
  const assumptions = { trafficGb: 100, internetGb: 0, flowLogGb: 1, endpointGb: 50 };

  test('eu-west-2: each interface endpoint 2 AZ x 730 h x $0.011, data $0.01/GB, both gateways $0; the region read from the DynamoDB service name', () => {
    const cost = estimateCost(graphOf(), assumptions);
    expect([cost.region, cost.regionFrom]).toEqual(['eu-west-2', 'aws_vpc_endpoint.this["dynamodb"] service_name']);
    expect(cost.lines).toEqual([
      { item: 'gateway endpoint aws_vpc_endpoint.this["dynamodb"]', quantity: '730 h, 100 GB', fixed: 0, variable: 0 },
      { item: 'gateway endpoint aws_vpc_endpoint.this["s3"]', quantity: '730 h (S3)', fixed: 0, variable: 0 },
      { item: 'interface endpoint (secretsmanager) aws_vpc_endpoint.this["secretsmanager"]', quantity: '2 AZ x 730 h', fixed: 16.06, variable: 0 },
      { item: 'interface endpoint (sqs) aws_vpc_endpoint.this["sqs"]', quantity: '2 AZ x 730 h', fixed: 16.06, variable: 0 },
      { item: 'interface endpoint data', quantity: '50 GB (assumed, --endpoint-gb) x $0.01/GB', fixed: 0, variable: 0.5 },
    ]);
    expect(cost.fixedMonthly).toBe(32.12);
    expect(cost.unpriced).toEqual([]);
  });

  test('the cost table compares the interface endpoints with NAT for their traffic: without NAT they are the only path', () => {
    const cost = estimateCost(graphOf(), assumptions);
    expect(cost.endpointComparison).toEqual([
      { option: 'interface endpoints x2', fixed: 32.12, perGb: 0.01, monthly: 32.62 },
      { option: 'NAT single', fixed: 36.5, perGb: 0.05, monthly: 39 },
      { option: 'NAT per-az (2 AZ)', fixed: 73, perGb: 0.05, monthly: 75.5 },
    ]);
    expect(cost.notes).toContain('interface endpoints without NAT: the only path from the private subnets to their services (compared with NAT in the cost table)');
    const text = renderText(analyze(graphOf(), assumptions)).replace(/\n {2,}/g, ' ');
    expect(text).toContain('Interface endpoints against NAT, for 50 GB/month to their services');
    expect(text).toMatch(/interface endpoints x2\s+│ \$32\.12/);
  });

  test('a region with no interface endpoint price recorded: not priced, and said so (never another region\'s price)', () => {
    const cost = estimateCost(graphOf(undefined, 'sa-east-1'), assumptions);
    expect(cost.region).toBe('sa-east-1');
    expect(cost.lines.filter((l) => l.item.startsWith('interface endpoint (')).map((l) => l.fixed)).toEqual([null, null]);
    expect(cost.fixedMonthly).toBeNull();
    expect(cost.unpriced).toContain('no interface VPC endpoint, per endpoint per AZ per hour recorded for sa-east-1 (analysis/network-prices.ts)');
    expect(cost.endpointComparison[0]).toEqual({ option: 'interface endpoints x2', fixed: null, perGb: null, monthly: null });
  });

  test('subnets not known before apply: the AZ count is not known, so the endpoints are not priced (never guessed as one AZ)', () => {
    const cost = estimateCost(graphOf('shared-subnets'), assumptions);
    expect(cost.lines.filter((l) => l.item.startsWith('interface endpoint (')).map((l) => [l.quantity, l.fixed])).toEqual([
      ['? AZ x 730 h', null],
      ['? AZ x 730 h', null],
    ]);
    expect(cost.fixedMonthly).toBeNull();
    expect(cost.unpriced[0]).toMatch(/^aws_vpc_endpoint\.this\["secretsmanager"\]: its subnets \(one billed network interface each\) are not known before apply/);
    expect(cost.endpointComparison[0].fixed).toBeNull();
  });
});

describe('this project\'s own interface endpoints, priced the same way', () => {
  test('with NAT they cost in addition: NAT single $32.85 plus secretsmanager 2 AZ x 730 h x $0.01 (us-east-1)', () => {
    const json = stack({ natMode: 'single', functions: { allowInternetEgress: true }, interfaceEndpoints: ['secretsmanager'] });
    const cost = estimateCost(graphFromStack(json as StackJson), { trafficGb: 100, internetGb: 0, flowLogGb: 1 });
    expect(cost.lines.find((l) => l.item.startsWith('interface endpoint ('))).toMatchObject({ item: 'interface endpoint (secretsmanager) aws_vpc_endpoint.system_interface_endpoints_secretsmanager', quantity: '2 AZ x 730 h', fixed: 14.6 });
    expect(cost.fixedMonthly).toBe(32.85 + 14.6);
    expect(cost.notes).toContain("interface endpoints with NAT: they cost in addition to the NAT gateways (their services' traffic leaves NAT's per-GB charge for theirs)");
    // The S3 and DynamoDB gateways stay free, and only the DynamoDB one is a path to the tables.
    expect(cost.lines.filter((l) => l.item.startsWith('gateway endpoint')).map((l) => l.fixed)).toEqual([0, 0]);
    expect(check(json).reachability.endpoints).toEqual(['aws_vpc_endpoint.system_dynamodb_endpoint']);
  });
});

test('the default stack with interface endpoints still passes every check: no finding, both functions reach DynamoDB', () => {
  const report = check(stack({ interfaceEndpoints: ['secretsmanager', 'sqs'] }));
  expect([...report.troubleshooting, ...report.security].map((f) => `${f.id} ${f.resource}: ${f.message}`)).toEqual([]);
  expect(report.failed).toBe(false);
  expect(report.reachability.functions.map((f) => f.reachable)).toEqual([true, true]);
  expect(report.cost.endpointComparison.map((o) => o.option)).toEqual(['interface endpoints x2', 'NAT single', 'NAT per-az (2 AZ)']);
});
