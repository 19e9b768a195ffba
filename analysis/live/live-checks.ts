/**
 * What only a deployed system can get wrong, checked on the account's answers: a function that
 * is not `Active`, a subnet and security-group pair with no Lambda network interface (the
 * function cannot send a packet from there), and a subnet that has no route table association
 * of its own (it silently follows the VPC's main route table, which anyone can change). The
 * reachability itself is `check`'s model, run on the same answers (to-state.ts).
 */
import { CheckDefinition, Finding, finding } from '../findings';
import { functionInterfaces, LiveAccount } from './read-account';

export const LIVE_CHECKS = {
  functionNotActive: {
    id: 'VLD112',
    title: 'Function not Active',
    severity: 'error',
    symptom: 'Invocations fail or wait: a function in Pending, Inactive or Failed state (or whose last update failed) does not run the configuration that was verified',
    fix: "Read the state's reason (aws lambda get-function-configuration: StateReasonCode, LastUpdateStatusReason); for ENI or subnet errors fix the subnet (free IPs) or the role's ec2:CreateNetworkInterface, then update the function",
  },
  noLambdaInterface: {
    id: 'VLD113',
    title: 'No Lambda network interface for a subnet and security-group pair',
    severity: 'error',
    symptom: '"Task timed out" or ENILimitReached / EC2ThrottledException from the subnets without an interface',
    fix: 'Lambda creates one interface per subnet and security-group set when the function is created or updated: check the function state reason, the subnet\'s free IPs and the ENI quota, then update the function configuration',
  },
  subnetOnMainRouteTable: {
    id: 'VLD114',
    title: "Function subnet follows the VPC's main route table",
    severity: 'warning',
    symptom: 'Works until someone edits or replaces the main route table; then timeouts from that subnet',
    fix: 'Associate the subnet with its own route table (aws_route_table_association) that is in the endpoint\'s route_table_ids',
  },
} as const satisfies Record<string, CheckDefinition>;

/** The live-only findings for the functions read. */
export function liveFindings(account: LiveAccount): Finding[] {
  const out: Finding[] = [];
  const c = LIVE_CHECKS;
  for (const f of account.functions) {
    const name = f.FunctionName ?? '?';
    const address = `aws_lambda_function.live[${JSON.stringify(name)}]`;
    const state = f.State ?? 'unknown';
    if (state !== 'Active') out.push(finding(c.functionNotActive, address, `${name} is ${state}${f.StateReasonCode ? ` (${f.StateReasonCode}${f.StateReason ? `: ${f.StateReason}` : ''})` : ''}`));
    else if (f.LastUpdateStatus === 'Failed') out.push(finding(c.functionNotActive, address, `${name}: its last update failed (${f.LastUpdateStatusReasonCode ?? 'no reason code'}${f.LastUpdateStatusReason ? `: ${f.LastUpdateStatusReason}` : ''})`));

    const subnets = f.VpcConfig?.SubnetIds ?? [];
    const groups = [...(f.VpcConfig?.SecurityGroupIds ?? [])].sort();
    // Interfaces exist only once the function is Active; a Pending one is already reported.
    if (state === 'Active') {
      const interfaces = functionInterfaces(account, f);
      for (const subnet of subnets) {
        const has = interfaces.some((n) => n.SubnetId === subnet);
        if (!has) out.push(finding(c.noLambdaInterface, `aws_subnet.live[${JSON.stringify(subnet)}]`, `${name}: no Lambda network interface in ${subnet} with the security groups ${groups.join(', ') || '(none)'}`));
      }
    }
    for (const subnet of subnets) {
      const explicit = account.routeTables.some((t) => (t.Associations ?? []).some((a) => a.SubnetId === subnet && !a.Main));
      const known = account.subnets.some((s) => s.SubnetId === subnet);
      if (known && !explicit) out.push(finding(c.subnetOnMainRouteTable, `aws_subnet.live[${JSON.stringify(subnet)}]`, `${name} runs in ${subnet}, which has no route table association of its own: it follows the main route table of ${account.subnets.find((s) => s.SubnetId === subnet)?.VpcId ?? 'its VPC'}`));
    }
  }
  // Two functions in one subnet share the subnet's finding.
  const seen = new Set<string>();
  return out.filter((f) => {
    const key = `${f.id}|${f.resource}|${f.id === c.subnetOnMainRouteTable.id ? '' : f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
