/**
 * The seed's troubleshooting section as checks: each known way Lambda fails to reach
 * DynamoDB (or its database), found before deploy, with the fix.
 */
import { CheckDefinition, Finding, finding } from './findings';
import { Reachability } from './reachability';

/** The troubleshooting cases, by stable id. */
export const TROUBLESHOOTING = {
  noEndpoint: {
    id: 'VLD101',
    title: 'No DynamoDB gateway endpoint',
    severity: 'error',
    symptom: '"Task timed out after 3.00 seconds": the SDK tries the public endpoint and no route leaves the private subnet',
    fix: 'Create an aws_vpc_endpoint with service_name com.amazonaws.<region>.dynamodb, vpc_endpoint_type Gateway, route_table_ids = every private route table (natMode none keeps it free)',
  },
  endpointNotAttached: {
    id: 'VLD102',
    title: "Endpoint not attached to the function's route table",
    severity: 'error',
    symptom: 'Timeouts from the subnets whose route table lacks the DynamoDB prefix-list route (often only one AZ fails)',
    fix: "Add the route table to the endpoint's route_table_ids (or an aws_vpc_endpoint_route_table_association)",
  },
  roleLacksAction: {
    id: 'VLD103',
    title: 'IAM role lacks the DynamoDB action',
    severity: 'error',
    symptom: 'AccessDeniedException: ... is not authorized to perform: dynamodb:<Action> on resource <table>',
    fix: "Grant the action on the table's ARN in the function role's policy (least privilege: that action, that table)",
  },
  endpointPolicyDenies: {
    id: 'VLD104',
    title: 'Endpoint policy does not allow the action',
    severity: 'error',
    symptom: 'AccessDeniedException: ... with an explicit deny in a VPC endpoint policy (or no allow in it)',
    fix: "Allow the action on the table in the endpoint policy (Principal \"*\"), and remove a Deny that covers it",
  },
  securityGroupBlocks443: {
    id: 'VLD105',
    title: 'Security group blocks 443 to the DynamoDB prefix list',
    severity: 'error',
    symptom: '"Task timed out": connections to DynamoDB are dropped silently by the security group',
    fix: "Add an egress rule: tcp 443 to the endpoint's prefix_list_id (aws_vpc_security_group_egress_rule.prefix_list_id)",
  },
  publicSubnet: {
    id: 'VLD106',
    title: 'Function in a public subnet',
    severity: 'error',
    symptom: 'Lambda ENIs get no public IP: anything but the endpoint times out, and the function is not private',
    fix: 'Put the function in private subnets (no 0.0.0.0/0 route to an internet gateway); use NAT for internet access',
  },
  databaseNotAdmitted: {
    id: 'VLD107',
    title: 'Database security group does not admit the function',
    severity: 'error',
    symptom: 'connect ETIMEDOUT <db>:5432 from the function',
    fix: "Allow 5432 both ways: egress from the function's SG to the DB SG and ingress on the DB SG from the function's SG (referenced_security_group_id)",
  },
  networkAclBlocks: {
    id: 'VLD110',
    title: "Network ACL blocks DynamoDB traffic on the function's subnet",
    severity: 'error',
    symptom: '"Task timed out after 3.00 seconds": a network ACL is stateless, so the request (tcp 443 out) and the answer (tcp 1024-65535 in) must both pass it',
    fix: "In the subnet's network ACL, allow egress tcp 443 to DynamoDB's prefix-list CIDRs (or 0.0.0.0/0) and ingress tcp 1024-65535 from them, numbered before any deny that covers them",
  },
  resourcePolicyDenies: {
    id: 'VLD111',
    title: "The table's resource policy denies the function",
    severity: 'error',
    symptom: 'AccessDeniedException: ... with an explicit deny in a resource-based policy',
    fix: "Narrow the Deny in the table's resource policy (aws_dynamodb_resource_policy) so it does not cover the function's role, or add a condition it meets (aws:SourceVpce = the endpoint)",
  },
  probeFailed: {
    // verify --probe only (analysis/live/probe.ts): what the function itself met, not what the model predicts.
    id: 'VLD120',
    title: 'Probe failed: the function could not read its table',
    severity: 'error',
    symptom: '"Unable to connect to DynamoDB", "Task timed out after 3.00 seconds", or AccessDeniedException from the role or the endpoint policy',
    fix: "Fix the cause the probe's error class names (timeout: route table, endpoint, security group, network ACL; access-denied-role: the role's policy; access-denied-endpoint-policy: the endpoint policy; not-found: the table name in the function's environment), then run verify --probe again",
  },
  unverified: {
    id: 'VLD109',
    title: 'Not verified: the configuration could not be resolved',
    severity: 'error',
    fix: "Run check on the plan in the root module's folder (or pass --source-dir) so locals and dynamic blocks are read; name a function's table with --link function=table; --allow-unverified reports this as a warning",
  },
} as const satisfies Record<string, CheckDefinition>;

/** Options of {@link troubleshoot}. */
export interface TroubleshootOptions {
  /** Report what could not be verified as a warning, not an error. */
  readonly allowUnverified?: boolean;
}

/** One finding per failure per function (and per table or route table where it is about one). */
export function troubleshoot(reach: Reachability, options: TroubleshootOptions = {}): Finding[] {
  const out: Finding[] = [];
  const t = TROUBLESHOOTING;
  const unverified = options.allowUnverified ? { ...t.unverified, severity: 'warning' as const } : t.unverified;
  for (const fn of reach.functions) {
    // A function already broken for a known reason gets that finding; its unknown cells stay in the report's table.
    if (fn.unverified.length > 0 && fn.reasons.length === 0) out.push(finding(unverified, fn.address, `${fn.name} is not verified: cannot resolve ${fn.unverified.join('; ')}`));
  }
  // Never OK on nothing: a check that verified no function says so.
  const decided = reach.functions.filter((f) => f.tables.length > 0 && (f.unverified.length === 0 || f.reasons.length > 0));
  if (decided.length === 0) {
    const why = reach.functions.length === 0 ? 'the configuration has no aws_lambda_function' : `none of its ${reach.functions.length} function(s) could be verified`;
    out.push(finding(unverified, 'configuration', `0 functions verified to reach DynamoDB: ${why}`));
  }
  for (const fn of reach.functions) {
    if (fn.tables.length > 0) {
      if (!fn.endpoint) {
        out.push(finding(t.noEndpoint, fn.address, `${fn.name} uses ${fn.tables.map((x) => x.table).join(', ')} but the configuration has no DynamoDB gateway endpoint`));
      } else {
        const endpointTablesKnown = !fn.unverified.some((u) => u.startsWith('route tables of '));
        for (const p of fn.subnets) {
          if (p.endpointRoute === 'no' && endpointTablesKnown) out.push(finding(t.endpointNotAttached, p.routeTable === 'main' ? p.subnet : p.routeTable, `${fn.name} runs in ${p.subnet}, whose route table ${p.routeTable} is not attached to ${fn.endpoint} (its route_table_ids or an aws_vpc_endpoint_route_table_association)`));
        }
        for (const p of fn.subnets) {
          if (p.networkAcl?.verdict === 'blocks') out.push(finding(t.networkAclBlocks, p.networkAcl.acl, `${fn.name} runs in ${p.subnet}, whose network ACL blocks ${p.networkAcl.detail}`));
        }
        if (fn.https === 'none') out.push(finding(t.securityGroupBlocks443, fn.securityGroups.join(', ') || fn.address, `${fn.name}: no egress rule allows tcp 443 to the DynamoDB prefix list`));
        for (const table of fn.tables) {
          if (table.endpointDenied.length > 0) out.push(finding(t.endpointPolicyDenies, fn.endpoint, `${fn.name}: ${table.endpointDenied.join(', ')} on ${table.table} not allowed by the endpoint policy`));
        }
      }
      for (const table of fn.tables) {
        if (table.resourcePolicyDenied) out.push(finding(t.resourcePolicyDenies, table.table, `${fn.name}: the resource policy of ${table.table} denies ${table.resourcePolicyDenied.join(', ')}`));
        if (table.roleMissing.length > 0) out.push(finding(t.roleLacksAction, fn.address, `${fn.name}: role does not allow ${table.roleMissing.join(', ')} on ${table.table}`));
      }
    }
    for (const p of fn.subnets) {
      if (p.internet === 'internet-gateway') out.push(finding(t.publicSubnet, p.subnet, `${fn.name} runs in ${p.subnet}: its route table ${p.routeTable} sends 0.0.0.0/0 to an internet gateway`));
    }
    if (fn.database && !(fn.database.egress && fn.database.ingress)) {
      const missing = [fn.database.egress ? undefined : `egress ${fn.database.port} from ${fn.securityGroups.join(', ')}`, fn.database.ingress ? undefined : `ingress ${fn.database.port} on ${fn.database.securityGroups.join(', ') || 'the database SG'}`].filter(Boolean);
      out.push(finding(t.databaseNotAdmitted, fn.database.securityGroups[0] ?? fn.address, `${fn.name}: missing ${missing.join(' and ')}`));
    }
  }
  return dedupe(out);
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.id}|${f.resource}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
