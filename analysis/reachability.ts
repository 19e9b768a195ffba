/**
 * Per function, the facts that decide whether it reaches DynamoDB privately: its subnets and
 * their route tables, the endpoint's attachment, the internet path, the security group's
 * 443 egress, the role and endpoint policies, and the database's 5432 both ways.
 * Facts only; troubleshooting.ts turns them into findings.
 */
import { DATABASE_ENV_KEYS, HTTPS_PORT, POSTGRES_PORT, TABLE_ENV_NEEDS } from './function-needs';
import { managedPolicy } from './facts/managed-policies';
import { dynamoCidrs, subnetAclVerdict, SubnetAclVerdict } from './network-acls';
import { isObject, listOf, Unknown, Value } from './evaluate/values';
import { coversTable, decide, documentFrom, dynamoActionsOn, indexNamed, isUnknownPolicy, parsePolicy, PolicyDocument, RequestContext, TableTarget } from './policy';
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
  /** What the subnet's network ACL does to DynamoDB traffic (absent: the VPC's default ACL, which allows all, or none in the input). */
  readonly networkAcl?: SubnetAclVerdict;
}

/** One table the function uses, and what the role and endpoint let through. */
export interface TableAccess {
  readonly table: string;
  readonly actions: string[];
  readonly roleMissing: string[];
  readonly endpointDenied: string[];
  /** Actions an explicit Deny in the table's resource policy (`aws_dynamodb_resource_policy`) refuses to the function's role. */
  readonly resourcePolicyDenied?: string[];
  /** Whether the role allows an action could not be decided before apply (the reasons are in the function's `unverified`). */
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
  const endpointRouteTables = [...new Set(endpoints.flatMap((e) => attachedRouteTables(graph, e).map((t) => (typeof t === 'string' ? t : t.address))))];
  return { endpoints: endpoints.map((e) => e.address), endpointRouteTables, functions };
}

/** A value as text for a pattern test: known parts kept, unknown parts as `?`. */
function text(v: Value | undefined): string {
  if (typeof v === 'string') return v;
  if (v instanceof Unknown && v.parts) return v.parts.map((p) => (typeof p === 'string' ? p : '?')).join('');
  return '';
}

/**
 * The gateway endpoints of one service: `service_name` ends `.<service>` (known parts; a name
 * wholly unknown before apply matches nothing, so it never counts as a path) and the type is
 * Gateway (AWS's default when unset). An S3 endpoint is never a DynamoDB one, and an interface
 * endpoint for DynamoDB is not the gateway's prefix-list route.
 */
function gatewayEndpoints(graph: TerraformGraph, service: 'dynamodb' | 's3'): TfInstance[] {
  const suffix = new RegExp(`(^|\\.)${service}$`);
  return graph.instancesOf('aws_vpc_endpoint').filter((e) => {
    const name = text(graph.evaluated(e, 'service_name'));
    const type = graph.value(e, 'vpc_endpoint_type');
    return suffix.test(name) && (type === undefined || type === null || type === 'Gateway');
  });
}

/** The DynamoDB gateway endpoints of the configuration. */
export function dynamoGatewayEndpoints(graph: TerraformGraph): TfInstance[] {
  return gatewayEndpoints(graph, 'dynamodb');
}

/** The S3 gateway endpoints of the configuration (free, like DynamoDB's; never a DynamoDB path). */
export function s3GatewayEndpoints(graph: TerraformGraph): TfInstance[] {
  return gatewayEndpoints(graph, 's3');
}

/** Route tables an endpoint is attached to (its `route_table_ids` and its route table associations): instances, and ids outside. */
function attachedRouteTables(graph: TerraformGraph, endpoint: TfInstance): Array<TfInstance | string> {
  const own = graph.resolveValue(endpoint, graph.argument(endpoint, 'route_table_ids'));
  const out: Array<TfInstance | string> = [...own.instances, ...own.literals.filter((id) => id.startsWith('rtb-'))];
  for (const a of graph.instancesOf('aws_vpc_endpoint_route_table_association')) {
    if (!graph.refersTo(a, 'vpc_endpoint_id', endpoint)) continue;
    const r = graph.resolve(a, 'route_table_id');
    out.push(...r.instances, ...r.literals.filter((id) => id.startsWith('rtb-')));
  }
  return out;
}

/** Why the route tables of an endpoint are not all known. */
function attachmentUnknowns(graph: TerraformGraph, endpoint: TfInstance): string[] {
  const out = graph.resolveValue(endpoint, graph.argument(endpoint, 'route_table_ids')).unresolved.map((u) => `route tables of ${endpoint.address}: ${u}`);
  for (const a of graph.instancesOf('aws_vpc_endpoint_route_table_association')) {
    const e = graph.resolve(a, 'vpc_endpoint_id');
    const r = graph.resolve(a, 'route_table_id');
    if (e.instances.includes(endpoint) || e.unresolved.length > 0) out.push(...r.unresolved.map((u) => `route tables of ${endpoint.address}: ${a.address}: ${u}`));
    if (e.unresolved.length > 0) out.push(...e.unresolved.map((u) => `route tables of ${endpoint.address}: ${a.address}.vpc_endpoint_id: ${u}`));
  }
  return out;
}

function label(i: TfInstance): string {
  return i.address;
}

const isTableInstance = (i: TfInstance) => i.resource.type === 'aws_dynamodb_table';

/** Instances of one type (managed, or data sources too) among what an attribute resolves to. */
function ofType(resolved: Resolved, type: string, data = false): Resolved {
  return { instances: resolved.instances.filter((i) => i.resource.type === type && (data || i.resource.mode !== 'data')), literals: resolved.literals, unresolved: resolved.unresolved };
}

function analyzeFunction(graph: TerraformGraph, fn: TfInstance, endpoints: TfInstance[], links: readonly TableLink[]): FunctionReachability {
  const name = String(graph.value(fn, 'function_name') ?? fn.address);
  const vpcConfig = graph.argument(fn, 'vpc_config');
  const inVpc = vpcConfig !== undefined && vpcConfig !== null && !(Array.isArray(vpcConfig) && vpcConfig.length === 0);
  const subnetsResolved = graph.resolve(fn, 'vpc_config.subnet_ids');
  const subnets = { ...subnetsResolved, instances: subnetsResolved.instances.filter((i) => i.resource.type === 'aws_subnet') };
  const sgs = ofType(graph.resolve(fn, 'vpc_config.security_group_ids'), 'aws_security_group', true);
  const endpoint = endpoints[0];
  const unverified: string[] = [];
  const missing = (what: string, r: Resolved) => {
    if (r.unresolved.length > 0) unverified.push(`${what}: ${r.unresolved.join(', ')}`);
    else if (r.instances.length === 0 && r.literals.length === 0) unverified.push(`${what}: none found`);
  };
  if (inVpc) {
    missing('subnets', subnets);
    missing('security groups', sgs);
  }

  const cidrs = dynamoCidrs(graph, endpoint);
  const withAcl = (subnet: TfInstance | string, path: SubnetPath): SubnetPath => {
    const acl = endpoint ? subnetAclVerdict(graph, subnet, cidrs) : undefined;
    return acl ? { ...path, networkAcl: acl } : path;
  };
  const subnetPaths: SubnetPath[] = [
    ...subnets.instances.map((s) => withAcl(s, subnetPath(graph, s, endpoints, unverified))),
    ...subnets.literals.map((id) => withAcl(id, externalSubnetPath(graph, id, endpoints, unverified))),
  ];

  const egress = rulesOf(graph, sgs.instances, 'egress');
  const groupsResolved = sgs.unresolved.length === 0 && sgs.literals.length === 0;
  if (sgs.literals.length > 0) unverified.push(`security groups ${sgs.literals.join(', ')}: outside this configuration, their rules cannot be read`);
  const https = groupsResolved ? httpsEgress(graph, egress, endpoints, unverified) : 'unknown';
  const internetAskedFor = egress.some((r) => r.cidrs.some((c) => ANYWHERE.includes(c)));

  const ctx: RequestContext = { vpc: functionVpc(graph, subnets.instances, subnets.literals), endpoint: endpoint ? graph.evaluated(endpoint, 'id') : undefined, account: accountOf(graph) };
  const tables = tableAccess(graph, fn, endpoints, links, ctx, unverified);
  if (inVpc && tables.length === 0) unverified.push(`tables: no environment value or role policy names a DynamoDB table (pass --link ${name}=<table>)`);
  if (tables.length > 0) for (const e of endpoints) unverified.push(...attachmentUnknowns(graph, e));
  if (tables.length > 0) for (const p of subnetPaths) unverified.push(...(p.networkAcl?.unknown ?? []));
  const database = databasePath(graph, fn, sgs.instances, egress);

  const reasons: string[] = [];
  if (tables.length > 0) {
    if (!endpoint) reasons.push('no DynamoDB gateway endpoint in the configuration');
    else {
      const endpointTablesKnown = !unverified.some((u) => u.startsWith('route tables of '));
      for (const p of subnetPaths) if (p.endpointRoute === 'no' && endpointTablesKnown) reasons.push(`route table ${p.routeTable} of ${p.subnet} has no route to the endpoint`);
      if (https === 'none') reasons.push('security group allows no 443 egress to the DynamoDB prefix list');
      for (const p of subnetPaths) if (p.networkAcl?.verdict === 'blocks') reasons.push(`network ACL ${p.networkAcl.acl} of ${p.subnet} blocks ${p.networkAcl.detail}`);
      for (const t of tables) if (t.endpointDenied.length > 0) reasons.push(`endpoint policy does not allow ${t.endpointDenied.join(', ')} on ${t.table}`);
    }
    for (const t of tables) if (t.resourcePolicyDenied) reasons.push(`the resource policy of ${t.table} denies ${t.resourcePolicyDenied.join(', ')}`);
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

/** The VPC a function runs in: its subnets' `vpc_id` (one value when they agree). */
function functionVpc(graph: TerraformGraph, subnets: TfInstance[], external: string[]): Value | undefined {
  const values: Value[] = subnets.map((s) => graph.evaluated(s, 'vpc_id') ?? Unknown.because(`${s.address}.vpc_id is not set`));
  for (const id of external) {
    const data = [...graph.dataOf('aws_subnet'), ...graph.dataOf('aws_subnets')].find((d) => graph.value(d, 'id') === id);
    const vpc = data ? graph.evaluated(data, 'vpc_id') : undefined;
    values.push(vpc ?? Unknown.because(`the VPC of ${id} is not in this input`));
  }
  const keyOf = (v: Value) => (typeof v === 'string' ? `s:${v}` : v instanceof Unknown && v.exact && v.origins.length === 1 ? `o:${v.origins[0].address}.${v.origins[0].attribute}` : undefined);
  const distinct = values.filter((v, i) => keyOf(v) === undefined || values.findIndex((w) => keyOf(w) === keyOf(v)) === i);
  return distinct.length === 1 ? distinct[0] : distinct.length === 0 ? undefined : Unknown.because('the function\'s subnets are in different VPCs');
}

function sameOrigin(a: Value, b: Value): boolean {
  return a instanceof Unknown && b instanceof Unknown && a.exact && b.exact && a.origins.length === 1 && b.origins.length === 1 && a.origins[0].address === b.origins[0].address && a.origins[0].attribute === b.origins[0].attribute;
}

/** The account requests come from: `data.aws_caller_identity`'s when the plan read it. */
function accountOf(graph: TerraformGraph): Value {
  for (const d of graph.dataOf('aws_caller_identity')) {
    const v = graph.value(d, 'account_id');
    if (typeof v === 'string') return v;
  }
  return Unknown.because('the account id is not in this input');
}

/**
 * A subnet's effective route table: its explicit association, else its VPC's main route
 * table (an `aws_main_route_table_association`, an `aws_default_route_table`, or the VPC's own
 * `default_route_table_id`).
 */
function subnetPath(graph: TerraformGraph, subnet: TfInstance, endpoints: TfInstance[], unverified: string[]): SubnetPath {
  const associations = graph.instancesOf('aws_route_table_association').filter((a) => graph.refersTo(a, 'subnet_id', subnet));
  const unknownAssociations = graph.instancesOf('aws_route_table_association').filter((a) => !associations.includes(a) && graph.resolve(a, 'subnet_id').unresolved.length > 0);
  for (const a of unknownAssociations) unverified.push(`route table of ${subnet.address}: ${a.address}.subnet_id: ${graph.resolve(a, 'subnet_id').unresolved.join(', ')}`);
  if (associations.length > 0) {
    const resolved = graph.resolve(associations[0], 'route_table_id');
    const table = resolved.instances.find((i) => i.resource.type === 'aws_route_table' || i.resource.type === 'aws_default_route_table');
    if (table) return tablePath(graph, subnet.address, table, endpoints);
    const external = resolved.literals.find((id) => id.startsWith('rtb-'));
    if (external) return externalTablePath(graph, subnet.address, external, endpoints, unverified);
    unverified.push(`route table of ${subnet.address}: ${resolved.unresolved.join(', ') || `${associations[0].address}.route_table_id names no route table`}`);
    return { subnet: subnet.address, routeTable: 'unknown', endpointRoute: 'external', internet: 'none' };
  }
  // The VPC's main route table.
  const vpc = graph.resolve(subnet, 'vpc_id');
  const vpcInstance = vpc.instances.find((i) => i.resource.type === 'aws_vpc');
  if (vpcInstance) {
    const main = graph.instancesOf('aws_main_route_table_association').find((m) => graph.refersTo(m, 'vpc_id', vpcInstance));
    const mainTable = main ? graph.resolve(main, 'route_table_id').instances.find((i) => i.resource.type === 'aws_route_table') : undefined;
    if (mainTable) return tablePath(graph, subnet.address, mainTable, endpoints);
    const managedDefault = graph.instancesOf('aws_default_route_table').find((d) => graph.refersTo(d, 'default_route_table_id', vpcInstance));
    if (managedDefault) return tablePath(graph, subnet.address, managedDefault, endpoints);
    // The VPC's own main table, which nothing here manages: attached when an endpoint names its
    // `main_route_table_id` (or `default_route_table_id`, the same table until someone moves the main association).
    const mainIds = ['main_route_table_id', 'default_route_table_id'].map((a) => graph.evaluated(vpcInstance, a) ?? null);
    const names = (v: Value | undefined) => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
    const attached = endpoints.some((e) => {
      const direct = names(graph.argument(e, 'route_table_ids'));
      const associated = graph.instancesOf('aws_vpc_endpoint_route_table_association').filter((a) => graph.refersTo(a, 'vpc_endpoint_id', e)).map((a) => graph.evaluated(a, 'route_table_id') ?? null);
      return [...direct, ...associated].some((v) => mainIds.some((m) => sameOrigin(v, m) || (typeof v === 'string' && v === m)));
    });
    return { subnet: subnet.address, routeTable: 'main', endpointRoute: attached ? 'yes' : 'no', internet: 'none' };
  }
  if (vpc.literals.length > 0) return externalMainPath(graph, subnet.address, vpc.literals[0], endpoints, unverified);
  unverified.push(`route table of ${subnet.address}: no association, and its VPC is not known (${vpc.unresolved.join(', ') || 'vpc_id'})`);
  return { subnet: subnet.address, routeTable: 'unknown', endpointRoute: 'external', internet: 'none' };
}

/** A route table of this configuration (or a data source of one). */
function tablePath(graph: TerraformGraph, subnet: string, table: TfInstance, endpoints: TfInstance[]): SubnetPath {
  const attached = endpoints.some((e) => attachedRouteTables(graph, e).some((t) => t === table || (typeof t === 'string' && t === graph.value(table, 'id'))));
  return { subnet, routeTable: table.address, endpointRoute: attached ? 'yes' : 'no', internet: internetRoute(graph, table) };
}

/** A subnet outside this configuration: its route table from a `data "aws_route_table"` that names it, if any. */
function externalSubnetPath(graph: TerraformGraph, subnetId: string, endpoints: TfInstance[], unverified: string[]): SubnetPath {
  const data = graph.dataOf('aws_route_table').find((d) => graph.value(d, 'subnet_id') === subnetId || strings(graph.value(d, 'associations')).includes(subnetId));
  if (data) return tablePath(graph, subnetId, data, endpoints);
  unverified.push(`route table of ${subnetId}: the subnet is outside this configuration (read it with data "aws_route_table" { subnet_id = ... })`);
  return { subnet: subnetId, routeTable: 'external', endpointRoute: 'external', internet: 'none' };
}

/** A route table id outside this configuration. */
function externalTablePath(graph: TerraformGraph, subnet: string, tableId: string, endpoints: TfInstance[], unverified: string[]): SubnetPath {
  const data = graph.dataOf('aws_route_table').find((d) => graph.value(d, 'id') === tableId || graph.value(d, 'route_table_id') === tableId);
  if (data) return tablePath(graph, subnet, data, endpoints);
  const attached = endpoints.some((e) => attachedRouteTables(graph, e).includes(tableId));
  if (!attached) unverified.push(`routes of ${tableId}: the route table is outside this configuration`);
  return { subnet, routeTable: tableId, endpointRoute: attached ? 'yes' : 'no', internet: 'none' };
}

/** A subnet of an existing VPC without an association here: its main table, when a data source read it. */
function externalMainPath(graph: TerraformGraph, subnet: string, vpcId: string, endpoints: TfInstance[], unverified: string[]): SubnetPath {
  const data = graph.dataOf('aws_route_table').find((d) => graph.value(d, 'vpc_id') === vpcId && strings(graph.value(d, 'associations.main')).includes('true'));
  if (data) return tablePath(graph, subnet, data, endpoints);
  unverified.push(`route table of ${subnet}: no association here, and the main route table of ${vpcId} is not in this input`);
  return { subnet, routeTable: 'external', endpointRoute: 'external', internet: 'none' };
}

function internetRoute(graph: TerraformGraph, table: TfInstance): SubnetPath['internet'] {
  const defaults: Array<{ owner: TfInstance; gateway: Value | undefined; nat: Value | undefined }> = [];
  for (const r of graph.instancesOf('aws_route')) {
    if (!graph.refersTo(r, 'route_table_id', table)) continue;
    const dest = graph.value(r, 'destination_cidr_block') ?? graph.value(r, 'destination_ipv6_cidr_block');
    if (typeof dest === 'string' && ANYWHERE.includes(dest)) defaults.push({ owner: r, gateway: graph.argument(r, 'gateway_id'), nat: graph.argument(r, 'nat_gateway_id') });
  }
  const inline = table.resource.mode === 'data' ? graph.evaluated(table, 'routes') : graph.argument(table, 'route');
  for (const r of Array.isArray(inline) ? inline : []) {
    if (!isObject(r)) continue;
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
  /** Prefix-list values as evaluated. */
  readonly prefixLists: Value[];
  /** The groups the rule names. */
  readonly securityGroups: Resolved[];
  /** Why part of the rule is not known before apply. */
  readonly unresolved?: string[];
}

function num(value: unknown, fallback: number): number {
  const n = Number(value);
  return value === undefined || value === null || Number.isNaN(n) ? fallback : n;
}


/** A rule from its evaluated fields; unknown ports or protocol make the rule unresolved. */
function rule(graph: TerraformGraph, owner: TfInstance, f: { protocol?: Value; from?: Value; to?: Value; cidrs: Value[]; prefixLists: Value[]; groups: Value[] }, where: string): EgressRule {
  const unresolved: string[] = [];
  for (const [name, v] of [['protocol', f.protocol], ['from_port', f.from], ['to_port', f.to]] as const) if (v instanceof Unknown) unresolved.push(`${where}.${name}: ${v.reason}`);
  for (const c of f.cidrs) if (c instanceof Unknown) unresolved.push(`${where} cidr: ${c.reason}`);
  return {
    owner,
    protocol: String(f.protocol instanceof Unknown || f.protocol === undefined || f.protocol === null ? '-1' : f.protocol),
    from: num(f.from instanceof Unknown ? undefined : f.from, 0),
    to: num(f.to instanceof Unknown ? undefined : f.to, 65535),
    cidrs: f.cidrs.filter((c): c is string => typeof c === 'string'),
    prefixLists: f.prefixLists,
    securityGroups: f.groups.length === 0 ? [] : [graph.resolveValue(owner, f.groups)],
    ...(unresolved.length > 0 ? { unresolved } : {}),
  };
}

/** Rules of a direction for these security groups, from every way Terraform can write them. */
function rulesOf(graph: TerraformGraph, groups: TfInstance[], direction: 'egress' | 'ingress'): EgressRule[] {
  const rules: EgressRule[] = [];
  const type = direction === 'egress' ? 'aws_vpc_security_group_egress_rule' : 'aws_vpc_security_group_ingress_rule';
  const e = (r: TfInstance, k: string) => graph.argument(r, k);
  for (const r of graph.instancesOf(type)) {
    if (!groups.some((g) => graph.refersTo(r, 'security_group_id', g))) continue;
    rules.push(
      rule(graph, r, { protocol: e(r, 'ip_protocol'), from: e(r, 'from_port'), to: e(r, 'to_port'), cidrs: [...listOf(e(r, 'cidr_ipv4')), ...listOf(e(r, 'cidr_ipv6'))], prefixLists: listOf(e(r, 'prefix_list_id')), groups: listOf(e(r, 'referenced_security_group_id')) }, r.address),
    );
  }
  for (const r of graph.instancesOf('aws_security_group_rule')) {
    if (graph.value(r, 'type') !== direction || !groups.some((g) => graph.refersTo(r, 'security_group_id', g))) continue;
    const self = e(r, 'self') === true ? [e(r, 'security_group_id') ?? null] : [];
    rules.push(
      rule(graph, r, { protocol: e(r, 'protocol'), from: e(r, 'from_port'), to: e(r, 'to_port'), cidrs: [...listOf(e(r, 'cidr_blocks')), ...listOf(e(r, 'ipv6_cidr_blocks'))], prefixLists: listOf(e(r, 'prefix_list_ids')), groups: [...listOf(e(r, 'source_security_group_id')), ...self] }, r.address),
    );
  }
  for (const g of groups) {
    const blocks = graph.argument(g, direction);
    if (blocks instanceof Unknown) {
      rules.push({ owner: g, protocol: '-1', from: 0, to: 65535, cidrs: [], prefixLists: [], securityGroups: [], unresolved: [`${g.address}.${direction}: ${blocks.reason}`] });
      continue;
    }
    for (const b of listOf(blocks)) {
      if (!isObject(b)) continue;
      rules.push(rule(graph, g, { protocol: b.protocol, from: b.from_port, to: b.to_port, cidrs: [...listOf(b.cidr_blocks), ...listOf(b.ipv6_cidr_blocks)], prefixLists: listOf(b.prefix_list_ids), groups: listOf(b.security_groups) }, `${g.address}.${direction}`));
    }
  }
  return rules;
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
    unresolved.push(...(rule.unresolved ?? []));
    if (rule.unresolved) continue;
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

/** A `data "aws_prefix_list"` for DynamoDB: a DynamoDB name, a `pl-` id as planned, or its `prefix_list_id` is a DynamoDB endpoint's. */
function isDynamoPrefixList(graph: TerraformGraph, data: TfInstance, endpoints: TfInstance[]): boolean {
  if (data.resource.mode !== 'data' || data.resource.type !== 'aws_prefix_list') return false;
  const id = graph.value(data, 'id');
  if (/dynamodb/.test(text(graph.evaluated(data, 'name')))) return true;
  if (typeof id === 'string' && id.startsWith('pl-')) return true;
  return graph.resolve(data, 'prefix_list_id').instances.some((i) => endpoints.includes(i));
}

/** A table target for an instance (a managed table or a data source of one). */
function tableTarget(graph: TerraformGraph, t: TfInstance): TableTarget {
  const name = graph.value(t, 'name');
  const arn = graph.value(t, 'arn');
  return { label: t.address, instance: t, name: typeof name === 'string' ? name : undefined, arn: typeof arn === 'string' ? arn : undefined };
}

/** Environment keys that name a table outside the configuration. */
const TABLE_KEY = /(^|_)TABLE(_NAME)?$/i;

/**
 * The tables a function uses: every table an environment value evaluates to (its name or
 * ARN, whatever the key), a table named by a key that says so (`*_TABLE`, `TABLE_NAME`), a
 * table its role's Allow statements name (not `*`), and the user's `--link function=table`.
 */
function tablesOf(graph: TerraformGraph, fn: TfInstance, role: PolicyDocument[], links: readonly TableLink[], unverified: string[]): Array<{ table: TableTarget; env?: string }> {
  const out: Array<{ table: TableTarget; env?: string }> = [];
  const seen = new Set<string>();
  const addInstance = (t: TfInstance, env?: string) => {
    if (seen.has(t.address)) return;
    seen.add(t.address);
    out.push({ table: tableTarget(graph, t), env });
  };
  const addName = (name: string, env?: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    out.push({ table: { label: `table ${name}`, name }, env });
  };
  const environment = environmentOf(graph, fn);
  if (environment instanceof Unknown) unverified.push(`environment of ${fn.address}: ${environment.reason}`);
  else {
    for (const [key, value] of Object.entries(environment)) {
      const resolved = graph.resolveValue(fn, value);
      const tables = resolved.instances.filter(isTableInstance);
      for (const t of tables) addInstance(t, key);
      if (tables.length > 0) continue;
      if (TABLE_KEY.test(key) || key in TABLE_ENV_NEEDS) {
        if (typeof value === 'string' && value !== '') addName(value, key);
        else if (value instanceof Unknown) unverified.push(`table of ${key}: ${value.reason}`);
      }
    }
  }
  for (const t of [...graph.instancesOf('aws_dynamodb_table'), ...graph.dataOf('aws_dynamodb_table')]) {
    const target = tableTarget(graph, t);
    // Named: the table itself, or one of its indexes (`<arn>/index/<name>`).
    const named = role.some((doc) =>
      doc.statements.some(
        (st) =>
          st.effect === 'Allow' &&
          !st.notActions &&
          st.actions.some((a) => /^dynamodb:/i.test(a)) &&
          st.resources.some((r) => r !== '*' && (coversTable(graph, r, target) === true || indexNamed(graph, r, target) !== undefined)),
      ),
    );
    if (named) addInstance(t);
  }
  const fnName = graph.value(fn, 'function_name');
  for (const link of links) {
    if (link.function !== fnName && link.function !== fn.address && link.function !== fn.resource.address) continue;
    const all = [...graph.instancesOf('aws_dynamodb_table'), ...graph.dataOf('aws_dynamodb_table')];
    const t = all.find((x) => graph.value(x, 'name') === link.table || x.address === link.table || x.resource.address === link.table);
    if (t) addInstance(t);
    else addName(link.table);
  }
  return out;
}

/**
 * A function's environment variables, each evaluated. When they cannot be (a plan without
 * the module's sources), a `terraform_data` of the same module whose `input` records the
 * function's table environment by function name (the published module writes one,
 * `terraform_data.function_table_names`) stands in for it.
 */
function environmentOf(graph: TerraformGraph, fn: TfInstance): Record<string, Value> | Unknown {
  const v = graph.argument(fn, 'environment.variables');
  if (v === undefined || v === null) return {};
  if (isObject(v)) return v;
  const name = graph.value(fn, 'function_name');
  for (const record of graph.instancesOf('terraform_data')) {
    if (record.resource.module !== fn.resource.module) continue;
    const input = graph.value(record, 'input') as Record<string, unknown> | undefined;
    if (!input || typeof input !== 'object' || input.function_name !== name || !input.table_environment || typeof input.table_environment !== 'object') continue;
    return { ...(input.table_environment as Record<string, Value>), ...(input.database_access === true ? { DB_HOST: 'database' } : {}) };
  }
  return v instanceof Unknown ? v : Unknown.because(`environment.variables of ${fn.address} is not a map`);
}

/** The role's policies: inline, `inline_policy`, attached customer and AWS managed policies; and why any could not be read. */
export function rolePolicies(graph: TerraformGraph, fn: TfInstance): { documents: PolicyDocument[]; unknown: string[]; role?: TfInstance } {
  const resolved = graph.resolve(fn, 'role');
  const roles = resolved.instances.filter((r) => r.resource.type === 'aws_iam_role');
  const documents: PolicyDocument[] = [];
  const unknown: string[] = [...resolved.unresolved.map((u) => `role of ${fn.address}: ${u}`)];
  if (roles.length === 0 && resolved.unresolved.length === 0) unknown.push(`role of ${fn.address}: ${resolved.literals.join(', ') || 'none'} is not in this configuration, its policies cannot be read`);
  const add = (doc: ReturnType<typeof parsePolicy>) => {
    if (isUnknownPolicy(doc)) unknown.push(doc.unknown);
    else if (doc !== 'absent') documents.push(doc);
  };
  const attach = (owner: TfInstance, arn: Value) => {
    const r = graph.resolveValue(owner, arn);
    for (const policy of r.instances) {
      if (policy.resource.type === 'aws_iam_policy') add(parsePolicy(graph, policy));
    }
    for (const literal of r.literals) {
      const managed = managedPolicy(literal);
      if (managed) add(documentFrom(owner, managed as unknown as Value, literal));
      else unknown.push(`${owner.address}: the policy ${literal} is not in this configuration, its document cannot be read`);
    }
    unknown.push(...r.unresolved.map((u) => `${owner.address}: ${u}`));
  };
  for (const role of roles) {
    if (role.resource.mode === 'data') {
      unknown.push(`${role.address}: an existing role, its policies are not in this configuration`);
      continue;
    }
    for (const p of graph.instancesOf('aws_iam_role_policy')) if (graph.refersTo(p, 'role', role)) add(parsePolicy(graph, p));
    const unknownLinks = graph.instancesOf('aws_iam_role_policy').filter((p) => !graph.refersTo(p, 'role', role) && graph.resolve(p, 'role').unresolved.length > 0);
    for (const p of unknownLinks) unknown.push(`${p.address}.role: ${graph.resolve(p, 'role').unresolved.join(', ')}`);
    const inline = graph.argument(role, 'inline_policy');
    for (const block of Array.isArray(inline) ? inline : []) if (isObject(block) && block.policy !== undefined && block.policy !== null && block.policy !== '') add(documentFrom(role, block.policy, `${role.address}.inline_policy`));
    for (const arn of listOf(graph.argument(role, 'managed_policy_arns'))) attach(role, arn);
    for (const a of graph.instancesOf('aws_iam_role_policy_attachment')) if (graph.refersTo(a, 'role', role)) attach(a, graph.evaluated(a, 'policy_arn') ?? null);
    for (const a of graph.instancesOf('aws_iam_policy_attachment')) if (graph.refersTo(a, 'roles', role)) attach(a, graph.evaluated(a, 'policy_arn') ?? null);
  }
  return { documents, unknown, role: roles[0] };
}

function tableAccess(graph: TerraformGraph, fn: TfInstance, endpoints: TfInstance[], links: readonly TableLink[], ctx: RequestContext, unverified: string[]): TableAccess[] {
  const role = rolePolicies(graph, fn);
  const endpointDocs: PolicyDocument[] = [];
  const endpointUnknown: string[] = [];
  for (const e of endpoints) {
    const doc = parsePolicy(graph, e);
    // No policy: AWS attaches full access (VLD008 says so).
    if (doc === 'absent') endpointDocs.push({ owner: e, statements: [{ effect: 'Allow', actions: ['*'], resources: ['*'], principal: '*' }] });
    else if (isUnknownPolicy(doc)) endpointUnknown.push(doc.unknown);
    else endpointDocs.push(doc);
  }
  const context = { ...ctx, role: role.role };
  // Per table: the table itself, and each index the role grants by name (`<arn>/index/<name>`),
  // decided on that index's ARN. A table whose only grants name indexes is used through them.
  const targets = tablesOf(graph, fn, role.documents, links, unverified).flatMap(({ table, env }) => {
    const indexes = [
      ...new Set(
        role.documents.flatMap((doc) =>
          doc.statements.filter((st) => st.effect === 'Allow' && !st.notActions).flatMap((st) => st.resources.map((r) => indexNamed(graph, r, table)).filter((n): n is string => n !== undefined)),
        ),
      ),
    ];
    const onIndexes = indexes.map((index) => ({ table: { ...table, index, label: `${table.label}/index/${index}` }, env: undefined as string | undefined }));
    const needs = env !== undefined && TABLE_ENV_NEEDS[env] !== undefined;
    const onTable = needs || indexes.length === 0 || dynamoActionsOn(graph, role.documents, table).length > 0;
    return [...(onTable ? [{ table, env }] : []), ...onIndexes];
  });
  return targets.map(({ table, env }) => {
    const granted = dynamoActionsOn(graph, role.documents, table);
    const actions = env && TABLE_ENV_NEEDS[env] ? [...TABLE_ENV_NEEDS[env]] : granted;
    let roleUnknown = role.unknown.length > 0;
    const roleMissing: string[] = [];
    if (role.unknown.length > 0) unverified.push(...role.unknown.map((u) => `role policy: ${u}`));
    else if (actions.length === 0) roleMissing.push('any DynamoDB action');
    else
      for (const a of actions) {
        const d = decide(graph, role.documents, a, table, context);
        if (d.allowed === false) roleMissing.push(a);
        else if (d.allowed === 'unknown') {
          roleUnknown = true;
          unverified.push(...d.unknown.map((u) => `role allows ${a} on ${table.label}? ${u}`));
        }
      }
    let endpointIsUnknown = endpointUnknown.length > 0;
    const endpointDenied: string[] = [];
    if (endpoints.length > 0) {
      if (endpointUnknown.length > 0) unverified.push(...endpointUnknown.map((u) => `endpoint policy: ${u}`));
      else
        for (const a of actions) {
          const d = decide(graph, endpointDocs, a, table, context, true);
          if (d.allowed === false) endpointDenied.push(a);
          else if (d.allowed === 'unknown') {
            endpointIsUnknown = true;
            unverified.push(...d.unknown.map((u) => `endpoint allows ${a} on ${table.label}? ${u}`));
          }
        }
    }
    const resourcePolicyDenied = resourcePolicyDenials(graph, table, actions, context, unverified);
    return { table: table.label, actions, roleMissing, endpointDenied, ...(resourcePolicyDenied.length > 0 ? { resourcePolicyDenied } : {}), roleUnknown, endpointUnknown: endpointIsUnknown };
  });
}

/**
 * Actions the table's resource policy denies to the function's role. In the table's own
 * account the role's Allow is enough, so only an explicit Deny there matters: its Deny
 * statements are decided against an allow-everything baseline.
 */
function resourcePolicyDenials(graph: TerraformGraph, table: TableTarget, actions: string[], ctx: RequestContext, unverified: string[]): string[] {
  const docs: PolicyDocument[] = [];
  for (const p of graph.instancesOf('aws_dynamodb_resource_policy')) {
    const arn = graph.resolve(p, 'resource_arn');
    const onTable = (table.instance && arn.instances.includes(table.instance)) || (table.arn !== undefined && arn.literals.includes(table.arn)) || (table.name !== undefined && arn.literals.some((l) => l.endsWith(`:table/${table.name}`)));
    if (!onTable) {
      if (arn.unresolved.length > 0) unverified.push(`resource policy ${p.address}: which table: ${arn.unresolved.join(', ')}`);
      continue;
    }
    const doc = parsePolicy(graph, p);
    if (isUnknownPolicy(doc)) unverified.push(`resource policy of ${table.label}: ${doc.unknown}`);
    else if (doc !== 'absent') docs.push({ owner: doc.owner, statements: doc.statements.filter((st) => st.effect === 'Deny') });
  }
  if (docs.length === 0) return [];
  const baseline: PolicyDocument = { owner: docs[0].owner, statements: [{ effect: 'Allow', actions: ['*'], resources: ['*'], principal: '*' }] };
  const denied: string[] = [];
  for (const a of actions) {
    const d = decide(graph, [baseline, ...docs], a, table, ctx, true);
    if (d.allowed === false) denied.push(a);
    else if (d.allowed === 'unknown') unverified.push(...d.unknown.map((u) => `resource policy allows ${a} on ${table.label}? ${u}`));
  }
  return denied;
}

function databasePath(graph: TerraformGraph, fn: TfInstance, fnGroups: TfInstance[], egress: EgressRule[]): DatabasePath | undefined {
  const environment = environmentOf(graph, fn);
  const entries = environment instanceof Unknown ? [] : Object.entries(environment);
  const dbs = entries.flatMap(([, v]) => graph.resolveValue(fn, v).instances).filter((i) => i.resource.type === 'aws_db_instance');
  const usesDatabase = dbs.length > 0 || entries.some(([k]) => DATABASE_ENV_KEYS.includes(k));
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
