/**
 * `verify --state state.json` / `--plan plan.json`: where the live account differs from what
 * Terraform says it deployed. Both sides go through the one model (analyze), so they are
 * compared as verdicts and facts, not as two resource representations: per function (by name)
 * whether it reaches its tables, each subnet's route table and endpoint route (by subnet id),
 * the 443 egress, each table's missing and denied actions (by table name), each gateway
 * endpoint's route tables (by endpoint id), and the findings. A resource the plan still has to
 * create has no id yet and is said to be so, not compared.
 */
import { CheckReport } from '../analyze';
import { CheckDefinition, Finding, finding } from '../findings';
import { dynamoGatewayEndpoints, FunctionReachability } from '../reachability';
import { TerraformGraph } from '../terraform-graph';

export const COMPARE_CHECKS = {
  differs: {
    id: 'VLD118',
    title: 'The live account differs from the Terraform state or plan',
    severity: 'warning',
    symptom: 'The next terraform apply will change it back, or the change made by hand is what keeps (or breaks) the function',
    fix: 'Run terraform plan -refresh-only to see the drift, then either apply the configuration again or bring the change into the configuration',
  },
} as const satisfies Record<string, CheckDefinition>;

/** One difference: what is compared, and the two sides. */
export interface LiveDifference {
  readonly function?: string;
  readonly subject: string;
  readonly expected: string;
  readonly live: string;
}

export interface LiveComparison {
  /** `state` or `plan`, and the file. */
  readonly against: string;
  readonly differences: LiveDifference[];
  /** What could not be compared (a resource the plan has yet to create). */
  readonly notCompared: string[];
}

const show = (v: unknown) => (Array.isArray(v) ? (v.length === 0 ? '(none)' : v.join(', ')) : String(v));
const sorted = (v: string[]) => [...new Set(v)].sort();

/** The id an address has in its graph (`subnet-...`), or undefined before apply. */
function idOf(graph: TerraformGraph, address: string): string | undefined {
  if (!/^[\w.]+(\[.*\])?$/.test(address)) return /^[a-z]+-[0-9a-f]+$/.test(address) ? address : undefined;
  const instance = graph.instance(address);
  const id = instance ? graph.value(instance, 'id') : undefined;
  return typeof id === 'string' ? id : undefined;
}

function nameOf(report: CheckReport, graph: TerraformGraph, address: string): string {
  const instance = graph.instance(address);
  const name = instance ? graph.value(instance, 'name') : undefined;
  return typeof name === 'string' ? name : (report.names?.[address] ?? address.replace(/^table /, ''));
}

/** The functions the expected input names (`function_name` of each aws_lambda_function), for `verify --state` without `--function`. */
export function functionNamesIn(graph: TerraformGraph): string[] {
  return sorted(graph.instancesOf('aws_lambda_function').map((f) => graph.value(f, 'function_name')).filter((n): n is string => typeof n === 'string'));
}

/** The differences between the expected (state or plan) and the live report, each side with its graph. */
export function compareWithLive(expected: { report: CheckReport; graph: TerraformGraph; against: string }, live: { report: CheckReport; graph: TerraformGraph }): LiveComparison {
  const differences: LiveDifference[] = [];
  const notCompared: string[] = [];
  const liveByName = new Map(live.report.reachability.functions.map((f) => [f.name, f]));
  const differ = (fn: string | undefined, subject: string, a: unknown, b: unknown) => {
    if (show(a) !== show(b)) differences.push({ ...(fn ? { function: fn } : {}), subject, expected: show(a), live: show(b) });
  };

  for (const e of expected.report.reachability.functions) {
    const l = liveByName.get(e.name);
    if (!l) {
      differences.push({ function: e.name, subject: 'function', expected: 'present', live: 'not read (not found, or not named)' });
      continue;
    }
    differ(e.name, 'reaches its tables privately', e.reachable ? 'yes' : 'no', l.reachable ? 'yes' : 'no');
    differ(e.name, 'tcp 443 egress to DynamoDB', e.https, l.https);
    compareSubnets(expected, live, e, l, differ, notCompared);
    const liveTables = new Map(l.tables.map((t) => [nameOf(live.report, live.graph, t.table), t]));
    for (const t of e.tables) {
      const name = nameOf(expected.report, expected.graph, t.table);
      const lt = liveTables.get(name);
      if (!lt) {
        differ(e.name, `table ${name}`, 'used', 'not read');
        continue;
      }
      differ(e.name, `actions the role lacks on ${name}`, sorted(t.roleMissing), sorted(lt.roleMissing));
      differ(e.name, `actions the endpoint policy refuses on ${name}`, sorted(t.endpointDenied), sorted(lt.endpointDenied));
      differ(e.name, `actions the resource policy of ${name} denies`, sorted(t.resourcePolicyDenied ?? []), sorted(lt.resourcePolicyDenied ?? []));
    }
    const ids = (r: CheckReport, fn: FunctionReachability) => sorted(r.troubleshooting.filter((f) => f.message.startsWith(`${fn.name} `) || f.message.startsWith(`${fn.name}:`)).map((f) => f.id));
    differ(e.name, 'findings', ids(expected.report, e), ids(live.report, l));
  }

  // Each gateway endpoint by id: the route tables it is on.
  const liveEndpoints = new Map(dynamoGatewayEndpoints(live.graph).map((i) => [String(live.graph.value(i, 'id')), i]));
  for (const endpoint of dynamoGatewayEndpoints(expected.graph)) {
    const id = expected.graph.value(endpoint, 'id');
    if (typeof id !== 'string') {
      notCompared.push(`${endpoint.address}: not created yet (no id in the plan)`);
      continue;
    }
    const l = liveEndpoints.get(id);
    const tables = (g: TerraformGraph, e: typeof endpoint) => sorted([...(g.value(e, 'route_table_ids') as string[] | undefined ?? [])].filter((x) => typeof x === 'string'));
    if (!l) differences.push({ subject: `endpoint ${id}`, expected: 'present', live: 'not in the functions\' VPCs' });
    else differ(undefined, `route tables of endpoint ${id}`, tables(expected.graph, endpoint), tables(live.graph, l));
  }
  return { against: expected.against, differences, notCompared: [...new Set(notCompared)] };
}

function compareSubnets(
  expected: { report: CheckReport; graph: TerraformGraph },
  live: { report: CheckReport; graph: TerraformGraph },
  e: FunctionReachability,
  l: FunctionReachability,
  differ: (fn: string | undefined, subject: string, a: unknown, b: unknown) => void,
  notCompared: string[],
): void {
  const liveById = new Map(l.subnets.map((s) => [idOf(live.graph, s.subnet), s]));
  const table = (graph: TerraformGraph, t: string) => (['main', 'external', 'unknown'].includes(t) ? t : (idOf(graph, t) ?? t));
  const expectedIds: string[] = [];
  for (const s of e.subnets) {
    const id = idOf(expected.graph, s.subnet);
    if (!id) {
      notCompared.push(`${s.subnet}: not created yet (no id in the plan)`);
      continue;
    }
    expectedIds.push(id);
    const ls = liveById.get(id);
    if (!ls) {
      differ(e.name, `subnet ${id}`, 'a subnet of the function', 'not a subnet of the function');
      continue;
    }
    // The main route table appears as `main` before apply and as its id live: compare ids when both have one.
    const et = table(expected.graph, s.routeTable);
    const lt = table(live.graph, ls.routeTable);
    if (et !== 'main') differ(e.name, `route table of ${id}`, et, lt);
    differ(e.name, `endpoint route for ${id}`, s.endpointRoute, ls.endpointRoute);
    differ(e.name, `internet path of ${id}`, s.internet, ls.internet);
  }
  for (const [id] of liveById) if (id && !expectedIds.includes(id) && e.subnets.every((s) => idOf(expected.graph, s.subnet))) differ(e.name, `subnet ${id}`, 'not a subnet of the function', 'a subnet of the function');
}

/** One VLD118 warning per function that differs, and one for the endpoints. */
export function comparisonFindings(comparison: LiveComparison): Finding[] {
  const byFunction = new Map<string, LiveDifference[]>();
  for (const d of comparison.differences) byFunction.set(d.function ?? '', [...(byFunction.get(d.function ?? '') ?? []), d]);
  return [...byFunction.entries()].map(([fn, ds]) =>
    finding(
      COMPARE_CHECKS.differs,
      fn ? `aws_lambda_function.live[${JSON.stringify(fn)}]` : 'endpoints',
      `${fn ? `${fn}: ` : ''}live differs from the ${comparison.against}: ${ds.map((d) => `${d.subject}: ${d.expected} there, ${d.live} live`).join('; ')}`,
    ),
  );
}
