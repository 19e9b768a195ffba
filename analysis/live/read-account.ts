/**
 * The read-only calls `verify` makes, starting from each function's configuration: its
 * subnets, their VPCs' route tables (associations incl. Main) and gateway endpoints (with the
 * endpoints' prefix lists), its security groups, its role (inline, attached and managed policy
 * versions) and the DynamoDB tables its environment names. Paginated with the SDK paginators.
 *
 * A call the verifier may not make (AccessDenied, expired credentials, throttled after retries)
 * does not stop the reading: every such call is collected and thrown at the end as one
 * {@link CouldNotLook}, so the message names all the denied actions at once.
 */
import { DescribeTableCommand, GetResourcePolicyCommand, TableDescription } from '@aws-sdk/client-dynamodb';
import {
  FlowLog,
  NatGateway,
  NetworkAcl,
  NetworkInterface,
  paginateDescribeFlowLogs,
  paginateDescribeNatGateways,
  paginateDescribeNetworkAcls,
  paginateDescribeNetworkInterfaces,
  DescribePrefixListsCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  paginateDescribeRouteTables,
  paginateDescribeVpcEndpoints,
  PrefixList,
  RouteTable,
  SecurityGroup,
  Subnet,
  VpcEndpoint,
} from '@aws-sdk/client-ec2';
import { GetPolicyCommand, GetPolicyVersionCommand, GetRoleCommand, GetRolePolicyCommand, paginateListAttachedRolePolicies, paginateListRolePolicies, Role } from '@aws-sdk/client-iam';
import { FunctionConfiguration, GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { LiveClients } from './clients';
import { CouldNotLook, couldNotLookReason, errorCode, LiveInputError } from './errors';

/** What the account answered, in the SDK's own shapes. */
export interface LiveAccount {
  readonly region: string;
  readonly functions: FunctionConfiguration[];
  readonly subnets: Subnet[];
  readonly routeTables: RouteTable[];
  readonly endpoints: VpcEndpoint[];
  readonly prefixLists: PrefixList[];
  readonly securityGroups: SecurityGroup[];
  readonly roles: Array<{ role: Role; inline: Array<{ name: string; document: string }>; attached: Array<{ arn: string; name: string; document?: string }> }>;
  readonly tables: TableDescription[];
  /** Each table's resource policy document, by table ARN (absent: the table has none). */
  readonly tablePolicies: Record<string, string>;
  readonly networkAcls: NetworkAcl[];
  /** Lambda's network interfaces (type `lambda`) in the functions' VPCs. */
  readonly lambdaInterfaces: NetworkInterface[];
  readonly natGateways: NatGateway[];
  readonly flowLogs: FlowLog[];
}

/** A table name DynamoDB accepts (3-255 of `[A-Za-z0-9_.-]`) or a table ARN. */
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
const TABLE_ARN = /^arn:aws[\w-]*:dynamodb:[\w-]+:\d{12}:table\/([A-Za-z0-9_.-]{3,255})$/;

/** Reads everything the model needs for these functions. */
export async function readAccount(clients: LiveClients, functionNames: readonly string[]): Promise<LiveAccount> {
  const problems: Array<{ action: string; reason: string }> = [];
  /** Runs one call; a could-not-look error is recorded and gives undefined, anything else throws. */
  const call = async <T>(action: string, run: () => Promise<T>, notFound?: () => T | undefined): Promise<T | undefined> => {
    try {
      return await run();
    } catch (error) {
      const reason = couldNotLookReason(error);
      if (reason) {
        if (!problems.some((p) => p.action === action)) problems.push({ action, reason });
        return undefined;
      }
      if (notFound && /NotFound|NoSuchEntity|^Invalid[A-Za-z]*\.NotFound$|^PolicyNotFound/.test(errorCode(error) ?? '')) return notFound();
      throw error;
    }
  };
  const all = async <T>(pages: AsyncIterable<T>): Promise<T[]> => {
    const out: T[] = [];
    for await (const page of pages) out.push(page);
    return out;
  };
  /** Every page of a paginated call, `pick`ed and joined; a could-not-look call gives none (and is recorded). */
  const fromPages = async <P, T>(action: string, pages: () => AsyncIterable<P>, pick: (page: P) => T[] | undefined): Promise<T[]> =>
    ((await call(action, () => all(pages())))?.flatMap((p) => pick(p) ?? []) ?? []);

  const functions: FunctionConfiguration[] = [];
  for (const name of functionNames) {
    const fn = await call('lambda:GetFunctionConfiguration', () => clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name })), () => {
      throw new LiveInputError(`--function: no function "${name}" in ${clients.region}`);
    });
    // A function given by name and by ARN is one function.
    if (fn && !functions.some((f) => f.FunctionArn === fn.FunctionArn)) functions.push(fn);
  }

  const subnetIds = [...new Set(functions.flatMap((f) => f.VpcConfig?.SubnetIds ?? []))];
  const groupIds = [...new Set(functions.flatMap((f) => f.VpcConfig?.SecurityGroupIds ?? []))];
  const subnets = subnetIds.length === 0 ? [] : ((await call('ec2:DescribeSubnets', () => clients.ec2.send(new DescribeSubnetsCommand({ SubnetIds: subnetIds }))))?.Subnets ?? []);
  const vpcIds = [...new Set([...subnets.map((s) => s.VpcId), ...functions.map((f) => f.VpcConfig?.VpcId)].filter((v): v is string => !!v))];
  const byVpc = vpcIds.length === 0 ? undefined : [{ Name: 'vpc-id', Values: vpcIds }];
  const routeTables = byVpc ? await fromPages('ec2:DescribeRouteTables', () => paginateDescribeRouteTables({ client: clients.ec2 }, { Filters: byVpc }), (p) => p.RouteTables) : [];
  const gatewayFilter = [...(byVpc ?? []), { Name: 'vpc-endpoint-type', Values: ['Gateway'] }];
  const endpoints = byVpc ? await fromPages('ec2:DescribeVpcEndpoints', () => paginateDescribeVpcEndpoints({ client: clients.ec2 }, { Filters: gatewayFilter }), (p) => p.VpcEndpoints) : [];
  const services = [...new Set(endpoints.map((e) => e.ServiceName).filter((s): s is string => !!s))];
  const prefixLists =
    services.length === 0 ? [] : ((await call('ec2:DescribePrefixLists', () => clients.ec2.send(new DescribePrefixListsCommand({ Filters: [{ Name: 'prefix-list-name', Values: services }] }))))?.PrefixLists ?? []);
  const networkAcls = byVpc ? await fromPages('ec2:DescribeNetworkAcls', () => paginateDescribeNetworkAcls({ client: clients.ec2 }, { Filters: byVpc }), (p) => p.NetworkAcls) : [];
  const lambdaInterfaces = byVpc
    ? await fromPages('ec2:DescribeNetworkInterfaces', () => paginateDescribeNetworkInterfaces({ client: clients.ec2 }, { Filters: [...byVpc, { Name: 'interface-type', Values: ['lambda'] }] }), (p) => p.NetworkInterfaces)
    : [];
  const natGateways = byVpc ? await fromPages('ec2:DescribeNatGateways', () => paginateDescribeNatGateways({ client: clients.ec2 }, { Filter: byVpc }), (p) => p.NatGateways) : [];
  const flowLogs = vpcIds.length > 0 ? await fromPages('ec2:DescribeFlowLogs', () => paginateDescribeFlowLogs({ client: clients.ec2 }, { Filter: [{ Name: 'resource-id', Values: [...vpcIds, ...subnetIds] }] }), (p) => p.FlowLogs) : [];
  const describeGroups = async (ids: string[]) =>
    ids.length === 0 ? [] : ((await call('ec2:DescribeSecurityGroups', () => clients.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ids })), () => undefined))?.SecurityGroups ?? []);
  const functionGroups = await describeGroups(groupIds);
  // The groups the functions' rules name in their own account (a database's): their ingress decides whether it admits the function.
  const named = [
    ...new Set(
      functionGroups.flatMap((g) => [...(g.IpPermissionsEgress ?? []), ...(g.IpPermissions ?? [])].flatMap((p) => (p.UserIdGroupPairs ?? []).filter((u) => !u.UserId || u.UserId === g.OwnerId).map((u) => u.GroupId))),
    ),
  ].filter((id): id is string => !!id && !groupIds.includes(id));
  const securityGroups = [...functionGroups, ...(await describeGroups(named))];

  const roles: LiveAccount['roles'] = [];
  const roleNames = [...new Set(functions.map((f) => f.Role?.split('/').pop()).filter((r): r is string => !!r))];
  for (const roleName of roleNames) {
    const role = (await call('iam:GetRole', () => clients.iam.send(new GetRoleCommand({ RoleName: roleName })), () => undefined))?.Role;
    const policyNames = (await call('iam:ListRolePolicies', () => all(paginateListRolePolicies({ client: clients.iam }, { RoleName: roleName })), () => []))?.flatMap((p) => p.PolicyNames ?? []) ?? [];
    const inline: Array<{ name: string; document: string }> = [];
    for (const policyName of policyNames) {
      const doc = await call('iam:GetRolePolicy', () => clients.iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName })), () => undefined);
      if (doc?.PolicyDocument) inline.push({ name: policyName, document: decodeURIComponent(doc.PolicyDocument) });
    }
    const attachedList = (await call('iam:ListAttachedRolePolicies', () => all(paginateListAttachedRolePolicies({ client: clients.iam }, { RoleName: roleName })), () => []))?.flatMap((p) => p.AttachedPolicies ?? []) ?? [];
    const attached: Array<{ arn: string; name: string; document?: string }> = [];
    for (const a of attachedList) {
      if (!a.PolicyArn) continue;
      const policy = (await call('iam:GetPolicy', () => clients.iam.send(new GetPolicyCommand({ PolicyArn: a.PolicyArn })), () => undefined))?.Policy;
      const version = policy?.DefaultVersionId
        ? (await call('iam:GetPolicyVersion', () => clients.iam.send(new GetPolicyVersionCommand({ PolicyArn: a.PolicyArn, VersionId: policy.DefaultVersionId })), () => undefined))?.PolicyVersion
        : undefined;
      attached.push({ arn: a.PolicyArn, name: a.PolicyName ?? a.PolicyArn.split('/').pop()!, document: version?.Document ? decodeURIComponent(version.Document) : undefined });
    }
    // A role that is gone still goes into the model (with no policies): its function is refused access there.
    roles.push({ role: role ?? { RoleName: roleName, Arn: functions.find((f) => f.Role?.endsWith(`/${roleName}`))?.Role, Path: '/', RoleId: undefined, CreateDate: undefined }, inline, attached });
  }

  const tableNames = new Set<string>();
  for (const f of functions) {
    for (const value of Object.values(f.Environment?.Variables ?? {})) {
      const arn = TABLE_ARN.exec(value);
      if (arn) tableNames.add(arn[1]);
      else if (TABLE_NAME.test(value)) tableNames.add(value);
    }
  }
  const tables: TableDescription[] = [];
  for (const name of tableNames) {
    const t = await call('dynamodb:DescribeTable', () => clients.dynamodb.send(new DescribeTableCommand({ TableName: name })), () => undefined);
    if (t?.Table) tables.push(t.Table);
  }
  const tablePolicies: Record<string, string> = {};
  for (const t of tables) {
    // PolicyNotFoundException: the table has no resource policy, which is the common case.
    const p = await call('dynamodb:GetResourcePolicy', () => clients.dynamodb.send(new GetResourcePolicyCommand({ ResourceArn: t.TableArn })), () => undefined);
    if (p?.Policy && t.TableArn) tablePolicies[t.TableArn] = p.Policy;
  }

  if (problems.length > 0) throw new CouldNotLook(problems);
  return { region: clients.region, functions, subnets, routeTables, endpoints, prefixLists, securityGroups, roles, tables, tablePolicies, networkAcls, lambdaInterfaces, natGateways, flowLogs };
}

/** A function's Lambda network interfaces: in one of its subnets, with exactly its security groups (Lambda makes one per subnet and group set). */
export function functionInterfaces(account: Pick<LiveAccount, 'lambdaInterfaces'>, fn: FunctionConfiguration): NetworkInterface[] {
  const groups = [...(fn.VpcConfig?.SecurityGroupIds ?? [])].sort().join();
  const subnets = fn.VpcConfig?.SubnetIds ?? [];
  return account.lambdaInterfaces.filter((n) => subnets.includes(n.SubnetId ?? '') && (n.Groups ?? []).map((g) => g.GroupId ?? '').sort().join() === groups);
}
