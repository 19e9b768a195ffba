import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { init, PlanJson, ResourceChange, writeOfflineProvider } from '../../scripts/terraform-offline';
import { planWithoutRefresh, settleState, StateV4 } from '../support/legacy-state';
import { publishedModule } from '../support/synth';
import { describeWithTerraform, expectOk } from '../support/terraform';

/**
 * UPGRADING.md, proven: a root that applied 0.1.0 or 0.2.0 of the module (the fixtures are
 * those releases' own module, __tests__/fixtures/legacy-modules/) switches its call to this
 * module and plans with nothing destroyed or replaced. The state is written from the old
 * module's own plan (support/legacy-state.ts) and settled until the old configuration plans no
 * change against it, i.e. it is what applying the old release left, up to fake ids.
 */
const LEGACY = resolve(__dirname, '..', 'fixtures', 'legacy-modules');
const ZONES = ['us-east-1a', 'us-east-1b'];

/** A 0.1.0 call with every resource it could make: tables, both functions with internet egress, the database, NAT, flow logs. */
const CALL_0_1 = {
  name_prefix: 'orders-dev',
  availability_zones: ZONES,
  nat_mode: 'single',
  function_allow_internet_egress: true,
  database_enabled: true,
  account_id: '123456789012',
};

/** What 0.1.0 built in, written through the maps interface as UPGRADING.md says: the same keys, names and grants. */
function callAfter01(build: string): Record<string, unknown> {
  return {
    name_prefix: 'orders-dev',
    availability_zones: ZONES,
    nat_mode: 'single',
    database_enabled: true,
    account_id: '123456789012',
    tables: {
      products: { hash_key: 'id' },
      'user-activity': { hash_key: 'userId', range_key: 'timestamp' },
    },
    functions: {
      products: {
        filename: `${build}/products.zip`,
        handler: 'index.handler',
        description: 'Puts a product into the products table and reads it back, through the DynamoDB gateway endpoint',
        internet_egress: true,
        table_access: { products: ['dynamodb:PutItem', 'dynamodb:GetItem'] },
      },
      'user-activity': {
        filename: `${build}/user-activity.zip`,
        handler: 'index.handler',
        description: 'Reads a user from PostgreSQL and records the activity in DynamoDB',
        internet_egress: true,
        database_access: true,
        table_access: { 'user-activity': ['dynamodb:PutItem'] },
      },
    },
  };
}

/** A 0.2.0 call (examples/seed-system with NAT and one function allowed out): the same call works on this module. */
function call02(build: string): Record<string, unknown> {
  return {
    name_prefix: 'orders-dev',
    availability_zones: ZONES,
    nat_mode: 'single',
    database_enabled: true,
    account_id: '123456789012',
    tables: {
      products: { hash_key: 'id' },
      'user-activity': { hash_key: 'userId', range_key: 'timestamp', ttl_attribute: 'expiresAt' },
    },
    functions: {
      products: { filename: `${build}/products.zip`, handler: 'index.handler', internet_egress: true, table_access: { products: ['dynamodb:PutItem', 'dynamodb:GetItem'] } },
      'user-activity': { filename: `${build}/user-activity.zip`, handler: 'index.handler', database_access: true, table_access: { 'user-activity': ['dynamodb:PutItem', 'dynamodb:GetItem'] } },
    },
  };
}

interface UpgradeCase {
  readonly from: '0.1.0' | '0.2.0';
  readonly oldCall: (build: string) => Record<string, unknown>;
  readonly newCall: (build: string) => Record<string, unknown>;
  /** Resources of the 0.1/0.2 state that must arrive as the same objects: address before → address now. */
  readonly kept: Record<string, string>;
  /** What the plan creates: resources this version added (UPGRADING.md lists them). */
  readonly created: string[];
  /** What the plan changes in place (UPGRADING.md says why). */
  readonly updated: string[];
}

const m = (address: string) => `module.system.${address}`;
// The S3 gateway endpoint (issue 20): on by default for a created VPC, nothing to move.
const NEW_SINCE_0_2 = [m('aws_cloudwatch_log_group.database_postgresql[0]'), m('aws_cloudwatch_log_group.database_upgrade[0]'), m('aws_vpc_endpoint.s3[0]')];
const UPDATED = [m('aws_db_instance.this[0]'), m('aws_lambda_function.function["products"]'), m('aws_lambda_function.function["user-activity"]')];

const CASES: UpgradeCase[] = [
  {
    from: '0.1.0',
    oldCall: () => CALL_0_1,
    newCall: callAfter01,
    kept: {
      [m('aws_dynamodb_table.system_tables_products[0]')]: m('aws_dynamodb_table.table["products"]'),
      [m('aws_dynamodb_table.system_tables_user_activity[0]')]: m('aws_dynamodb_table.table["user-activity"]'),
      [m('aws_lambda_function.system_products_function')]: m('aws_lambda_function.function["products"]'),
      [m('aws_lambda_function.system_user_activity_function')]: m('aws_lambda_function.function["user-activity"]'),
      [m('aws_iam_role.system_products_role')]: m('aws_iam_role.function_role["products"]'),
      [m('aws_iam_role.system_user_activity_role')]: m('aws_iam_role.function_role["user-activity"]'),
      [m('aws_iam_role_policy.system_user_activity_user_activity_connect_database[0]')]: m('aws_iam_role_policy.function_database_policy["user-activity"]'),
      [m('aws_security_group.system_products_security_group_security_group')]: m('aws_security_group.function_security_group["products"]'),
      [m('aws_security_group.system_user_activity_security_group_security_group')]: m('aws_security_group.function_security_group["user-activity"]'),
      [m('aws_vpc_security_group_egress_rule.system_user_activity_security_group_postgres_database[0]')]: m('aws_vpc_security_group_egress_rule.function_postgres["user-activity"]'),
      [m('aws_cloudwatch_log_group.system_products_log_group')]: m('aws_cloudwatch_log_group.function_log_group["products"]'),
      [m('aws_vpc.system_network_vpc[0]')]: m('aws_vpc.this[0]'),
      [m('aws_db_instance.system_database_instance[0]')]: m('aws_db_instance.this[0]'),
      [m('aws_security_group.system_database_security_group[0]')]: m('aws_security_group.database[0]'),
    },
    // 0.2 added the record of each function's tables (terraform_data: no AWS object).
    created: [...NEW_SINCE_0_2, m('terraform_data.function_table_names["products"]'), m('terraform_data.function_table_names["user-activity"]')],
    updated: UPDATED,
  },
  {
    from: '0.2.0',
    oldCall: call02,
    newCall: call02,
    kept: {
      [m('aws_dynamodb_table.table["products"]')]: m('aws_dynamodb_table.table["products"]'),
      [m('aws_lambda_function.function["user-activity"]')]: m('aws_lambda_function.function["user-activity"]'),
      [m('aws_iam_role.function_role["products"]')]: m('aws_iam_role.function_role["products"]'),
      [m('aws_security_group.function_security_group["products"]')]: m('aws_security_group.function_security_group["products"]'),
      [m('aws_vpc.system_network_vpc[0]')]: m('aws_vpc.this[0]'),
      [m('aws_subnet.system_network_private[1]')]: m('aws_subnet.private[1]'),
      [m('aws_nat_gateway.system_nat_nat_gateway[0]')]: m('aws_nat_gateway.this[0]'),
      [m('aws_vpc_endpoint.system_dynamodb_endpoint')]: m('aws_vpc_endpoint.dynamodb'),
      [m('aws_db_instance.system_database_instance[0]')]: m('aws_db_instance.this[0]'),
    },
    created: NEW_SINCE_0_2,
    updated: UPDATED,
  },
];

/** Every resource instance address in a state file. */
function stateAddresses(state: StateV4): string[] {
  return state.resources.flatMap((r) =>
    r.instances.map((i) => `${r.module ? `${r.module}.` : ''}${r.type}.${r.name}${i.index_key === undefined ? '' : typeof i.index_key === 'number' ? `[${i.index_key}]` : `["${i.index_key}"]`}`),
  );
}

const actionsOf = (c: ResourceChange) => c.change.actions.join(',');

describeWithTerraform('upgrading the module: a state made by 0.1.0 or 0.2.0 plans against this one with nothing destroyed', (tool) => {
  let moduleDir: string;
  beforeAll(async () => {
    moduleDir = await publishedModule();
  });

  /** A root calling `source` as `module.system`, with the demo zips under build/ and an offline provider; initialized. */
  function root(source: string, args: Record<string, unknown>): string {
    const dir = mkdtempSync(join(tmpdir(), 'vld-upgrade-'));
    writeOfflineProvider(dir);
    mkdirSync(join(dir, 'build'));
    for (const zip of ['products.zip', 'user-activity.zip']) copyFileSync(join(moduleDir, 'assets', zip), join(dir, 'build', zip));
    writeFileSync(join(dir, 'main.tf.json'), JSON.stringify({ module: { system: { source, ...args } } }, null, 2));
    expectOk(init(tool(), dir), `terraform init (${source})`);
    return dir;
  }

  test.each(CASES)(
    'from $from: every old resource arrives under its address now, 0 to destroy, and the plan creates and changes only what UPGRADING.md lists',
    (c) => {
      // The old release, applied: its plan, then a state the old configuration has nothing to change against.
      const old = root(join(LEGACY, c.from), c.oldCall('${path.module}/build'));
      const planned = planWithoutRefresh(tool(), old);
      expectOk(planned, `plan of the ${c.from} module`);
      const state = settleState(tool(), old, planned.plan!);
      const before = stateAddresses(state);
      for (const address of Object.keys(c.kept)) expect([c.from, address, before.includes(address)]).toEqual([c.from, address, true]);

      // The same root on this module, with that state.
      const now = root(moduleDir, c.newCall('${path.module}/build'));
      writeFileSync(join(now, 'terraform.tfstate'), readFileSync(join(old, 'terraform.tfstate')));
      const upgraded = planWithoutRefresh(tool(), now);
      expectOk(upgraded, `plan of this module against the ${c.from} state`);
      const plan: PlanJson = upgraded.plan!;
      const changes = plan.resource_changes ?? [];

      // The line a user reads, then what would go, by address.
      expect(/^Plan: .*$/m.exec(upgraded.stdout)?.[0]).toMatch(/^Plan: \d+ to add, \d+ to change, 0 to destroy\.$/);
      expect(changes.filter((ch) => ch.change.actions.includes('delete')).map((ch) => `${ch.address} ${actionsOf(ch)}`)).toEqual([]);

      // Each old object is accounted for: moved (previous_address) or at the same address, never left behind.
      const byPrevious = new Map(changes.map((ch) => [(ch as ResourceChange & { previous_address?: string }).previous_address ?? ch.address, ch]));
      const lost = before.filter((address) => !byPrevious.has(address));
      expect(lost).toEqual([]);
      for (const [from, to] of Object.entries(c.kept)) {
        const change = byPrevious.get(from)!;
        expect([from, change.address, ['no-op', 'update'].includes(actionsOf(change))]).toEqual([from, to, true]);
      }

      // What the user sees beyond the moves (UPGRADING.md quotes these lists; change both together).
      const created = changes.filter((ch) => actionsOf(ch) === 'create').map((ch) => ch.address);
      const updated = changes.filter((ch) => actionsOf(ch) === 'update').map((ch) => ch.address);
      expect(created.sort()).toEqual([...c.created].sort());
      expect(updated.sort()).toEqual([...c.updated].sort());
    },
    600000,
  );
});
