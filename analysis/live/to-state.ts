/**
 * The account's answers as the state `terraform show -json` would print for the same
 * resources, so `verify` runs the one model `check` runs (graphFromState, analyze): the same
 * findings and ids. Each resource is an instance of `<type>.live` keyed by its AWS id or name
 * (`aws_subnet.live["subnet-0abc"]`). As in a real state, the endpoint's DynamoDB route lives in
 * its `route_table_ids`, not in the route table's `route` (the provider skips `vpce-` routes),
 * and the VPC's main route table is an `aws_main_route_table_association`.
 */
import { IpPermission } from '@aws-sdk/client-ec2';
import { StateInput } from '../terraform-graph';
import { LiveAccount } from './read-account';

interface StateResource {
  address: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  index: string;
  values: Record<string, unknown>;
}

const list = <T>(v: T[] | undefined): T[] => v ?? [];

function rules(permissions: IpPermission[] | undefined): Array<Record<string, unknown>> {
  return list(permissions).map((p) => ({
    protocol: p.IpProtocol ?? '-1',
    from_port: p.FromPort ?? 0,
    to_port: p.ToPort ?? 0,
    cidr_blocks: list(p.IpRanges).map((r) => r.CidrIp).filter(Boolean),
    ipv6_cidr_blocks: list(p.Ipv6Ranges).map((r) => r.CidrIpv6).filter(Boolean),
    prefix_list_ids: list(p.PrefixListIds).map((r) => r.PrefixListId).filter(Boolean),
    security_groups: list(p.UserIdGroupPairs).map((r) => r.GroupId).filter(Boolean),
    self: false,
    description: '',
  }));
}

/** The account id, from a function's ARN (`arn:aws:lambda:REGION:ACCOUNT:function:NAME`). */
function accountId(account: LiveAccount): string | undefined {
  return account.functions.map((f) => f.FunctionArn?.split(':')[4]).find((a) => a && /^\d{12}$/.test(a));
}

/** The account as a state JSON (format 1.0, resources in the root module). */
export function stateFromAccount(account: LiveAccount): StateInput {
  const resources: StateResource[] = [];
  const add = (type: string, key: string, values: Record<string, unknown>, mode: 'managed' | 'data' = 'managed') =>
    resources.push({ address: `${mode === 'data' ? 'data.' : ''}${type}.live[${JSON.stringify(key)}]`, mode, type, name: 'live', index: key, values });

  const account_id = accountId(account);
  if (account_id) add('aws_caller_identity', 'current', { account_id, id: account_id }, 'data');

  for (const f of account.functions) {
    const vpc = f.VpcConfig && list(f.VpcConfig.SubnetIds).length > 0 ? [{ subnet_ids: f.VpcConfig.SubnetIds, security_group_ids: list(f.VpcConfig.SecurityGroupIds), vpc_id: f.VpcConfig.VpcId ?? '' }] : [];
    add('aws_lambda_function', f.FunctionName!, {
      id: f.FunctionName,
      function_name: f.FunctionName,
      arn: f.FunctionArn,
      role: f.Role,
      runtime: f.Runtime ?? null,
      handler: f.Handler ?? null,
      timeout: f.Timeout ?? 3,
      memory_size: f.MemorySize ?? 128,
      state: f.State ?? null,
      vpc_config: vpc,
      environment: f.Environment?.Variables ? [{ variables: f.Environment.Variables }] : [],
    });
  }

  const vpcIds = new Set(account.subnets.map((s) => s.VpcId!).filter(Boolean));
  for (const s of account.subnets) {
    add('aws_subnet', s.SubnetId!, { id: s.SubnetId, arn: s.SubnetArn ?? null, vpc_id: s.VpcId, availability_zone: s.AvailabilityZone ?? null, cidr_block: s.CidrBlock ?? null, map_public_ip_on_launch: s.MapPublicIpOnLaunch ?? false });
  }

  for (const vpcId of vpcIds) {
    const main = account.routeTables.find((t) => t.VpcId === vpcId && list(t.Associations).some((a) => a.Main));
    add('aws_vpc', vpcId, { id: vpcId, main_route_table_id: main?.RouteTableId ?? null, default_route_table_id: main?.RouteTableId ?? null });
  }

  for (const t of account.routeTables) {
    const routes = list(t.Routes)
      // The provider leaves the gateway endpoint's prefix-list route out of `route`.
      .filter((r) => !(r.DestinationPrefixListId && r.GatewayId?.startsWith('vpce-')))
      .filter((r) => r.Origin !== 'CreateRouteTable')
      .map((r) => ({
        cidr_block: r.DestinationCidrBlock ?? '',
        ipv6_cidr_block: r.DestinationIpv6CidrBlock ?? '',
        destination_prefix_list_id: r.DestinationPrefixListId ?? '',
        gateway_id: r.GatewayId ?? '',
        nat_gateway_id: r.NatGatewayId ?? '',
        network_interface_id: r.NetworkInterfaceId ?? '',
        transit_gateway_id: r.TransitGatewayId ?? '',
        vpc_peering_connection_id: r.VpcPeeringConnectionId ?? '',
      }));
    add('aws_route_table', t.RouteTableId!, { id: t.RouteTableId, vpc_id: t.VpcId, route: routes });
    for (const a of list(t.Associations)) {
      if (a.Main) add('aws_main_route_table_association', a.RouteTableAssociationId ?? `${t.VpcId}-main`, { id: a.RouteTableAssociationId, vpc_id: t.VpcId, route_table_id: t.RouteTableId });
      else if (a.SubnetId) add('aws_route_table_association', a.RouteTableAssociationId ?? `${a.SubnetId}-${t.RouteTableId}`, { id: a.RouteTableAssociationId, subnet_id: a.SubnetId, route_table_id: t.RouteTableId, gateway_id: null });
    }
  }

  for (const e of account.endpoints) {
    const prefixList = account.prefixLists.find((p) => p.PrefixListName === e.ServiceName);
    add('aws_vpc_endpoint', e.VpcEndpointId!, {
      id: e.VpcEndpointId,
      vpc_id: e.VpcId,
      service_name: e.ServiceName,
      vpc_endpoint_type: e.VpcEndpointType ?? 'Gateway',
      route_table_ids: list(e.RouteTableIds),
      policy: e.PolicyDocument ?? null,
      prefix_list_id: prefixList?.PrefixListId ?? null,
      cidr_blocks: list(prefixList?.Cidrs),
      state: e.State ?? null,
    });
  }

  for (const g of account.securityGroups) {
    add('aws_security_group', g.GroupId!, { id: g.GroupId, name: g.GroupName ?? null, vpc_id: g.VpcId ?? null, egress: rules(g.IpPermissionsEgress), ingress: rules(g.IpPermissions) });
  }

  for (const { role, inline, attached } of account.roles) {
    const roleName = role.RoleName!;
    add('aws_iam_role', roleName, {
      id: roleName,
      name: roleName,
      arn: role.Arn,
      assume_role_policy: role.AssumeRolePolicyDocument ? decodeURIComponent(role.AssumeRolePolicyDocument) : null,
      inline_policy: [],
      managed_policy_arns: null,
    });
    for (const p of inline) add('aws_iam_role_policy', `${roleName}:${p.name}`, { id: `${roleName}:${p.name}`, name: p.name, role: roleName, policy: p.document });
    for (const p of attached) {
      add('aws_iam_role_policy_attachment', `${roleName}/${p.arn}`, { id: `${roleName}-${p.name}`, role: roleName, policy_arn: p.arn });
      if (p.document !== undefined && !resources.some((r) => r.type === 'aws_iam_policy' && r.values.arn === p.arn)) add('aws_iam_policy', p.arn, { id: p.arn, arn: p.arn, name: p.name, policy: p.document });
    }
  }

  for (const acl of account.networkAcls) {
    const entries = (egress: boolean) =>
      list(acl.Entries)
        // The last rule (32767, deny all) is implicit in Terraform's state too.
        .filter((e) => e.Egress === egress && e.RuleNumber !== 32767)
        .map((e) => ({ rule_no: e.RuleNumber, action: e.RuleAction, protocol: e.Protocol ?? '-1', cidr_block: e.CidrBlock ?? '', ipv6_cidr_block: e.Ipv6CidrBlock ?? '', from_port: e.PortRange?.From ?? 0, to_port: e.PortRange?.To ?? 0, icmp_code: 0, icmp_type: 0 }));
    add('aws_network_acl', acl.NetworkAclId!, {
      id: acl.NetworkAclId,
      vpc_id: acl.VpcId,
      subnet_ids: list(acl.Associations).map((a) => a.SubnetId).filter(Boolean),
      egress: entries(true),
      ingress: entries(false),
    });
  }

  for (const n of account.natGateways) {
    if (n.State === 'deleted' || n.State === 'failed') continue;
    const address = list(n.NatGatewayAddresses)[0];
    add('aws_nat_gateway', n.NatGatewayId!, { id: n.NatGatewayId, subnet_id: n.SubnetId, vpc_id: n.VpcId, connectivity_type: n.ConnectivityType ?? 'public', allocation_id: address?.AllocationId ?? null, network_interface_id: address?.NetworkInterfaceId ?? null, state: n.State ?? null });
  }

  for (const f of account.flowLogs) {
    const id = f.ResourceId ?? '';
    add('aws_flow_log', f.FlowLogId!, {
      id: f.FlowLogId,
      vpc_id: id.startsWith('vpc-') ? id : null,
      subnet_id: id.startsWith('subnet-') ? id : null,
      eni_id: id.startsWith('eni-') ? id : null,
      traffic_type: f.TrafficType ?? null,
      log_destination_type: f.LogDestinationType ?? 'cloud-watch-logs',
      log_destination: f.LogDestination ?? null,
      log_group_name: f.LogGroupName ?? null,
      log_format: f.LogFormat ?? null,
    });
  }

  for (const t of account.tables) {
    const policy = t.TableArn ? account.tablePolicies[t.TableArn] : undefined;
    if (policy) add('aws_dynamodb_resource_policy', t.TableArn!, { id: t.TableArn, resource_arn: t.TableArn, policy });
    add('aws_dynamodb_table', t.TableName!, { id: t.TableName, name: t.TableName, arn: t.TableArn, billing_mode: t.BillingModeSummary?.BillingMode ?? 'PROVISIONED', hash_key: list(t.KeySchema).find((k) => k.KeyType === 'HASH')?.AttributeName ?? null });
  }

  return { format_version: '1.0', values: { root_module: { resources } } } as unknown as StateInput;
}
