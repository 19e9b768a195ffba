import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inputRows, ModuleJson, outputRows } from '../../modules/stacks/module/module-docs';
import { publishedModule } from '../support/synth';
import { TerraformJson } from '../support/synth';

let dir: string;
let moduleJson: TerraformJson & ModuleJson;
let readme: string;

beforeAll(async () => {
  dir = await publishedModule();
  moduleJson = JSON.parse(readFileSync(join(dir, 'main.tf.json'), 'utf8'));
  readme = readFileSync(join(dir, 'README.md'), 'utf8');
}, 60000);

/** Rows of the markdown table under a `## heading`, as cells. */
function tableUnder(heading: string): string[][] {
  const section = readme.split(`## ${heading}\n`)[1].split('\n## ')[0];
  return section
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .slice(2) // header and separator
    .map((line) => line.slice(1, -1).split(/(?<!\\)\|/).map((cell) => cell.trim()));
}

test('registry layout: main.tf.json, README, CHANGELOG, VERSION, the three examples, the zips', () => {
  for (const file of ['main.tf.json', 'README.md', 'CHANGELOG.md', 'VERSION']) expect([file, existsSync(join(dir, file))]).toEqual([file, true]);
  expect(readdirSync(join(dir, 'examples')).sort()).toEqual(['complete', 'existing-vpc', 'with-nat']);
  for (const fn of Object.values(moduleJson.resource!.aws_lambda_function)) {
    const filename = String(fn.filename);
    expect(filename).toMatch(/^\$\{path\.module\}\/assets\/.+\.zip$/);
    expect(existsSync(join(dir, filename.replace('${path.module}/', '')))).toBe(true);
  }
});

test('no provider block and no backend; the aws constraint admits the mirrored 5.100.0', () => {
  expect(moduleJson.provider).toBeUndefined();
  const terraform = moduleJson.terraform as { backend?: unknown; required_providers: { aws: { version: string } } };
  expect(terraform.backend).toBeUndefined();
  expect(terraform.required_providers.aws.version).toBe('>= 5.51, < 6.0');
});

test('no token left unresolved anywhere (it would plan fine and fail at run time)', () => {
  expect(JSON.stringify(moduleJson)).not.toContain('unresolved-token');
});

test("each role's DynamoDB statement names its table: created, or the existing one chosen at plan", () => {
  const policies = moduleJson.resource!.aws_iam_role_policy;
  const dynamo = (name: string) =>
    (JSON.parse(String(policies[name].policy)) as { Statement: Array<{ Action: string[]; Resource: string[] }> }).Statement.filter((st) => st.Action.some((a) => a.startsWith('dynamodb:')));
  expect(dynamo('system_products_role_policy')).toEqual([
    { Effect: 'Allow', Action: ['dynamodb:PutItem', 'dynamodb:GetItem'], Resource: ['${var.create_tables ? one(aws_dynamodb_table.system_tables_products[*].arn) : local.existing_tables_products_arn}'] },
  ]);
  expect(dynamo('system_user_activity_role_policy')).toEqual([
    { Effect: 'Allow', Action: ['dynamodb:PutItem'], Resource: ['${var.create_tables ? one(aws_dynamodb_table.system_tables_user_activity[*].arn) : local.existing_tables_user_activity_arn}'] },
  ]);
});

test('every variable has a description and type; every output a description', () => {
  for (const [name, v] of Object.entries(moduleJson.variable!)) expect([name, typeof v.description, typeof v.type]).toEqual([name, 'string', 'string']);
  for (const [name, o] of Object.entries(moduleJson.output!)) expect([name, typeof o.description]).toEqual([name, 'string']);
  expect(Object.keys(moduleJson.output!)).toEqual(
    expect.arrayContaining(['vpc_id', 'private_subnet_ids', 'private_route_table_ids', 'dynamodb_endpoint_id', 'dynamodb_prefix_list_id', 'nat_gateway_ids', 'flow_log_id', 'flow_log_group_name', 'function_names', 'function_arns', 'function_role_arns', 'lambda_security_group_ids', 'table_names', 'table_arns', 'database_endpoint']),
  );
});

test('the README inputs and outputs tables are exactly the module\'s variables and outputs', () => {
  expect(tableUnder('Inputs')).toEqual(inputRows(moduleJson));
  expect(tableUnder('Inputs').map((row) => row[0])).toEqual(Object.keys(moduleJson.variable!).sort().map((n) => `\`${n}\``));
  expect(tableUnder('Outputs')).toEqual(outputRows(moduleJson));
  expect(tableUnder('Outputs').map((row) => row[0])).toEqual(Object.keys(moduleJson.output!).sort().map((n) => `\`${n}\``));
});

test('endpoint_policy switches the endpoint policy at plan: scoped document or AWS default (null)', () => {
  const [endpoint] = Object.values(moduleJson.resource!.aws_vpc_endpoint);
  expect(String(endpoint.policy)).toMatch(/^\$\{\(var\.endpoint_policy == "system-tables"\) \? jsonencode\(.*"dynamodb:GetItem", "dynamodb:PutItem".*\) : null\}$/);
});
