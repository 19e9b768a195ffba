/**
 * `moved` blocks for the resources 0.1.0 made with fixed names, to the instances of the maps
 * interface (0.2.0 onwards) that hold the same objects.
 *
 * 0.1.0 had two built-in functions, `products` and `user-activity`, and their two tables,
 * each resource at a construct-path address (`aws_lambda_function.system_products_function`,
 * `aws_dynamodb_table.system_tables_products[0]`). From 0.2.0 a function or table is an
 * instance keyed by the caller's key (`aws_lambda_function.function["products"]`), so a 0.1
 * state lands on those instances when the caller keeps the 0.1 names as keys: `products` and
 * `user-activity` in `tables` and in `functions` (UPGRADING.md). Under other keys, or without
 * those entries, Terraform plans the move and then the destroy, as it would have without it.
 *
 * The network, NAT, endpoint, flow-log and database resources kept their 0.1 addresses in
 * 0.2; their moves to readable names are MODULE_RENAMES (module-stack.ts), which cover a 0.1
 * state too. Data sources hold no state and need none.
 */

/** 0.1.0's built-in functions: the address part of the construct id, and the key it is under from 0.2. */
const FUNCTIONS_0_1 = [
  { id: 'products', key: 'products' },
  { id: 'user_activity', key: 'user-activity' },
] as const;

/** 0.1.0's tables (count = create_tables ? 1 : 0), and their keys from 0.2. */
const TABLES_0_1 = [
  { id: 'products', key: 'products' },
  { id: 'user_activity', key: 'user-activity' },
] as const;

/** One `moved` block: 0.1 address → address now. */
export interface ModuleMove {
  readonly from: string;
  readonly to: string;
}

/** The moves from 0.1.0's function and table addresses (list order: by function, then tables). */
export function movesFrom01(): ModuleMove[] {
  const moves: ModuleMove[] = [];
  for (const { id, key } of FUNCTIONS_0_1) {
    const k = `["${key}"]`;
    moves.push(
      { from: `aws_cloudwatch_log_group.system_${id}_log_group`, to: `aws_cloudwatch_log_group.function_log_group${k}` },
      { from: `aws_iam_role.system_${id}_role`, to: `aws_iam_role.function_role${k}` },
      { from: `aws_iam_role_policy.system_${id}_role_policy`, to: `aws_iam_role_policy.function_policy${k}` },
      { from: `aws_security_group.system_${id}_security_group_security_group`, to: `aws_security_group.function_security_group${k}` },
      { from: `aws_vpc_security_group_egress_rule.system_${id}_security_group_dynamodb_https`, to: `aws_vpc_security_group_egress_rule.function_dynamodb_https${k}` },
      // count = function_allow_internet_egress ? 1 : 0
      { from: `aws_vpc_security_group_egress_rule.system_${id}_security_group_internet_https[0]`, to: `aws_vpc_security_group_egress_rule.function_internet_https${k}` },
      { from: `aws_lambda_function.system_${id}_function`, to: `aws_lambda_function.function${k}` },
    );
  }
  // Only user-activity reached the database (count = database in use ? 1 : 0).
  const ua = '["user-activity"]';
  moves.push(
    { from: 'aws_iam_role_policy.system_user_activity_user_activity_connect_database[0]', to: `aws_iam_role_policy.function_database_policy${ua}` },
    { from: 'aws_vpc_security_group_egress_rule.system_user_activity_security_group_postgres_database[0]', to: `aws_vpc_security_group_egress_rule.function_postgres${ua}` },
    { from: 'aws_vpc_security_group_ingress_rule.system_database_from_user_activity[0]', to: `aws_vpc_security_group_ingress_rule.database_from_function${ua}` },
  );
  for (const { id, key } of TABLES_0_1) moves.push({ from: `aws_dynamodb_table.system_tables_${id}[0]`, to: `aws_dynamodb_table.table["${key}"]` });
  return moves;
}

/** `aws_vpc.this[0]` / `aws_x.y["k"]` → `aws_vpc.this` / `aws_x.y`: the resource a move names. */
export function resourceOf(address: string): string {
  return address.replace(/\[[^\]]*\]$/, '');
}
