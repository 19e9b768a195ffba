/**
 * Network ACLs on a function's subnets: whether DynamoDB's traffic passes them. A network ACL
 * is stateless, so two directions must pass: egress tcp 443 to DynamoDB's prefix-list CIDRs,
 * and ingress of the answers, tcp 1024-65535 from those CIDRs (the ephemeral ports Lambda's
 * connections use). Rules are evaluated the way EC2 does: lowest rule number first, the first
 * rule that matches decides, and the implicit last rule denies.
 *
 * Which ACL a subnet has: an `aws_network_acl_association`, an `aws_network_acl` or
 * `aws_default_network_acl` whose `subnet_ids` holds it, else its VPC's default ACL (the
 * `aws_default_network_acl` of that VPC when the configuration manages it; a VPC created here
 * starts with a default ACL that allows everything). An existing subnet with no ACL in the
 * input is not assessed: its rules are not in it.
 */
import { Address4 } from 'ip-address';
import { HTTPS_PORT } from './function-needs';
import { isObject, listOf, Unknown, Value } from './evaluate/values';
import { TerraformGraph, TfInstance } from './terraform-graph';

/** The ports a Lambda connection's answers come back to (the ephemeral range AWS documents for NAT and Lambda). */
export const RETURN_PORTS = { from: 1024, to: 65535 } as const;

interface AclRule {
  readonly number: number;
  readonly allow: boolean;
  /** `all`, `tcp`, or another protocol number. */
  readonly protocol: string;
  readonly cidr?: string;
  readonly from: number;
  readonly to: number;
  readonly where: string;
}

/** What one subnet's ACL does to DynamoDB traffic. */
export interface SubnetAclVerdict {
  /** The ACL's address (or id outside the configuration); `default` for a VPC's untouched default ACL. */
  readonly acl: string;
  /** `blocked` names the direction and rule that drops traffic. */
  readonly verdict: 'allows' | 'blocks' | 'unknown';
  readonly detail?: string;
  readonly unknown: string[];
}

const ALL_PROTOCOLS = new Set(['-1', 'all']);
const TCP = new Set(['6', 'tcp']);

function num(v: Value | undefined, fallback: number): number {
  const n = Number(v);
  return v === undefined || v === null || v === '' || Number.isNaN(n) ? fallback : n;
}

/** The rules of one ACL in one direction, from its inline blocks and its `aws_network_acl_rule`s; unknown fields are reasons. */
function rulesOf(graph: TerraformGraph, acl: TfInstance, egress: boolean, unknown: string[]): AclRule[] {
  const rules: AclRule[] = [];
  const add = (where: string, f: { number?: Value; action?: Value; protocol?: Value; cidr?: Value; ipv6?: Value; from?: Value; to?: Value }) => {
    const fields = Object.entries(f).filter(([, v]) => v instanceof Unknown) as Array<[string, Unknown]>;
    if (fields.length > 0) {
      unknown.push(...fields.map(([k, v]) => `${where} ${k}: ${v.reason}`));
      return;
    }
    // IPv6 rules do not apply to DynamoDB's IPv4 prefix list.
    if ((f.cidr === undefined || f.cidr === null || f.cidr === '') && typeof f.ipv6 === 'string' && f.ipv6 !== '') return;
    const protocol = String(f.protocol ?? '-1').toLowerCase();
    const all = ALL_PROTOCOLS.has(protocol);
    rules.push({
      number: num(f.number, 0),
      allow: String(f.action ?? '').toLowerCase() === 'allow',
      protocol: all ? 'all' : TCP.has(protocol) ? 'tcp' : protocol,
      cidr: typeof f.cidr === 'string' && f.cidr !== '' ? f.cidr : undefined,
      from: all ? 0 : num(f.from, 0),
      to: all ? 65535 : num(f.to, 65535),
      where,
    });
  };
  const blocks = acl.resource.mode === 'data' ? undefined : graph.argument(acl, egress ? 'egress' : 'ingress');
  if (blocks instanceof Unknown) unknown.push(`${acl.address}.${egress ? 'egress' : 'ingress'}: ${blocks.reason}`);
  else
    for (const b of listOf(blocks)) {
      if (!isObject(b)) continue;
      add(`${acl.address} ${egress ? 'egress' : 'ingress'} rule ${String(b.rule_no)}`, { number: b.rule_no, action: b.action, protocol: b.protocol, cidr: b.cidr_block, ipv6: b.ipv6_cidr_block, from: b.from_port, to: b.to_port });
    }
  for (const r of graph.instancesOf('aws_network_acl_rule')) {
    if (!graph.refersTo(r, 'network_acl_id', acl)) continue;
    const e = graph.argument(r, 'egress');
    if (e instanceof Unknown) {
      unknown.push(`${r.address}.egress: ${e.reason}`);
      continue;
    }
    if ((e === true) !== egress) continue;
    const a = (k: string) => graph.argument(r, k);
    add(r.address, { number: a('rule_number'), action: a('rule_action'), protocol: a('protocol'), cidr: a('cidr_block'), ipv6: a('ipv6_cidr_block'), from: a('from_port'), to: a('to_port') });
  }
  return rules.sort((x, y) => x.number - y.number);
}

/** How a rule's CIDR relates to a destination: covers it, misses it, or covers part of it. */
function relation(rule: string | undefined, target: string): 'all' | 'none' | 'part' {
  if (rule === undefined) return 'none';
  if (!Address4.isValid(rule) || !Address4.isValid(target)) return 'part';
  const r = new Address4(rule);
  const t = new Address4(target);
  if (t.isInSubnet(r)) return 'all';
  if (r.isInSubnet(t)) return 'part';
  return 'none';
}

/** Private address space (RFC 1918, shared 100.64/10, loopback, link-local): DynamoDB's public addresses are never in it. */
const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16'].map((c) => new Address4(c));

function isPrivate(cidr: string | undefined): boolean {
  if (cidr === undefined || !Address4.isValid(cidr)) return false;
  const c = new Address4(cidr);
  return PRIVATE.some((p) => c.isInSubnet(p));
}

type Outcome = { result: 'allow' | 'deny' | 'unknown'; rule?: AclRule };

/** The first-match decision for tcp on one port to one CIDR, or to CIDRs not known (`undefined`). */
function decide(rules: AclRule[], port: number, target: string | undefined): Outcome {
  let maybeAllow: AclRule | undefined;
  let maybeDeny: AclRule | undefined;
  for (const rule of rules) {
    if (rule.protocol !== 'all' && rule.protocol !== 'tcp') continue;
    if (port < rule.from || port > rule.to) continue;
    const anywhere = rule.cidr === '0.0.0.0/0';
    const rel = anywhere ? 'all' : target === undefined ? (isPrivate(rule.cidr) ? 'none' : 'part') : relation(rule.cidr, target);
    if (rel === 'none') continue;
    if (rel === 'all') {
      if (rule.allow) return maybeDeny ? { result: 'unknown', rule: maybeDeny } : { result: 'allow', rule };
      return maybeAllow && target === undefined ? { result: 'unknown', rule } : { result: 'deny', rule };
    }
    // Part of the addresses match: a deny drops those (some of DynamoDB's addresses); an allow lets only those through.
    if (!rule.allow) {
      if (target !== undefined) return { result: 'deny', rule };
      maybeDeny ??= rule;
    } else maybeAllow ??= rule;
  }
  if (target === undefined && maybeAllow) return { result: 'unknown', rule: maybeAllow };
  return { result: 'deny' };
}

/** The decision over a port range: every stretch between rule edges decides alike, so its first port stands for it. */
function decideRange(rules: AclRule[], from: number, to: number, targets: string[] | undefined): Outcome & { port?: number; target?: string } {
  const edges = new Set<number>([from]);
  for (const r of rules) for (const p of [r.from, r.to + 1]) if (p > from && p <= to) edges.add(p);
  let unknown: (Outcome & { port?: number }) | undefined;
  for (const port of [...edges].sort((a, b) => a - b)) {
    for (const target of targets ?? [undefined]) {
      const o = decide(rules, port, target);
      if (o.result === 'deny') return { ...o, port, target };
      if (o.result === 'unknown') unknown ??= { ...o, port };
    }
  }
  return unknown ?? { result: 'allow' };
}

/** The ACL a subnet is in, or `undefined` when the VPC's untouched default applies (or the input has none for it). */
function aclOfSubnet(graph: TerraformGraph, subnet: TfInstance | string, unknown: string[]): TfInstance | 'default' | 'not-in-input' {
  const refers = (i: TfInstance, path: string) => (typeof subnet === 'string' ? graph.resolve(i, path).literals.includes(subnet) : graph.refersTo(i, path, subnet));
  for (const a of graph.instancesOf('aws_network_acl_association')) {
    if (!refers(a, 'subnet_id')) {
      const r = graph.resolve(a, 'subnet_id');
      if (r.unresolved.length > 0) unknown.push(`network ACL of ${typeof subnet === 'string' ? subnet : subnet.address}: ${a.address}.subnet_id: ${r.unresolved.join(', ')}`);
      continue;
    }
    const acl = graph.resolve(a, 'network_acl_id');
    const found = acl.instances.find((i) => i.resource.type === 'aws_network_acl' || i.resource.type === 'aws_default_network_acl');
    if (found) return found;
    unknown.push(`network ACL of ${typeof subnet === 'string' ? subnet : subnet.address}: ${acl.unresolved.join(', ') || `${a.address} names an ACL outside this configuration`}`);
    return 'not-in-input';
  }
  for (const type of ['aws_network_acl', 'aws_default_network_acl']) {
    for (const acl of graph.instancesOf(type)) {
      if (refers(acl, 'subnet_ids')) return acl;
      const r = graph.resolve(acl, 'subnet_ids');
      if (r.unresolved.length > 0) unknown.push(`network ACL of ${typeof subnet === 'string' ? subnet : subnet.address}: ${acl.address}.subnet_ids: ${r.unresolved.join(', ')}`);
    }
  }
  if (typeof subnet === 'string') return 'not-in-input';
  // Not associated with an ACL of its own: the VPC's default ACL.
  const vpc = graph.resolve(subnet, 'vpc_id').instances.find((i) => i.resource.type === 'aws_vpc');
  if (!vpc) return 'not-in-input';
  const managed = graph.instancesOf('aws_default_network_acl').find((d) => graph.refersTo(d, 'default_network_acl_id', vpc));
  return managed ?? 'default';
}

/**
 * What the ACL of a subnet does to DynamoDB traffic to `cidrs` (the prefix list's CIDRs, or
 * `undefined` when they are not known before apply: then only rules for 0.0.0.0/0 decide).
 */
export function subnetAclVerdict(graph: TerraformGraph, subnet: TfInstance | string, cidrs: string[] | undefined): SubnetAclVerdict | undefined {
  const unknown: string[] = [];
  const acl = aclOfSubnet(graph, subnet, unknown);
  if (acl === 'not-in-input') return unknown.length > 0 ? { acl: 'unknown', verdict: 'unknown', unknown } : undefined;
  if (acl === 'default') return unknown.length > 0 ? { acl: 'default', verdict: 'unknown', unknown } : undefined;
  const out = rulesOf(graph, acl, true, unknown);
  const back = rulesOf(graph, acl, false, unknown);
  const egress = decideRange(out, HTTPS_PORT, HTTPS_PORT, cidrs);
  const ingress = decideRange(back, RETURN_PORTS.from, RETURN_PORTS.to, cidrs);
  const to = (o: { target?: string }) => o.target ?? "DynamoDB's prefix list";
  const blocked = (o: Outcome & { port?: number; target?: string }, what: string) =>
    o.rule ? `${what}: denied by ${o.rule.where}` : `${what}: no rule allows it (the ACL's last rule denies)`;
  if (egress.result === 'deny') return { acl: acl.address, verdict: 'blocks', detail: blocked(egress, `egress tcp ${HTTPS_PORT} to ${to(egress)}`), unknown };
  if (ingress.result === 'deny') return { acl: acl.address, verdict: 'blocks', detail: blocked(ingress, `ingress tcp ${ingress.port} (the answers' ports ${RETURN_PORTS.from}-${RETURN_PORTS.to}) from ${to(ingress)}`), unknown };
  for (const [o, what] of [[egress, `egress tcp ${HTTPS_PORT}`], [ingress, `ingress tcp ${RETURN_PORTS.from}-${RETURN_PORTS.to}`]] as const) {
    if (o.result === 'unknown') unknown.push(`${acl.address} ${what}: ${o.rule ? `${o.rule.where} names ${o.rule.cidr}, and` : 'rules name specific CIDRs, and'} DynamoDB's prefix-list CIDRs are not known before apply`);
  }
  return { acl: acl.address, verdict: unknown.length > 0 ? 'unknown' : 'allows', unknown };
}

/** The CIDRs of DynamoDB's prefix list where the input knows them: the endpoint's `cidr_blocks`, or a `data "aws_prefix_list"`. */
export function dynamoCidrs(graph: TerraformGraph, endpoint: TfInstance | undefined): string[] | undefined {
  const known = (v: Value | undefined) => (Array.isArray(v) && v.length > 0 && v.every((c) => typeof c === 'string') ? (v as string[]) : undefined);
  const own = endpoint ? known(graph.evaluated(endpoint, 'cidr_blocks')) : undefined;
  if (own) return own;
  for (const d of graph.dataOf('aws_prefix_list')) {
    const name = graph.value(d, 'name');
    if (typeof name === 'string' && /dynamodb/.test(name)) return known(graph.evaluated(d, 'cidr_blocks'));
  }
  return undefined;
}
