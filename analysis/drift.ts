/**
 * Drift on the resources reachability depends on, from a refresh-only plan's `resource_drift`
 * (`terraform plan -refresh-only`, then `terraform show -json`): what changed in the account
 * outside Terraform, such as an endpoint detached from a route table by hand or a rule added
 * to a function's security group. The verdicts come from the plan's values, which already hold
 * the refreshed ones; this says what moved.
 */

/** Resource types whose changes can change whether a function reaches DynamoDB privately. */
const REACHABILITY_TYPES = new Set([
  'aws_vpc_endpoint',
  'aws_vpc_endpoint_route_table_association',
  'aws_route_table',
  'aws_route',
  'aws_route_table_association',
  'aws_main_route_table_association',
  'aws_default_route_table',
  'aws_subnet',
  'aws_security_group',
  'aws_security_group_rule',
  'aws_vpc_security_group_egress_rule',
  'aws_vpc_security_group_ingress_rule',
  'aws_lambda_function',
  'aws_iam_role',
  'aws_iam_role_policy',
  'aws_iam_role_policy_attachment',
  'aws_iam_policy',
  'aws_dynamodb_table',
  'aws_network_acl',
  'aws_network_acl_rule',
]);

/** One drifted resource: its address and the top-level attributes that changed (or `deleted`). */
export interface Drift {
  readonly address: string;
  readonly type: string;
  readonly attributes: string[];
  /** The resource is gone from the account (the refresh found nothing). */
  readonly deleted: boolean;
}

interface DriftEntry {
  address?: string;
  type?: string;
  mode?: string;
  change?: { actions?: string[]; before?: Record<string, unknown> | null; after?: Record<string, unknown> | null };
}

/** The drift a plan records on reachability resources; empty for a plan without `resource_drift`. */
export function reachabilityDrift(plan: { resource_drift?: DriftEntry[] }): Drift[] {
  const out: Drift[] = [];
  for (const d of plan.resource_drift ?? []) {
    if (!d.address || !d.type || d.mode === 'data' || !REACHABILITY_TYPES.has(d.type)) continue;
    const before = d.change?.before ?? {};
    const after = d.change?.after ?? null;
    if (after === null) {
      out.push({ address: d.address, type: d.type, attributes: [], deleted: true });
      continue;
    }
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    const attributes = [...keys].filter((k) => !['tags_all', 'timeouts'].includes(k) && JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null)).sort();
    if (attributes.length > 0) out.push({ address: d.address, type: d.type, attributes, deleted: false });
  }
  return out;
}
