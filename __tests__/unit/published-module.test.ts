import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inputRows, ModuleJson, outputRows } from '../../modules/stacks/module/module-docs';
import { publishedModule, synthModule, TerraformJson, testBundles } from '../support/synth';
import { ZIP_ENTRY_DATE, zipFolderSync } from '../../modules/private/reproducible-zip';
import { MODULE_REQUIRED_AWS_PROVIDER } from '../../modules/stacks/module/module-stack';

let dir: string;
let moduleJson: TerraformJson & ModuleJson;
let readme: string;

beforeAll(async () => {
  dir = await publishedModule();
  // The same stack the published .tf files are printed from, as JSON.
  moduleJson = synthModule() as TerraformJson & ModuleJson;
  readme = readFileSync(join(dir, 'README.md'), 'utf8');
}, 60000);

/** Rows of the markdown table under a `## heading`, as cells. */
function tableUnder(heading: string): string[][] {
  const section = readme.split(`## ${heading}\n`)[1].split('\n## ')[0].split('<!-- END_TF_DOCS -->')[0];
  return section
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .slice(2) // header and separator
    .map((line) => line.slice(1, -1).split(/(?<!\\)\|/).map((cell) => cell.trim()));
}

test('registry layout: the standard .tf files (no .tf.json), README, CHANGELOG, VERSION, the four examples, the two demo zips at fixed paths', () => {
  for (const file of ['README.md', 'CHANGELOG.md', 'UPGRADING.md', 'LICENSE', 'VERSION']) expect([file, existsSync(join(dir, file))]).toEqual([file, true]);
  expect(readdirSync(dir).filter((f) => f.endsWith('.tf') || f.endsWith('.tf.json')).sort()).toEqual(
    ['database.tf', 'endpoint.tf', 'flow-logs.tf', 'functions.tf', 'locals.tf', 'moved.tf', 'nat.tf', 'network.tf', 'outputs.tf', 'tables.tf', 'variables.tf', 'versions.tf'],
  );
  expect(readFileSync(join(dir, 'versions.tf'), 'utf8')).toContain('required_providers {');
  expect(readFileSync(join(dir, 'network.tf'), 'utf8')).toContain('resource "aws_vpc" "this" {');
  // The deliberate differences from the scanners first (Checkov reads its skips inside the block), then for_each.
  expect(readFileSync(join(dir, 'functions.tf'), 'utf8')).toMatch(/#trivy:ignore:AVD-AWS-0066\nresource "aws_lambda_function" "function" \{\n(  #checkov:skip=CKV_AWS_\d+:[^\n]+\n(  # {3}[^\n]+\n)*)+  for_each = var.functions/);
  expect(readFileSync(join(dir, 'variables.tf'), 'utf8')).toContain('variable "existing_vpc_id" {');
  // A state made by 0.2.x (construct-path addresses) moves to the readable names, no replacement.
  expect(readFileSync(join(dir, 'moved.tf'), 'utf8')).toContain('moved {\n  from = aws_vpc.system_network_vpc\n  to   = aws_vpc.this\n}');
  // And 0.1.0's built-in tables and functions to the map entries under their keys (module-upgrade.test.ts plans it).
  expect(readFileSync(join(dir, 'moved.tf'), 'utf8')).toContain('moved {\n  from = aws_dynamodb_table.system_tables_products[0]\n  to   = aws_dynamodb_table.table["products"]\n}');
  expect(readFileSync(join(dir, 'moved.tf'), 'utf8')).toContain('moved {\n  from = aws_lambda_function.system_user_activity_function\n  to   = aws_lambda_function.function["user-activity"]\n}');
  expect(readdirSync(join(dir, 'examples')).sort()).toEqual(['complete', 'existing-vpc', 'seed-system', 'with-nat']);
  for (const example of readdirSync(join(dir, 'examples'))) {
    expect([example, readdirSync(join(dir, 'examples', example)).sort()]).toEqual([example, ['README.md', 'main.tf', 'outputs.tf', 'versions.tf']]);
    // The examples admit the same provider versions as the module.
    expect([example, readFileSync(join(dir, 'examples', example, 'versions.tf'), 'utf8').includes(`version = "${MODULE_REQUIRED_AWS_PROVIDER}"`)]).toEqual([example, true]);
  }
  expect(readdirSync(join(dir, 'assets')).sort()).toEqual(['products.zip', 'user-activity.zip']);
  // The module runs the caller's code; only the examples name the demo zips.
  expect(JSON.stringify(moduleJson)).not.toContain('assets/');
  expect(readFileSync(join(dir, 'examples', 'seed-system', 'main.tf'), 'utf8')).toContain('${path.module}/../../assets/products.zip');
});

/**
 * Whether a line over the width is one string that cannot be split: a quoted string or template
 * (maybe after `key =`, maybe with a trailing comma) whose interpolations hold no `for`
 * expression, the only thing the printer leaves long.
 */
function isOneString(line: string): boolean {
  const m = /^\s*(?:(?:[A-Za-z_][\w-]*|"[^"]*")\s*=\s*)?("(?:[^"\\$]|\\.|\$(?!\{)|\$\{(?:[^{}"]|"[^"]*")*\})*")\s*,?$/.exec(line);
  return m !== null && !/\$\{[^}]*\bfor\s/.test(m[1]);
}

test('every .tf line is at most 120 characters, but for a string that cannot be split', () => {
  const long: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.tf'))) {
    readFileSync(join(dir, file), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (line.length > 120 && !isOneString(line)) long.push(`${file}:${i + 1} (${line.length}): ${line.slice(0, 80)}...`);
      });
  }
  expect(long).toEqual([]);
  // The rule itself: a string alone passes, code around it or a for expression inside does not.
  expect(isOneString(`    error_message = "${'x'.repeat(130)} \${var.a} \${jsonencode(keys(var.t))}"`)).toBe(true);
  expect(isOneString(`  value = var.a ? "${'x'.repeat(130)}" : null`)).toBe(false);
  expect(isOneString(`  value = "\${join(", ", [for x in var.xs : x])}${'x'.repeat(130)}"`)).toBe(false);
});

test('variables.tf: every object type one attribute a line, as a person writes it', () => {
  const variables = readFileSync(join(dir, 'variables.tf'), 'utf8');
  const types = [...variables.matchAll(/^  type += (.*(?:\n(?!  [a-z_]+ += |  validation|\}).*)*)/gm)].map((m) => m[1]);
  const objectTypes = types.filter((t) => t.includes('object({'));
  // tables, functions and existing_database at least
  expect(objectTypes.length).toBeGreaterThanOrEqual(3);
  for (const type of objectTypes) {
    // No line of an object type holds two attributes; a line without one only opens or closes
    // a nested type (`map(object({`, `})),`) or holds an optional() default (`{}`).
    for (const line of type.split('\n').slice(1, -1)) {
      const count = line.match(/ = /g)?.length ?? 0;
      expect([line, count <= 1 && (count === 1 || /^\s*([\w(]*\(\{|\}\)+,?|\)+,?|\{\},?|\[\],?)$/.test(line))]).toEqual([line, true]);
    }
    expect(type.split('\n')[0]).toMatch(/object\(\{$/);
  }
  const functions = objectTypes.find((t) => t.includes('table_access'))!;
  expect(functions.split('\n').length).toBeGreaterThan(20);
});

test('the demo zips are reproducible: same bytes on every write, one fixed entry time', async () => {
  const again = mkdtempSync(join(tmpdir(), 'vld-zip-'));
  writeFileSync(join(again, 'products.zip'), zipFolderSync(testBundles().products));
  const written = readFileSync(join(dir, 'assets', 'products.zip'));
  expect(readFileSync(join(again, 'products.zip')).equals(written)).toBe(true);
  // The first local file header: signature PK\x03\x04, then DOS time and date at offsets 10 and 12.
  expect(written.readUInt32LE(0)).toBe(0x04034b50);
  const date = written.readUInt16LE(12);
  expect([written.readUInt16LE(10), 1980 + (date >> 9), (date >> 5) & 15, date & 31]).toEqual([0, 1980, 1, 2]);
  expect(ZIP_ENTRY_DATE.getFullYear()).toBe(1980);
});

test('the demo zips are the same bytes in every time zone (no local-time field leaks in)', () => {
  const tsx = join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
  const script = `require('fs').writeFileSync(process.argv[2], require('./modules/private/reproducible-zip').zipFolderSync(process.argv[1]))`;
  const hashes = ['Asia/Tokyo', 'America/New_York'].map((tz) => {
    const out = join(mkdtempSync(join(tmpdir(), 'vld-tz-')), 'p.zip');
    const run = spawnSync(tsx, ['-e', script, testBundles().products, out], { cwd: join(__dirname, '..', '..'), env: { ...process.env, TZ: tz }, encoding: 'utf8' });
    expect([tz, run.status, run.stderr]).toEqual([tz, 0, '']);
    return createHash('sha256').update(readFileSync(out)).digest('hex');
  });
  expect(hashes[0]).toBe(hashes[1]);
  expect(hashes[0]).toBe(createHash('sha256').update(readFileSync(join(dir, 'assets', 'products.zip'))).digest('hex'));
});

test('no provider block and no backend; the aws constraint admits the mirrored 5.100.0 and the 6.x line', () => {
  expect(moduleJson.provider).toBeUndefined();
  const terraform = moduleJson.terraform as { backend?: unknown; required_providers: { aws: { version: string } } };
  expect(terraform.backend).toBeUndefined();
  expect(terraform.required_providers.aws.version).toBe('>= 5.51, < 7.0');
});

test('every validation message starts with the path of the variable it rejects (functions.api.table_access.x: ...)', () => {
  let count = 0;
  for (const [name, v] of Object.entries(moduleJson.variable!)) {
    const rules = (v as { validation?: Array<{ error_message: string }> }).validation ?? [];
    for (const { error_message: message } of rules) {
      // A per-entry message is a join of one message per bad entry: each starts `<name>.${k}`;
      // a format() message starts with its format string.
      const heads = message.startsWith('${format("')
        ? [message.slice('${format("'.length).split(/[ .:]/)[0]]
        : message.startsWith('${')
          ? [...message.matchAll(/ : "([a-z_]+)\./g)].map((m) => m[1])
          : [message.split(/[ .:]/)[0]];
      expect([name, message.slice(0, 60), heads.length > 0 && heads.every((h) => h === name)]).toEqual([name, message.slice(0, 60), true]);
      count += 1;
    }
  }
  expect(count).toBeGreaterThan(50);
});

test('no token left unresolved anywhere (it would plan fine and fail at run time)', () => {
  expect(JSON.stringify(moduleJson)).not.toContain('unresolved-token');
});


test('one resource per map key: tables, and per function a log group, role, policy, group and 443 rule, all for_each', () => {
  const forEachOf = (type: string, name: string) => moduleJson.resource![type][name].for_each;
  // Tables: those without autoscaling, and those whose capacity Auto Scaling owns (ignore_changes).
  expect(forEachOf('aws_dynamodb_table', 'table')).toBe('${local.tables_fixed_capacity}');
  expect(forEachOf('aws_dynamodb_table', 'autoscaled')).toBe('${local.tables_autoscaled}');
  expect(moduleJson.resource!.aws_dynamodb_table.autoscaled.lifecycle).toEqual({ ignore_changes: ['read_capacity', 'write_capacity', 'global_secondary_index'] });
  expect(moduleJson.resource!.aws_dynamodb_table.table.lifecycle).toBeUndefined();
  for (const [type, name] of [
    ['aws_lambda_function', 'function'],
    ['aws_cloudwatch_log_group', 'function_log_group'],
    ['aws_iam_role', 'function_role'],
    ['aws_iam_role_policy', 'function_policy'],
    ['aws_security_group', 'function_security_group'],
    ['aws_vpc_security_group_egress_rule', 'function_dynamodb_https'],
  ]) {
    expect([type, name, forEachOf(type, name)]).toEqual([type, name, '${var.functions}']);
  }
  // Only the functions that ask: 5432 (both ways) and the rds-db:connect policy; 443 anywhere.
  expect(forEachOf('aws_vpc_security_group_egress_rule', 'function_postgres')).toBe('${local.functions_with_database_access}');
  expect(forEachOf('aws_vpc_security_group_ingress_rule', 'database_from_function')).toBe('${local.functions_with_database_access}');
  expect(forEachOf('aws_iam_role_policy', 'function_database_policy')).toBe('${local.functions_with_database_access}');
  expect(forEachOf('aws_vpc_security_group_egress_rule', 'function_internet_https')).toBe('${local.functions_with_internet_egress}');
  const fn = moduleJson.resource!.aws_lambda_function.function;
  expect(fn.source_code_hash).toBe('${each.value.filename != null ? filebase64sha256(each.value.filename) : each.value.source_code_hash}');
  expect(fn.replace_security_groups_on_destroy).toBe(true);
});

test('a role policy\'s only "*" are the ENI statement and, for tracing_mode Active only, X-Ray\'s writes; table statements take each grant\'s actions and table ARN', () => {
  const policy = String(moduleJson.resource!.aws_iam_role_policy.function_policy.policy);
  expect(policy.match(/"Resource":"\*"/g)).toHaveLength(2);
  expect(policy).toContain('"Sid":"ManageFunctionEnis"');
  expect(policy).toContain('each.value.tracing_mode == "Active" ? [{"Sid":"WriteTraces","Effect":"Allow","Action":["xray:PutTraceSegments","xray:PutTelemetryRecords"],"Resource":"*"}] : []');
  expect(policy).toContain('local.function_table_statements[each.key]');
  // One index named: that index only; else the table, and its indexes for Query/Scan only.
  const statements = String((moduleJson as { locals?: Record<string, string> }).locals!.function_table_statements);
  expect(statements).toContain('g.index != null ? [{ Effect = "Allow", Action = g.actions, Resource = ["${g.arn}/index/${g.index}"] }]');
  expect(statements).toContain('concat([{ Effect = "Allow", Action = g.actions, Resource = [g.arn] }], length(g.index_actions) > 0 ? [{ Effect = "Allow", Action = g.index_actions, Resource = ["${g.arn}/index/*"] }] : [])');
  const grants = String((moduleJson as { locals?: Record<string, string> }).locals!.function_table_access);
  expect(grants).toContain('arn = contains(keys(var.tables), split("/index/", t)[0]) ? local.tables_by_key[split("/index/", t)[0]].arn : split("/index/", t)[0]');
  expect(grants).toContain('index = length(split("/index/", t)) == 2 ? split("/index/", t)[1] : null');
  expect(grants).toContain('index_actions = sort(setintersection(actions, ["dynamodb:Query","dynamodb:Scan"]))');
});

test('every variable has a description and type; every output a description; the demo variables are gone', () => {
  for (const [name, v] of Object.entries(moduleJson.variable!)) expect([name, typeof v.description, typeof v.type]).toEqual([name, 'string', 'string']);
  for (const [name, o] of Object.entries(moduleJson.output!)) expect([name, typeof o.description]).toEqual([name, 'string']);
  expect(Object.keys(moduleJson.output!).sort()).toEqual(
    [
      'vpc_id', 'private_subnet_ids', 'private_route_table_ids', 'dynamodb_endpoint_id', 'dynamodb_prefix_list_id', 'nat_gateway_ids', 'public_subnet_ids', 'flow_log_id', 'flow_log_group_name',
      'function_names', 'function_arns', 'function_invoke_arns', 'function_alias_arns', 'function_urls', 'function_role_arns', 'function_role_names', 'lambda_security_group_ids', 'function_log_group_names', 'table_names', 'table_arns', 'table_stream_arns', 'database_endpoint', 'database_security_group_id',
    ].sort(),
  );
  // On/off inputs end in _enabled; the demo system's variables are gone.
  for (const old of ['function_memory_size', 'function_timeout', 'function_architecture', 'function_reserved_concurrency', 'function_log_retention_days', 'function_allow_internet_egress', 'create_tables', 'existing_tables', 'table_deletion_protection']) {
    expect([old, old in moduleJson.variable!]).toEqual([old, false]);
  }
  expect(moduleJson.variable!.database_enabled.default).toBe(false);
  expect(String(moduleJson.variable!.endpoint_policy.description)).toContain('denies all DynamoDB traffic');
});

test('the README inputs and outputs tables are exactly the module\'s variables and outputs, between the terraform-docs markers', () => {
  const docs = readme.split('<!-- BEGIN_TF_DOCS -->')[1].split('<!-- END_TF_DOCS -->')[0];
  expect([docs.includes('## Inputs\n'), docs.includes('## Outputs\n'), docs.includes('## Requirements\n')]).toEqual([true, true, true]);
  expect(tableUnder('Inputs')).toEqual(inputRows(moduleJson));
  expect(tableUnder('Inputs').map((row) => row[0])).toEqual(Object.keys(moduleJson.variable!).sort().map((n) => `\`${n}\``));
  expect(tableUnder('Outputs')).toEqual(outputRows(moduleJson));
  expect(tableUnder('Outputs').map((row) => row[0])).toEqual(Object.keys(moduleJson.output!).sort().map((n) => `\`${n}\``));
});


test('endpoint_policy switches the endpoint policy at plan: the union of the grants (deny-all without any) or AWS default (null)', () => {
  const [endpoint] = Object.values(moduleJson.resource!.aws_vpc_endpoint);
  const policy = String(endpoint.policy);
  expect(policy).toMatch(/^\$\{var\.endpoint_policy == "system-tables" \? \(.*\) : null\}$/);
  expect(policy).toContain('"Sid":"NoTableAccessDeclared","Effect":"Deny","Principal":"*","Action":["dynamodb:*"]');
  expect(policy).toContain('Sid = "SystemTablesOnly", Effect = "Allow", Principal = "*", Action = sort(distinct(flatten([for k, f in var.functions : values(f.table_access)])))');
});

test('the README has a line per object-typed variable pointing to an example', () => {
  for (const name of ['tables', 'functions', 'existing_database']) expect([name, readme.split('\n').some((line) => line.startsWith(`- \`${name}\` is an object`) && line.includes('(#usage)'))]).toEqual([name, true]);
  expect(readme).toContain('table_access = { orders = ["dynamodb:GetItem", "dynamodb:PutItem"] }');
});
