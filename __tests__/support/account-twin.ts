/**
 * A plan's account twin: what the AWS APIs would answer once the plan was applied, as the fake
 * account's data (fake-aws-account.ts). Built from the plan's state twin (state-twin.ts: the
 * state `terraform show -json` would print, ids filled in consistently), resource by resource,
 * the way AWS presents what Terraform created: the endpoint's route in every route table it is
 * attached to, a main route table and a default network ACL in every VPC, one Lambda network
 * interface per function subnet and security-group set, AWS managed policies with their
 * documents. `verify` against the twin must say what `check --plan` says of the plan.
 */
import { managedPolicy } from '../../analysis/facts/managed-policies';
import { StateInput } from '../../analysis/terraform-graph';
import { FakeAccount, FakeRule } from './fake-aws-account';

type Values = Record<string, unknown>;
interface StateResource {
  type: string;
  mode: string;
  values: Values;
}
interface StateModule {
  resources?: StateResource[];
  child_modules?: StateModule[];
}

/** DynamoDB's prefix list in us-east-1 as DescribePrefixLists shows it (its CIDRs are AWS's, not the plan's). */
const DYNAMODB_CIDRS = ['3.218.182.0/24', '3.218.180.0/23', '52.94.0.0/22', '52.119.224.0/20'];

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : []);
const blocks = (v: unknown): Values[] => (Array.isArray(v) ? v.filter((x): x is Values => typeof x === 'object' && x !== null) : []);
const json = (v: unknown): object => (typeof v === 'string' && v !== '' ? (JSON.parse(v) as object) : { Version: '2012-10-17', Statement: [] });

function allResources(state: StateInput): StateResource[] {
  const out: StateResource[] = [];
  const walk = (m: StateModule | undefined) => {
    if (!m) return;
    out.push(...(m.resources ?? []).filter((r) => r.mode === 'managed'));
    for (const c of m.child_modules ?? []) walk(c);
  };
  walk((state as unknown as { values?: { root_module?: StateModule } }).values?.root_module);
  return out;
}

/** The account the state describes, in us-east-1 of account 123456789012 (the state twin's). */
export function accountFromState(state: StateInput): FakeAccount {
  const resources = allResources(state);
  const of = (type: string) => resources.filter((r) => r.type === type).map((r) => r.values);
  const accountId = '123456789012';
  const region = 'us-east-1';

  const vpcs = of('aws_vpc');
  const subnets = of('aws_subnet').map((s) => ({ id: str(s.id), vpcId: str(s.vpc_id), az: str(s.availability_zone), cidr: str(s.cidr_block) }));

  // Route tables: the configuration's, and each VPC's main table (AWS always makes one).
  const routeTables: FakeAccount['routeTables'] = [];
  const routesOf = (table: Values, id: string) => [
    ...blocks(table.route).map((r) => ({ cidr: str(r.cidr_block), gateway: str(r.gateway_id) || undefined, nat: str(r.nat_gateway_id) || undefined })),
    ...of('aws_route')
      .filter((r) => r.route_table_id === id)
      .map((r) => ({ cidr: str(r.destination_cidr_block), gateway: str(r.gateway_id) || undefined, nat: str(r.nat_gateway_id) || undefined })),
  ].filter((r) => r.cidr !== '');
  for (const t of [...of('aws_route_table'), ...of('aws_default_route_table')]) {
    const id = str(t.id);
    routeTables.push({ id, vpcId: str(t.vpc_id), subnetIds: of('aws_route_table_association').filter((a) => a.route_table_id === id).map((a) => str(a.subnet_id)), routes: routesOf(t, id) });
  }
  for (const vpc of vpcs) {
    const vpcId = str(vpc.id);
    const moved = of('aws_main_route_table_association').find((m) => m.vpc_id === vpcId);
    const mainId = str(moved?.route_table_id) || str(vpc.main_route_table_id) || str(vpc.default_route_table_id);
    const main = routeTables.find((t) => t.id === mainId);
    if (main) main.main = true;
    else routeTables.push({ id: mainId, vpcId, main: true, subnetIds: [], routes: [] });
  }

  const endpoints = of('aws_vpc_endpoint')
    .filter((e) => (str(e.vpc_endpoint_type) || 'Gateway') === 'Gateway')
    .map((e) => {
      const id = str(e.id);
      const associated = of('aws_vpc_endpoint_route_table_association').filter((a) => a.vpc_endpoint_id === id).map((a) => str(a.route_table_id));
      // No policy: AWS attaches its full-access default.
      const policy = str(e.policy) || JSON.stringify({ Version: '2008-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] });
      return { id, vpcId: str(e.vpc_id), service: str(e.service_name), routeTableIds: [...new Set([...strings(e.route_table_ids), ...associated])], policy, prefixListId: str(e.prefix_list_id) };
    });
  const prefixLists = [...new Map(endpoints.map((e) => [e.service, { id: e.prefixListId || 'pl-02cd2c6b', name: e.service, cidrs: /dynamodb/.test(e.service) ? DYNAMODB_CIDRS : ['52.216.0.0/15'] }])).values()];

  const rule = (protocol: unknown, from: unknown, to: unknown, cidrs: string[], prefixLists: string[], groups: string[]): FakeRule => ({
    protocol: String(protocol ?? '-1') === 'all' ? '-1' : String(protocol ?? '-1'),
    from: typeof from === 'number' ? from : undefined,
    to: typeof to === 'number' ? to : undefined,
    cidrs,
    prefixLists,
    groups,
  });
  const securityGroups = [...of('aws_security_group'), ...of('aws_default_security_group')].map((g) => {
    const id = str(g.id);
    const inline = (dir: 'egress' | 'ingress') =>
      blocks(g[dir]).map((b) => rule(b.protocol, b.from_port, b.to_port, [...strings(b.cidr_blocks), ...strings(b.ipv6_cidr_blocks)], strings(b.prefix_list_ids), [...strings(b.security_groups), ...(b.self === true ? [id] : [])]));
    const vpcRules = (type: string) =>
      of(type)
        .filter((r) => r.security_group_id === id)
        .map((r) => rule(r.ip_protocol, r.from_port, r.to_port, [str(r.cidr_ipv4), str(r.cidr_ipv6)].filter(Boolean), [str(r.prefix_list_id)].filter(Boolean), [str(r.referenced_security_group_id)].filter(Boolean)));
    const legacy = (dir: 'egress' | 'ingress') =>
      of('aws_security_group_rule')
        .filter((r) => r.security_group_id === id && r.type === dir)
        .map((r) => rule(r.protocol, r.from_port, r.to_port, [...strings(r.cidr_blocks), ...strings(r.ipv6_cidr_blocks)], strings(r.prefix_list_ids), [str(r.source_security_group_id), ...(r.self === true ? [id] : [])].filter(Boolean)));
    return {
      id,
      name: str(g.name) || id,
      vpcId: str(g.vpc_id),
      egress: [...inline('egress'), ...vpcRules('aws_vpc_security_group_egress_rule'), ...legacy('egress')],
      ingress: [...inline('ingress'), ...vpcRules('aws_vpc_security_group_ingress_rule'), ...legacy('ingress')],
    };
  });

  const policies: FakeAccount['policies'] = of('aws_iam_policy').map((p) => ({ arn: str(p.arn), name: str(p.name), document: json(p.policy) }));
  const roles = of('aws_iam_role').map((r) => {
    const name = str(r.name);
    const inline: Record<string, object> = {};
    for (const p of of('aws_iam_role_policy').filter((p) => p.role === name || p.role === r.id)) inline[str(p.name) || str(p.id)] = json(p.policy);
    for (const b of blocks(r.inline_policy)) if (str(b.policy)) inline[str(b.name)] = json(b.policy);
    const attached = [
      ...strings(r.managed_policy_arns),
      ...of('aws_iam_role_policy_attachment').filter((a) => a.role === name).map((a) => str(a.policy_arn)),
      ...of('aws_iam_policy_attachment').filter((a) => strings(a.roles).includes(name)).map((a) => str(a.policy_arn)),
    ];
    for (const arn of attached) {
      const managed = managedPolicy(arn);
      if (managed && !policies.some((p) => p.arn === arn)) policies.push({ arn, name: arn.split('/').pop()!, document: managed as unknown as object });
    }
    return { name, inline, attached: [...new Set(attached)] };
  });

  const tablePolicy = (arn: string) => of('aws_dynamodb_resource_policy').find((p) => p.resource_arn === arn);
  const tables = of('aws_dynamodb_table').map((t) => {
    const policy = tablePolicy(str(t.arn));
    return { name: str(t.name), hashKey: str(t.hash_key), ...(policy ? { resourcePolicy: json(policy.policy) } : {}) };
  });

  const subnetVpc = (id: string) => subnets.find((s) => s.id === id)?.vpcId ?? '';
  const functions = of('aws_lambda_function').map((f) => {
    const vpc = blocks(f.vpc_config)[0] ?? {};
    const subnetIds = strings(vpc.subnet_ids);
    const variables = blocks(f.environment)[0]?.variables;
    return {
      name: str(f.function_name),
      role: str(f.role),
      subnetIds,
      securityGroupIds: strings(vpc.security_group_ids),
      vpcId: subnetIds.length > 0 ? subnetVpc(subnetIds[0]) : '',
      environment: Object.fromEntries(Object.entries((variables ?? {}) as Values).map(([k, v]) => [k, String(v)])),
      state: 'Active',
    };
  });

  // Network ACLs: the configuration's, and each VPC's default (allow all) for the other subnets.
  const entries = (a: Values, egress: boolean) => [
    ...blocks(a[egress ? 'egress' : 'ingress']).map((e) => ({ rule: Number(e.rule_no), egress, action: str(e.action) as 'allow' | 'deny', protocol: String(e.protocol), cidr: str(e.cidr_block), from: Number(e.from_port), to: Number(e.to_port) })),
    ...of('aws_network_acl_rule')
      .filter((r) => r.network_acl_id === a.id && (r.egress === true) === egress)
      .map((r) => ({ rule: Number(r.rule_number), egress, action: str(r.rule_action) as 'allow' | 'deny', protocol: String(r.protocol), cidr: str(r.cidr_block), from: Number(r.from_port), to: Number(r.to_port) })),
  ];
  const networkAcls: FakeAccount['networkAcls'] = of('aws_network_acl').map((a) => ({
    id: str(a.id),
    vpcId: str(a.vpc_id),
    subnetIds: [...strings(a.subnet_ids), ...of('aws_network_acl_association').filter((x) => x.network_acl_id === a.id).map((x) => str(x.subnet_id))],
    entries: [...entries(a, true), ...entries(a, false)],
  }));
  for (const vpc of vpcs) {
    const vpcId = str(vpc.id);
    const taken = new Set(networkAcls.flatMap((a) => a.subnetIds));
    const rest = subnets.filter((s) => s.vpcId === vpcId && !taken.has(s.id)).map((s) => s.id);
    networkAcls.push({ id: str(vpc.default_network_acl_id) || `acl-${vpcId.slice(4)}`, vpcId, isDefault: true, subnetIds: rest, entries: [
      { rule: 100, egress: true, action: 'allow', protocol: '-1', cidr: '0.0.0.0/0' },
      { rule: 100, egress: false, action: 'allow', protocol: '-1', cidr: '0.0.0.0/0' },
    ] });
  }

  // Lambda makes one interface per subnet and security-group set in use.
  const lambdaInterfaces: FakeAccount['lambdaInterfaces'] = [];
  for (const f of functions) {
    for (const subnetId of f.subnetIds) {
      const groups = [...f.securityGroupIds].sort();
      if (lambdaInterfaces.some((n) => n.subnetId === subnetId && n.groupIds.join() === groups.join())) continue;
      lambdaInterfaces.push({ id: `eni-${String(lambdaInterfaces.length).padStart(4, '0')}twin`, subnetId, vpcId: f.vpcId, groupIds: groups, ip: `10.255.0.${lambdaInterfaces.length + 10}` });
    }
  }

  return {
    accountId,
    region,
    functions,
    subnets,
    routeTables,
    endpoints: endpoints.map(({ prefixListId: _, ...e }) => e),
    prefixLists,
    securityGroups,
    roles,
    policies,
    tables,
    networkAcls,
    lambdaInterfaces,
    natGateways: of('aws_nat_gateway').map((n) => ({ id: str(n.id), subnetId: str(n.subnet_id), vpcId: subnetVpc(str(n.subnet_id)), eni: str(n.network_interface_id) || 'eni-0nat' })),
    flowLogs: of('aws_flow_log').map((f) => ({ id: str(f.id), resourceId: str(f.vpc_id) || str(f.subnet_id) || str(f.eni_id), trafficType: str(f.traffic_type), logGroupName: str(f.log_group_name) || str(f.log_destination).split(':log-group:')[1] || '' })),
    deny: [],
    throttle: {},
  };
}
