/**
 * Checks on a stack a user synthesized with the installed package, read from its
 * cdk.tf.json alone: the function runs in private subnets, its role reaches only the user's
 * table, and the DynamoDB gateway endpoint's policy names that table.
 */
type Block = Record<string, unknown>;
export interface StackJson {
  resource?: Record<string, Record<string, Block>>;
}

interface Statement {
  Effect?: string;
  Action?: string | string[];
  Resource?: string | string[];
}

const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function resources(json: StackJson, type: string): Array<[string, Block]> {
  return Object.entries(json.resource?.[type] ?? {});
}

/** The one resource of a type the user named `key` (by Terraform name or logical id), or the only one there is. */
export function userResource(json: StackJson, type: string, key: string | undefined, nameField: string): [string, Block] {
  const all = resources(json, type);
  if (key) {
    // By Terraform name first ("<prefix>-orders" for key orders): logical ids all start with
    // the construct's id, which may well equal the key, so they come second.
    const wanted = key.toLowerCase().replace(/[^a-z0-9]/g, '');
    const byName = all.filter(([, block]) => String(block[nameField] ?? '').toLowerCase().replace(/[^a-z0-9]/g, '').endsWith(wanted));
    if (byName.length === 1) return byName[0];
    const segment = `_${key.toLowerCase().replace(/[^a-z0-9]+/g, '_')}_`;
    const byId = all.filter(([id]) => `_${id.toLowerCase()}_`.includes(segment));
    if (byId.length === 1) return byId[0];
  }
  if (all.length === 1) return all[0];
  throw new Error(`cannot tell which ${type} is the user's "${key}": ${all.map(([id]) => id).join(', ') || 'none in the stack'}`);
}

/** A policy argument as statements; a `jsonencode(...)` expression cannot be read from JSON output. */
export function statementsOf(policy: unknown, where: string): Statement[] {
  if (typeof policy !== 'string') throw new Error(`${where}: policy is ${JSON.stringify(policy)}, not a JSON document`);
  try {
    return list((JSON.parse(policy) as { Statement?: Statement | Statement[] }).Statement);
  } catch {
    throw new Error(`${where}: policy is not a JSON document: ${policy.slice(0, 200)}`);
  }
}

/** `${aws_dynamodb_table.<id>.arn}` (with or without a count index), optionally with `/index/*`. */
export function tableArnPattern(tableId: string): RegExp {
  return new RegExp(`^\\$\\{aws_dynamodb_table\\.${escape(tableId)}(\\[\\d+\\])?\\.arn\\}(/index/\\*)?$`);
}

/** The function's subnets are the stack's private subnets, one per availability zone at least. */
export function expectPrivateSubnets(json: StackJson, fn: Block, minSubnets: number): string[] {
  const vpcConfig = list(fn.vpc_config as Block | Block[] | undefined)[0];
  if (!vpcConfig) throw new Error('the function has no vpc_config: it does not run in the VPC');
  const subnetIds = list(vpcConfig.subnet_ids as string | string[]);
  const subnets = resources(json, 'aws_subnet');
  const referenced = new Set<string>();
  let count = 0;
  for (const ref of subnetIds) {
    const match = /^\$\{aws_subnet\.([A-Za-z0-9_-]+)(\[(\d+|\*)\])?\.id\}$/.exec(String(ref));
    if (!match) throw new Error(`subnet_ids holds ${JSON.stringify(ref)}, not a reference to a subnet of the stack`);
    const subnet = subnets.find(([id]) => id === match[1]);
    if (!subnet) throw new Error(`subnet_ids refers to aws_subnet.${match[1]}, which the stack does not define`);
    referenced.add(match[1]);
    count += match[2] === '[*]' ? Number(subnet[1].count ?? 1) : 1;
  }
  for (const id of referenced) {
    const [, subnet] = subnets.find(([subnetId]) => subnetId === id)!;
    const name = String((subnet.tags as Record<string, string> | undefined)?.Name ?? '');
    if (subnet.map_public_ip_on_launch === true) throw new Error(`aws_subnet.${id} gives public IPs: not a private subnet`);
    if (!/private/i.test(id) && !/private/i.test(name)) throw new Error(`aws_subnet.${id} (Name ${name}) is not one of the private subnets`);
  }
  if (count < minSubnets) throw new Error(`the function runs in ${count} subnet(s), fewer than the ${minSubnets} availability zones`);
  return [...referenced];
}

/** The DynamoDB statements of the function's role (inline role policies and aws_iam_role_policy). */
export function roleDynamoDbStatements(json: StackJson, fn: Block): Statement[] {
  const roleId = /^\$\{aws_iam_role\.([A-Za-z0-9_-]+)(\[\d+\])?\.arn\}$/.exec(String(fn.role))?.[1];
  if (!roleId) throw new Error(`the function's role is ${JSON.stringify(fn.role)}, not a role of the stack`);
  const statements: Statement[] = [];
  const role = resources(json, 'aws_iam_role').find(([id]) => id === roleId);
  if (!role) throw new Error(`the function's role aws_iam_role.${roleId} is not in the stack`);
  for (const inline of list(role[1].inline_policy as Block | Block[] | undefined)) statements.push(...statementsOf(inline.policy, `aws_iam_role.${roleId} inline policy`));
  const ofRole = new RegExp(`^\\$\\{aws_iam_role\\.${escape(roleId)}(\\[\\d+\\])?\\.(id|name)\\}$`);
  for (const [id, policy] of resources(json, 'aws_iam_role_policy')) {
    if (ofRole.test(String(policy.role))) statements.push(...statementsOf(policy.policy, `aws_iam_role_policy.${id}`));
  }
  return statements.filter((statement) => list(statement.Action).some((action) => /^dynamodb:/i.test(action)));
}

/** The DynamoDB gateway endpoint's policy statements. */
export function endpointStatements(json: StackJson): Statement[] {
  const endpoints = resources(json, 'aws_vpc_endpoint').filter(([, block]) => /dynamodb/.test(String(block.service_name)));
  if (endpoints.length !== 1) throw new Error(`expected one DynamoDB VPC endpoint, found ${endpoints.length}`);
  const [id, endpoint] = endpoints[0];
  if (endpoint.vpc_endpoint_type !== undefined && endpoint.vpc_endpoint_type !== 'Gateway') throw new Error(`aws_vpc_endpoint.${id} is not a gateway endpoint`);
  return statementsOf(endpoint.policy, `aws_vpc_endpoint.${id}`);
}

export const actionsOf = (statements: Statement[]): string[] => [...new Set(statements.flatMap((s) => list(s.Action)))].sort();
export const resourcesOfStatements = (statements: Statement[]): string[] => [...new Set(statements.flatMap((s) => list(s.Resource)))];
export const effectsOf = (statements: Statement[]): string[] => [...new Set(statements.map((s) => s.Effect ?? 'Allow'))];
