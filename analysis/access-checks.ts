/**
 * Who may do what on which resource (VLD021) and where security groups let traffic out
 * (VLD022). A function's role may name `*` only for the ENI actions Lambda uses to attach the
 * function to the VPC (the Describe actions take no resource; the network interfaces Lambda
 * creates are not known to the role's author) and X-Ray's trace writes (no resource either).
 * Those are the documented allowed case, as in AWS's own AWSLambdaVPCAccessExecutionRole and
 * AWSXRayDaemonWriteAccess policies. Checkov's CKV_AWS_355 still flags Create/Delete
 * NetworkInterface, which take resources: scanner-ids.ts keeps the two apart.
 */
import { LAMBDA_VPC_ENI_STATEMENT, XRAY_WRITE_STATEMENT } from '../modules/private/fixed-statements';
import { Finding, finding } from './findings';
import { rolePolicies } from './reachability';
import { SECURITY_CHECKS } from './security-checks';
import { TerraformGraph, TfInstance } from './terraform-graph';

/** Actions a function's role may allow on `*`: the ENI and X-Ray statements the constructs write, and no more. */
export const WILDCARD_RESOURCE_ALLOWED_ACTIONS: readonly string[] = [...LAMBDA_VPC_ENI_STATEMENT.Action, ...XRAY_WRITE_STATEMENT.Action];

const ALLOWED = new Set(WILDCARD_RESOURCE_ALLOWED_ACTIONS.map((a) => a.toLowerCase()));
const ANYWHERE = new Set(['0.0.0.0/0', '::/0']);

/** VLD021: Allow statements on `*` in the policies of a Lambda function's role, beyond the allowed actions. */
export function functionPolicyFindings(graph: TerraformGraph): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const fn of graph.instancesOf('aws_lambda_function')) {
    for (const doc of rolePolicies(graph, fn).documents) {
      const wide = new Set<string>();
      for (const s of doc.statements) {
        if (s.effect !== 'Allow' || !s.resources.includes('*')) continue;
        if (s.notActions) wide.add(`NotAction ${s.notActions.join(',')}`);
        // Named exactly (IAM compares actions case-insensitively); a pattern like `ec2:*` covers more than the allowed set.
        for (const a of s.actions) if (!ALLOWED.has(a.toLowerCase())) wide.add(a);
      }
      const key = `${doc.owner.address} ${[...wide].join(',')}`;
      if (wide.size === 0 || seen.has(key)) continue;
      seen.add(key);
      out.push(finding(SECURITY_CHECKS.functionPolicyWildcardResource, doc.owner.address, `the role of ${fn.address} allows ${[...wide].join(', ')} on "*"`));
    }
  }
  return out;
}

/** VLD022 (info): every egress rule to 0.0.0.0/0 or ::/0, inline or separate. */
export function openEgressFindings(graph: TerraformGraph): Finding[] {
  const out: Finding[] = [];
  const report = (rule: TfInstance, cidrs: unknown[], ports: string) => {
    const open = cidrs.map(String).filter((c) => ANYWHERE.has(c));
    if (open.length > 0) out.push(finding(SECURITY_CHECKS.openEgress, rule.address, `egress to ${open.join(' and ')} on ${ports}`));
  };
  const portsOf = (from: unknown, to: unknown, protocol: unknown) =>
    String(protocol) === '-1' || protocol === 'all' ? 'all ports' : from === to ? `${String(protocol)} ${String(from)}` : `${String(protocol)} ${String(from)}-${String(to)}`;
  const list = (v: unknown) => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
  for (const group of graph.instancesOf('aws_security_group')) {
    const egress = graph.argumentValue(group, 'egress');
    for (const rule of list(egress) as Array<Record<string, unknown>>) {
      if (!rule || typeof rule !== 'object') continue;
      report(group, [...list(rule.cidr_blocks), ...list(rule.ipv6_cidr_blocks)], portsOf(rule.from_port, rule.to_port, rule.protocol));
    }
  }
  for (const rule of graph.instancesOf('aws_security_group_rule')) {
    if (graph.argumentValue(rule, 'type') !== 'egress') continue;
    const v = (k: string) => graph.argumentValue(rule, k);
    report(rule, [...list(v('cidr_blocks')), ...list(v('ipv6_cidr_blocks'))], portsOf(v('from_port'), v('to_port'), v('protocol')));
  }
  for (const rule of graph.instancesOf('aws_vpc_security_group_egress_rule')) {
    const v = (k: string) => graph.argumentValue(rule, k);
    report(rule, [v('cidr_ipv4'), v('cidr_ipv6')].filter((x) => x !== undefined), portsOf(v('from_port'), v('to_port'), v('ip_protocol')));
  }
  return out;
}

/**
 * VLD024: a function URL anyone may call (`authorization_type = "NONE"`), or one whose auth
 * cannot be read before apply (then it is not verified, never passed).
 */
export function functionUrlFindings(graph: TerraformGraph): Finding[] {
  const out: Finding[] = [];
  for (const url of graph.instancesOf('aws_lambda_function_url')) {
    const auth = graph.argumentValue(url, 'authorization_type');
    if (auth === 'NONE') out.push(finding(SECURITY_CHECKS.functionUrlAuth, url.address, 'authorization_type = "NONE": anyone on the internet can invoke the function'));
    else if (auth !== 'AWS_IAM') out.push(finding(SECURITY_CHECKS.functionUrlAuth, url.address, `not verified: authorization_type is not known before apply (${graph.resolve(url, 'authorization_type').unresolved.join('; ') || 'unset'})`));
  }
  return out;
}
