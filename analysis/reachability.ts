/**
 * Per function, the facts that decide whether it reaches DynamoDB privately: its subnets and
 * their route tables, the endpoint's attachment, the internet path, the security group's
 * 443 egress, the role and endpoint policies, and the database's 5432 both ways.
 * Facts only; troubleshooting.ts turns them into findings.
 */
import { DATABASE_ENV_KEYS, HTTPS_PORT, POSTGRES_PORT, TABLE_ENV_NEEDS } from './function-needs';
import { coversTable, decide, dynamoActionsOn, parsePolicy, PolicyDocument, TableTarget } from './policy';
import { Resolved, strings, TerraformGraph, TfInstance } from './terraform-graph';

/** How one subnet of a function routes. */
export interface SubnetPath {
  readonly subnet: string;
  /** The route table's address, `external` for a subnet outside this configuration, or `main` when none is associated. */
  readonly routeTable: string;
  /** The DynamoDB prefix-list route through the gateway endpoint. `external`: cannot be seen here. */
  readonly endpointRoute: 'yes' | 'no' | 'external';
  /** A default route: none, through NAT, or to an internet gateway (a public subnet). */
  readonly internet: 'none' | 'nat' | 'internet-gateway';
}

/** One table the function uses, and what the role and endpoint let through. */
export interface TableAccess {
  readonly table: string;
  readonly actions: string[];
  readonly roleMissing: string[];
  readonly endpointDenied: string[];
  /** The role's policies are computed at apply and could not be read. */
  readonly roleUnknown: boolean;
  readonly endpointUnknown: boolean;
}

/** PostgreSQL reachability for a function that uses the database. */
export interface DatabasePath {
  readonly securityGroups: string[];
  readonly port: number;
  /** The function's SG allows 5432 out to the database SG. */
  readonly egress: boolean;
  /** The database SG admits 5432 from the function's SG. */
  readonly ingress: boolean;
}

/** Everything known about one function. */
export interface FunctionReachability {
  readonly name: string;
  readonly address: string;
  readonly subnets: SubnetPath[];
  readonly securityGroups: string[];
  /** Egress 443 to DynamoDB: to the endpoint's prefix list, to anywhere, or none. */
  readonly https: 'prefix-list' | 'anywhere' | 'none' | 'unknown';
  readonly endpoint?: string;
  readonly tables: TableAccess[];
  /** The function's SG allows egress to 0.0.0.0/0: internet access was asked for. */
  readonly internetAskedFor: boolean;
  readonly database?: DatabasePath;
  /** DynamoDB reachable privately, and if not, why. */
  readonly reachable: boolean;
  readonly reasons: string[];
  /**
   * What could not be resolved for a function in a VPC (its subnets, security groups, route
   * tables, prefix list or tables): the function is not verified, whatever else is known.
   */
  readonly unverified: string[];
}

/** A function -> table link the configuration cannot show (`--link function=table`). */
export interface TableLink {
  /** The function's name or address. */
  readonly function: string;
  /** The table's name or address. */
  readonly table: string;
}

/** Options of {@link analyzeReachability}. */
export interface ReachabilityOptions {
  readonly links?: readonly TableLink[];
}

/** The whole answer. */
export interface Reachability {
  readonly endpoints: string[];
  /** Route tables the endpoints are attached to: addresses here, ids (`rtb-...`) outside. */
  readonly endpointRouteTables: string[];
  readonly functions: FunctionReachability[];
}

const ANYWHERE = ['0.0.0.0/0', '::/0'];

/** Analyses every `aws_lambda_function` with a VPC configuration. */
export function analyzeReachability(graph: TerraformGraph, options: ReachabilityOptions = {}): Reachability {
  const endpoints = dynamoGatewayEndpoints(graph);
  const functions = graph.instancesOf('aws_lambda_function').map((fn) => analyzeFunction(graph, fn, endpoints, options.links ?? []));
  const endpointRouteTables = endpoints.flatMap((e) => {
    const resolved = graph.resolve(e, 'route_table_ids');
    return [...resolved.instances.filter((i) => i.resource.type === 'aws_route_table').map(label), ...resolved.literals.filter((id) => id.startsWith('rtb-'))];
  });
  return { endpoints: endpoints.map((e) => e.address), endpointRouteTables, functions };
}

/** The DynamoDB gateway endpoints of the configuration. */
export function dynamoGatewayEndpoints(graph: TerraformGraph): TfInstance[] {
  return graph.instancesOf('aws_vpc_endpoint').filter((e) => {
    const service = String(graph.value(e, 'service_name') ?? graph.raw(e, 'service_name') ?? '');
    const type = String(graph.value(e, 'vpc_endpoint_type') ?? 'Gateway');
    return /dynamodb/.test(service) && type === 'Gateway';
  });
}

function label(i: TfInstance): string {
  return i.address;
}

/** Instances of one type among what an attribute resolves to, and whether anything is missing. */
function ofType(resolved: Resolved, type: string): Resolved {
  return { instances: resolved.instances.filter((i) => i.resource.type === type && i.resource.mode !== 'data'), literals: resolved.literals, unresolved: resolved.unresolved };
}

function analyzeFunction(graph: TerraformGraph, fn: TfInstance, endpoints: TfInstance[], links: readonly TableLink[]): FunctionReachability {
  const name = String(graph.value(fn, 'function_name') ?? fn.address);
  const subnets = ofType(graph.resolve(fn, 'vpc_config.subnet_ids'), 'aws_subnet');
  const sgs = ofType(graph.resolve(fn, 'vpc_config.security_group_ids'), 'aws_security_group');
  const endpoint = endpoints[0];
  const unverified: string[] = [];
  const inVpc = graph.raw(fn, 'vpc_config') !== undefined || (fn.values.vpc_config !== undefined && !(Array.isArray(fn.values.vpc_config) && fn.values.vpc_config.length === 0));
  const missing = (what: string, r: Resolved) => {
    if (r.unresolved.length > 0) unverified.push(`${what}: ${r.unresolved.join(', ')}`);
    else if (r.instances.length === 0 && r.literals.length === 0) unverified.push(`${what}: none found`);
  };
  if (inVpc) {
    missing('subnets', subnets);
    missing('security groups', sgs);
  }

  const subnetPaths: SubnetPath[] = [
    ...subnets.instances.map((s) => subnetPath(graph, s, endpoints, unverified)),
    ...subnets.literals.map((id) => ({ subnet: id, routeTable: 'external', endpointRoute: 'external' as const, internet: 'none' as const })),
  ];

  const egress = egressRules(graph, sgs.instances);
  const groupsResolved = sgs.unresolved.length === 0 && (sgs.instances.length > 0 || sgs.literals.length === 0);
  const https = groupsResolved ? httpsEgress(graph, egress, endpoints, unverified) : 'unknown';
  const internetAskedFor = egress.some((r) => r.cidrs.some((c) => ANYWHERE.includes(c)));

  const tables = tableAccess(graph, fn, endpoints, links);
  if (inVpc && tables.length === 0) unverified.push(`tables: no reference to a DynamoDB table in its environment or its role's policies (pass --link ${name}=<table>)`);
  if (tables.length > 0) for (const e of endpoints) {
    const r = graph.resolve(e, 'route_table_ids');
    if (r.unresolved.length > 0) unverified.push(`route tables of ${e.address}: ${r.unresolved.join(', ')}`);
  }
  const database = databasePath(graph, fn, sgs.instances, egress);

  const reasons: string[] = [];
  if (tables.length > 0) {
    if (!endpoint) reasons.push('no DynamoDB gateway endpoint in the configuration');
    else {
      const endpointTablesKnown = !unverified.some((u) => u.startsWith('route tables of '));
      for (const p of subnetPaths) if (p.endpointRoute === 'no' && endpointTablesKnown) reasons.push(`route table ${p.routeTable} of ${p.subnet} has no route to the endpoint`);
      if (https === 'none') reasons.push('security group allows no 443 egress to the DynamoDB prefix list');
      for (const t of tables) if (t.endpointDenied.length > 0) reasons.push(`endpoint policy does not allow ${t.endpointDenied.join(', ')} on ${t.table}`);
    }
    for (const t of tables) if (t.roleMissing.length > 0) reasons.push(`role lacks ${t.roleMissing.join(', ')} on ${t.table}`);
    for (const p of subnetPaths) if (p.internet === 'internet-gateway') reasons.push(`${p.subnet} is public (default route to an internet gateway)`);
    if (subnetPaths.length === 0 && !inVpc) reasons.push('not attached to a VPC');
  }
  return {
    name,
    address: fn.address,
    subnets: subnetPaths,
    securityGroups: [...sgs.instances.map(label), ...sgs.literals],
    https,
    endpoint: endpoint?.address,
    tables,
    internetAskedFor,
    database,
    reachable: tables.length > 0 && reasons.length === 0 && unverified.length === 0,
    reasons,
    unverified: [...new Set(unverified)],
  };
}

function subnetPath(graph: TerraformGraph, subnet: TfInstance, endpoints: TfInstance[], unverified: string[]): SubnetPath {
  const association = graph.instancesOf('aws_route_table_association').find((a) => graph.refersTo(a, 'subnet_id', subnet));
  const resolved = association ? ofType(graph.resolve(association, 'route_table_id'), 'aws_route_table') : undefined;
  const table = resolved?.instances[0];
  if (association && resolved && (resolved.unresolved.length > 0 || !table)) {
    const external = resolved.literals.find((id) => id.startsWith('rtb-'));
    if (external) return { subnet: subnet.address, routeTable: external, endpointRoute: endpoints.some((e) => graph.resolve(e, 'route_table_ids').literals.includes(external)) ? 'yes' : 'no', internet: 'none' };
    unverified.push(`route table of ${subnet.address}: ${resolved.unresolved.join(', ') || `${association.address}.route_table_id names none`}`);
  }
  if (!table) return { subnet: subnet.address, routeTable: 'main', endpointRoute: 'no', internet: 'none' };
  const attached =
    endpoints.some((e) => graph.refersTo(e, 'route_table_ids', table)) ||
    graph.instancesOf('aws_vpc_endpoint_route_table_association').some((a) => graph.refersTo(a, 'route_table_id', table) && endpoints.some((e) => graph.refersTo(a, 'vpc_endpoint_id', e)));
  return { subnet: subnet.address, routeTable: table.address, endpointRoute: attached ? 'yes' : 'no', internet: internetRoute(graph, table) };
}

function internetRoute(graph: TerraformGraph, table: TfInstance): SubnetPath['internet'] {
  const defaults: Array<{ owner: TfInstance; gateway: unknown; nat: unknown }> = [];
  for (const r of graph.instancesOf('aws_route')) {
    if (!graph.refersTo(r, 'route_table_id', table)) continue;
    const dest = graph.value(r, 'destination_cidr_block') ?? graph.value(r, 'destination_ipv6_cidr_block');
    if (typeof dest === 'string' && ANYWHERE.includes(dest)) defaults.push({ owner: r, gateway: graph.raw(r, 'gateway_id'), nat: graph.raw(r, 'nat_gateway_id') });
  }
  for (const r of inlineBlocks(graph, table, 'route')) {
    if (ANYWHERE.includes(String(r.cidr_block ?? r.ipv6_cidr_block ?? ''))) defaults.push({ owner: table, gateway: r.gateway_id, nat: r.nat_gateway_id });
  }
  let result: SubnetPath['internet'] = 'none';
  for (const d of defaults) {
    const gateway = graph.resolveValue(d.owner, d.gateway);
    if (gateway.instances.some((g) => g.resource.type === 'aws_internet_gateway') || gateway.literals.some((id) => id.startsWith('igw-'))) return 'internet-gateway';
    if (d.nat !== undefined && d.nat !== null && d.nat !== '') result = 'nat';
  }
  return result;
}

interface EgressRule {
  readonly owner: TfInstance;
  readonly protocol: string;
  readonly from: number;
  readonly to: number;
  readonly cidrs: string[];
  /** Raw prefix-list values, resolved in the owner's context. */
  readonly prefixLists: unknown[];
  /** The groups the rule names, resolved where it is read (with the plan's known value, if any). */
  readonly securityGroups: Resolved[];
  /** Attributes computed at apply whose expression the plan does not hold (a dynamic block's). */
  readonly unresolved?: string[];
}

function num(value: unknown, fallback: number): number {
  const n = Number(value);
  return value === undefined || value === null || Number.isNaN(n) ? fallback : n;
}

/** Rules of a direction for these security groups, from every way Terraform can write them. */
function rulesOf(graph: TerraformGraph, groups: TfInstance[], direction: 'egress' | 'ingress'): EgressRule[] {
  const rules: EgressRule[] = [];
  const type = direction === 'egress' ? 'aws_vpc_security_group_egress_rule' : 'aws_vpc_security_group_ingress_rule';
  for (const r of graph.instancesOf(type)) {
    if (!groups.some((g) => graph.refersTo(r, 'security_group_id', g))) continue;
    rules.push({
      owner: r,
      protocol: String(graph.value(r, 'ip_protocol') ?? '-1'),
      from: num(graph.value(r, 'from_port'), 0),
      to: num(graph.value(r, 'to_port'), 65535),
      cidrs: [graph.value(r, 'cidr_ipv4'), graph.value(r, 'cidr_ipv6')].filter((c): c is string => typeof c === 'string'),
      prefixLists: [graph.raw(r, 'prefix_list_id')].filter((v) => v !== undefined),
      securityGroups: graph.raw(r, 'referenced_security_group_id') === undefined ? [] : [graph.resolve(r, 'referenced_security_group_id')],
    });
  }
  for (const r of graph.instancesOf('aws_security_group_rule')) {
    if (graph.value(r, 'type') !== direction || !groups.some((g) => graph.refersTo(r, 'security_group_id', g))) continue;
    rules.push({
      owner: r,
      protocol: String(graph.value(r, 'protocol') ?? '-1'),
      from: num(graph.value(r, 'from_port'), 0),
      to: num(graph.value(r, 'to_port'), 65535),
      cidrs: [...strings(graph.value(r, 'cidr_blocks')), ...strings(graph.value(r, 'ipv6_cidr_blocks'))],
      prefixLists: [graph.raw(r, 'prefix_list_ids')].filter((v) => v !== undefined),
      securityGroups: graph.raw(r, 'source_security_group_id') === undefined ? [] : [graph.resolve(r, 'source_security_group_id')],
    });
  }
  for (const g of groups) {
    for (const b of inlineBlocks(graph, g, direction)) {
      rules.push({
        owner: g,
        protocol: String(b.protocol ?? '-1'),
        from: num(b.from_port, 0),
        to: num(b.to_port, 65535),
        cidrs: [...strings(b.cidr_blocks), ...strings(b.ipv6_cidr_blocks)],
        prefixLists: b.prefix_list_ids === undefined ? [] : [b.prefix_list_ids],
        securityGroups: b.security_groups === undefined ? [] : [graph.resolveValue(g, b.security_groups)],
        unresolved: (b[UNRESOLVED_KEYS] as string[] | undefined)?.map((k) => `${g.address}.${direction}.${k} (computed at apply; its expression is not in the plan)`),
      });
    }
  }
  return rules;
}

/**
 * A group's inline rules: the planned blocks (a `dynamic "egress"` is expanded there, and the
 * plan's configuration omits it), each value as planned or, where computed at apply (a prefix
 * list id), as configured (the block in the configuration, or the dynamic block's content).
 */
/** Where {@link inlineBlocks} lists the planned block's unknown attributes it found no expression for. */
const UNRESOLVED_KEYS = '__unresolved';

function inlineBlocks(graph: TerraformGraph, group: TfInstance, direction: 'egress' | 'ingress' | 'route'): Array<Record<string, unknown>> {
  const rawValue = graph.raw(group, direction);
  const configured = (Array.isArray(rawValue) ? rawValue : rawValue ? [rawValue] : []) as Array<Record<string, unknown>>;
  const plannedValue = group.values[direction];
  const planned = Array.isArray(plannedValue) ? (plannedValue as Array<Record<string, unknown>>) : [];
  if (planned.length === 0 && graph.isUnknown(group, direction)) return configured;
  if (planned.length === 0) return configured.filter((c) => typeof c === 'object' && c !== null);
  const unknownBlocks = (group.unknown as Record<string, unknown> | undefined)?.[direction];
  return planned.map((p, i) => {
    // An attribute-as-blocks list written as one expression arrives as its references only.
    const entry: unknown = configured[i] ?? configured[0];
    const c = entry && typeof entry === 'object' ? (entry as Record<string, unknown>) : {};
    const merged: Record<string, unknown> = { ...c };
    for (const [k, v] of Object.entries(p)) if (v !== null && v !== undefined) merged[k] = v;
    const u = Array.isArray(unknownBlocks) ? (unknownBlocks[i] as Record<string, unknown> | undefined) : undefined;
    const missing: string[] = [];
    for (const [k, flag] of Object.entries(u ?? {})) {
      if (!JSON.stringify(flag).includes('true')) continue;
      merged[k] = typeof entry === 'string' ? entry : c[k];
      if (merged[k] === undefined) missing.push(k);
    }
    if (missing.length > 0) merged[UNRESOLVED_KEYS] = missing;
    return merged;
  });
}

function egressRules(graph: TerraformGraph, groups: TfInstance[]): EgressRule[] {
  return rulesOf(graph, groups, 'egress');
}

function allowsTcpPort(rule: EgressRule, port: number): boolean {
  if (['-1', 'all'].includes(rule.protocol.toLowerCase())) return true;
  if (!['tcp', '6'].includes(rule.protocol.toLowerCase())) return false;
  return rule.from <= port && port <= rule.to;
}

function httpsEgress(graph: TerraformGraph, rules: EgressRule[], endpoints: TfInstance[], unverified: string[]): FunctionReachability['https'] {
  let result: FunctionReachability['https'] = 'none';
  const unresolved: string[] = [];
  for (const rule of rules) {
    if (!allowsTcpPort(rule, HTTPS_PORT)) continue;
    unresolved.push(...(rule.unresolved ?? []).map((u) => `prefix list of ${u}`));
    for (const pl of rule.prefixLists) {
      const resolved = graph.resolveValue(rule.owner, pl);
      if (resolved.instances.some((i) => endpoints.includes(i) || isDynamoPrefixList(graph, i, endpoints)) || resolved.literals.some((id) => id.startsWith('pl-'))) return 'prefix-list';
      unresolved.push(...resolved.unresolved.map((u) => `prefix list of ${rule.owner.address}: ${u}`));
    }
    if (rule.cidrs.some((c) => ANYWHERE.includes(c))) result = 'anywhere';
  }
  if (result === 'none' && unresolved.length > 0) {
    unverified.push(...unresolved);
    return 'unknown';
  }
  return result;
}

/** A `data "aws_prefix_list"` for DynamoDB: a `pl-` id or a DynamoDB name as planned, or its `prefix_list_id` is a DynamoDB endpoint's. */
function isDynamoPrefixList(graph: TerraformGraph, data: TfInstance, endpoints: TfInstance[]): boolean {
  if (data.resource.mode !== 'data' || data.resource.type !== 'aws_prefix_list') return false;
  const id = graph.value(data, 'id');
  const name = graph.value(data, 'name') ?? graph.raw(data, 'name');
  if (typeof name === 'string' && /dynamodb/.test(name)) return true;
  if (typeof id === 'string' && id.startsWith('pl-')) return true;
  return graph.resolve(data, 'prefix_list_id').instances.some((i) => endpoints.includes(i));
}

/**
 * The tables a function uses: every table its environment refers to (per variable, or the
 * whole map as one expression), a table whose planned name is an environment value, a table
 * its role's policies name in `Resource` (not `*`), and the user's `--link function=table`.
 */
function tablesOf(graph: TerraformGraph, fn: TfInstance, role: PolicyDocument[], links: readonly TableLink[]): Array<{ table: TableTarget; env?: string }> {
  const out: Array<{ table: TableTarget; env?: string }> = [];
  const seen = new Set<string>();
  const planned = plannedEnvironment(graph, fn).variables ?? {};
  const keyFor = (t: TfInstance) => Object.entries(planned).find(([, v]) => v === graph.value(t, 'name'))?.[0];
  const addInstance = (t: TfInstance, env?: string) => {
    if (seen.has(t.address)) return;
    seen.add(t.address);
    const name = graph.value(t, 'name');
    out.push({ table: { label: t.address, instance: t, name: typeof name === 'string' ? name : undefined }, env: env ?? keyFor(t) });
  };
  const variables = graph.raw(fn, 'environment.variables');
  const isTable = (i: TfInstance) => i.resource.type === 'aws_dynamodb_table' && i.resource.mode !== 'data';
  if (variables && typeof variables === 'object' && !Array.isArray(variables)) {
    const known = graph.value(fn, 'environment.variables');
    for (const [key, value] of Object.entries(variables as Record<string, unknown>)) {
      const refs = graph.resolveValue(fn, value).instances.filter(isTable);
      for (const t of refs) addInstance(t, key);
      if (refs.length === 0 && key in TABLE_ENV_NEEDS) {
        const literal = (known as Record<string, unknown> | undefined)?.[key] ?? value;
        if (typeof literal === 'string' && !literal.includes('${') && !seen.has(literal)) {
          seen.add(literal);
          out.push({ table: { label: `table ${literal}`, name: literal }, env: key });
        }
      }
    }
  } else if (variables !== undefined) {
    for (const t of graph.resolveValue(fn, variables).instances.filter(isTable)) addInstance(t);
  }
  for (const entry of tablesFromPlannedEnvironment(graph, fn)) {
    if (entry.table.instance) addInstance(entry.table.instance, entry.env);
    else if (!seen.has(entry.table.name ?? entry.table.label)) {
      seen.add(entry.table.name ?? entry.table.label);
      out.push(entry);
    }
  }
  const tables = graph.instancesOf('aws_dynamodb_table');
  for (const t of tables) {
    const target: TableTarget = { label: t.address, instance: t, name: typeof graph.value(t, 'name') === 'string' ? (graph.value(t, 'name') as string) : undefined };
    const named = role.some((doc) =>
      doc.statements.some((st) => st.effect === 'Allow' && !st.notActions && st.actions.some((a) => /^dynamodb:/i.test(a)) && st.resources.some((r) => r !== '*' && coversTable(graph, doc.owner, r, target))),
    );
    if (named) addInstance(t);
  }
  const fnName = graph.value(fn, 'function_name');
  for (const link of links) {
    if (link.function !== fnName && link.function !== fn.address && link.function !== fn.resource.address) continue;
    const t = tables.find((x) => graph.value(x, 'name') === link.table || x.address === link.table || x.resource.address === link.table);
    if (t) addInstance(t);
    else if (!seen.has(link.table)) {
      seen.add(link.table);
      out.push({ table: { label: `table ${link.table}`, name: link.table } });
    }
  }
  return out;
}

/**
 * The environment a function is planned with, when the configuration writes it as one
 * expression (a `for_each` function of a module: `merge(...)` or a `for`), so no entry can be
 * followed to a table. The plan's `after` value has the names (`PRODUCTS_TABLE = "seed-products"`)
 * unless one value is computed at apply (a created database's host): the provider then plans
 * the whole map as unknown, and a `terraform_data` of the same module whose `input` records
 * the function's table environment by function name (the published module writes one,
 * `terraform_data.function_table_names`) stands in for it.
 */
function plannedEnvironment(graph: TerraformGraph, fn: TfInstance): { variables?: Record<string, unknown>; databaseAccess: boolean } {
  const known = graph.value(fn, 'environment.variables');
  if (known && typeof known === 'object' && !Array.isArray(known)) {
    return { variables: known as Record<string, unknown>, databaseAccess: DATABASE_ENV_KEYS.some((k) => k in (known as object)) };
  }
  const name = graph.value(fn, 'function_name');
  for (const record of graph.instancesOf('terraform_data')) {
    if (record.resource.module !== fn.resource.module) continue;
    const input = graph.value(record, 'input') as Record<string, unknown> | undefined;
    if (!input || typeof input !== 'object' || input.function_name !== name || !input.table_environment || typeof input.table_environment !== 'object') continue;
    return { variables: input.table_environment as Record<string, unknown>, databaseAccess: input.database_access === true };
  }
  return { databaseAccess: false };
}

/** Tables named by planned environment values: a table of the same module with that planned name, or a table outside the configuration (`<KEY>_TABLE`). */
function tablesFromPlannedEnvironment(graph: TerraformGraph, fn: TfInstance): Array<{ table: TableTarget; env?: string }> {
  const out: Array<{ table: TableTarget; env?: string }> = [];
  const seen = new Set<string>();
  const tables = graph.instancesOf('aws_dynamodb_table');
  for (const [key, value] of Object.entries(plannedEnvironment(graph, fn).variables ?? {})) {
    if (typeof value !== 'string' || value.includes('${')) continue;
    const match = tables.find((t) => graph.value(t, 'name') === value);
    if (match) {
      if (seen.has(match.address)) continue;
      seen.add(match.address);
      out.push({ table: { label: match.address, instance: match, name: value }, env: key });
    } else if ((key in TABLE_ENV_NEEDS || key.endsWith('_TABLE')) && !seen.has(value)) {
      seen.add(value);
      out.push({ table: { label: `table ${value}`, name: value }, env: key });
    }
  }
  return out;
}

/** The role's policies: inline `aws_iam_role_policy`, the role's `inline_policy`, attached `aws_iam_policy`. */
export function rolePolicies(graph: TerraformGraph, fn: TfInstance): { documents: PolicyDocument[]; unknown: boolean } {
  const roles = graph.resolve(fn, 'role').instances.filter((r) => r.resource.type === 'aws_iam_role');
  const documents: PolicyDocument[] = [];
  let unknown = false;
  const add = (doc: ReturnType<typeof parsePolicy>) => {
    if (doc === 'unknown') unknown = true;
    else if (doc !== 'absent') documents.push(doc);
  };
  for (const role of roles) {
    for (const p of graph.instancesOf('aws_iam_role_policy')) if (graph.refersTo(p, 'role', role)) add(parsePolicy(graph, p));
    if (graph.raw(role, 'inline_policy') !== undefined) add(parsePolicy(graph, role, 'inline_policy.policy'));
    for (const a of graph.instancesOf('aws_iam_role_policy_attachment')) {
      if (!graph.refersTo(a, 'role', role)) continue;
      for (const policy of graph.resolve(a, 'policy_arn').instances) if (policy.resource.type === 'aws_iam_policy') add(parsePolicy(graph, policy));
      const managed = graph.resolve(a, 'policy_arn').literals.find((arn) => /:policy\/AmazonDynamoDBFullAccess$/.test(arn));
      if (managed) documents.push({ owner: a, statements: [{ effect: 'Allow', actions: ['dynamodb:*'], resources: ['*'], hasCondition: false }] });
    }
  }
  return { documents, unknown };
}

function tableAccess(graph: TerraformGraph, fn: TfInstance, endpoints: TfInstance[], links: readonly TableLink[]): TableAccess[] {
  const role = rolePolicies(graph, fn);
  const endpointDocs: PolicyDocument[] = [];
  let endpointUnknown = false;
  for (const e of endpoints) {
    const doc = parsePolicy(graph, e);
    if (doc === 'absent') endpointDocs.push({ owner: e, statements: [{ effect: 'Allow', actions: ['*'], resources: ['*'], principal: '*', hasCondition: false }] });
    else if (doc === 'unknown') endpointUnknown = true;
    else endpointDocs.push(doc);
  }
  return tablesOf(graph, fn, role.documents, links).map(({ table, env }) => {
    const granted = dynamoActionsOn(graph, role.documents, table).filter((a) => !a.includes('*'));
    const actions = env && TABLE_ENV_NEEDS[env] ? [...TABLE_ENV_NEEDS[env]] : granted;
    const roleMissing = role.unknown ? [] : actions.length === 0 ? ['any DynamoDB action'] : actions.filter((a) => !decide(graph, role.documents, a, table).allowed);
    const endpointDenied = endpoints.length === 0 || endpointUnknown ? [] : actions.filter((a) => !decide(graph, endpointDocs, a, table, true).allowed);
    return { table: table.label, actions, roleMissing, endpointDenied, roleUnknown: role.unknown, endpointUnknown };
  });
}

function databasePath(graph: TerraformGraph, fn: TfInstance, fnGroups: TfInstance[], egress: EgressRule[]): DatabasePath | undefined {
  const variables = graph.raw(fn, 'environment.variables');
  const oneExpression = !variables || typeof variables !== 'object';
  const entries = oneExpression ? [] : Object.entries(variables as Record<string, unknown>);
  const dbs = entries.flatMap(([, v]) => graph.resolveValue(fn, v).instances).filter((i) => i.resource.type === 'aws_db_instance');
  // An environment written as one expression: what the plan knows of it (see plannedEnvironment).
  const usesDatabase = dbs.length > 0 || entries.some(([k]) => DATABASE_ENV_KEYS.includes(k)) || (oneExpression && plannedEnvironment(graph, fn).databaseAccess);
  if (!usesDatabase) return undefined;
  const port = dbs.length > 0 ? num(graph.value(dbs[0], 'port'), POSTGRES_PORT) : POSTGRES_PORT;
  const dbGroups = [...new Set(dbs.flatMap((d) => graph.resolve(d, 'vpc_security_group_ids').instances))];
  const toDb = egress.filter((r) => allowsTcpPort(r, port));
  const egressOk = toDb.some(
    (r) => r.cidrs.length > 0 || r.securityGroups.some((sg) => (dbGroups.length === 0 ? sg.instances.length + sg.literals.length > 0 : sg.instances.some((i) => dbGroups.includes(i)))),
  );
  // An existing database's group is not in the configuration: the function's 5432 egress names it.
  const targets = dbGroups.length > 0 ? dbGroups : [...new Set(toDb.flatMap((r) => r.securityGroups.flatMap((sg) => sg.instances)))];
  const ingress = rulesOf(graph, targets, 'ingress').filter((r) => allowsTcpPort(r, port));
  let ingressOk = ingress.some((r) => r.cidrs.length > 0 || r.securityGroups.some((sg) => sg.instances.some((i) => fnGroups.includes(i))));
  // A group outside the configuration (`sg-...`) cannot be read: its rules are someone else's.
  if (targets.length === 0 && toDb.some((r) => r.securityGroups.some((sg) => sg.literals.length > 0))) {
    ingressOk = graph.instancesOf('aws_vpc_security_group_ingress_rule').some((r) => graph.resolve(r, 'referenced_security_group_id').instances.some((i) => fnGroups.includes(i)));
  }
  return { securityGroups: targets.map(label), port, egress: egressOk, ingress: ingressOk };
}
