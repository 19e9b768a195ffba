import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeReachability } from '../../analysis/reachability';
import { readModuleSource, referencesOf } from '../../analysis/hcl-source';
import { graphFromPlan, graphFromStack, PlanInput } from '../../analysis/terraform-graph';
import { blocks, stack } from './fixtures';

/**
 * The resolution model on a small plan written by hand: module instances, var -> the
 * caller's argument, module outputs, each.key/each.value, locals and dynamic blocks from the
 * module's .tf files, and what stays unresolved without them. The offline terraform plans of
 * __tests__/terraform/real-world-plans.test.ts prove the same on real plans.
 */

const refs = (...r: string[]) => ({ references: r });
const change = (address: string, type: string, name: string, extra: { module_address?: string; index?: number | string; mode?: string; after?: Record<string, unknown>; after_unknown?: Record<string, unknown> } = {}) => ({
  address,
  module_address: extra.module_address,
  mode: extra.mode ?? 'managed',
  type,
  name,
  index: extra.index,
  change: { actions: [extra.mode === 'data' ? 'read' : 'create'], after: extra.after ?? {}, after_unknown: extra.after_unknown ?? {} },
});

const plan: PlanInput = {
  format_version: '1.2',
  configuration: {
    root_module: {
      resources: [
        { address: 'aws_dynamodb_table.t', mode: 'managed', type: 'aws_dynamodb_table', name: 't', expressions: { name: { constant_value: 'orders' } } },
        { address: 'aws_security_group.fn', mode: 'managed', type: 'aws_security_group', name: 'fn', for_each_expression: refs('local.functions') },
        {
          address: 'aws_vpc_security_group_egress_rule.fn',
          mode: 'managed',
          type: 'aws_vpc_security_group_egress_rule',
          name: 'fn',
          for_each_expression: refs('aws_security_group.fn'),
          expressions: { security_group_id: refs('each.value.id', 'each.value'), prefix_list_id: refs('module.net.prefix_list_id', 'module.net'), ip_protocol: { constant_value: 'tcp' }, from_port: { constant_value: 443 }, to_port: { constant_value: 443 } },
        },
      ],
      module_calls: {
        net: {
          source: './net',
          module: {
            resources: [
              { address: 'aws_subnet.private', mode: 'managed', type: 'aws_subnet', name: 'private', count_expression: { constant_value: 2 } },
              { address: 'aws_route_table.private', mode: 'managed', type: 'aws_route_table', name: 'private' },
              {
                address: 'aws_route_table_association.private',
                mode: 'managed',
                type: 'aws_route_table_association',
                name: 'private',
                expressions: { subnet_id: refs('aws_subnet.private', 'count.index'), route_table_id: refs('local.route_table_id') },
              },
              {
                address: 'aws_vpc_endpoint.dynamodb',
                mode: 'managed',
                type: 'aws_vpc_endpoint',
                name: 'dynamodb',
                expressions: { route_table_ids: refs('local.route_table_ids'), service_name: { constant_value: 'com.amazonaws.us-east-1.dynamodb' }, vpc_endpoint_type: { constant_value: 'Gateway' } },
              },
            ],
            outputs: { subnet_ids: { expression: refs('local.subnet_ids') }, prefix_list_id: { expression: refs('aws_vpc_endpoint.dynamodb.prefix_list_id', 'aws_vpc_endpoint.dynamodb') } },
          },
        },
        fn: {
          source: './fn',
          for_each_expression: refs('local.functions'),
          expressions: { subnet_ids: refs('module.net.subnet_ids', 'module.net'), security_group_ids: refs('aws_security_group.fn', 'each.key'), environment: refs('aws_dynamodb_table.t.name', 'aws_dynamodb_table.t', 'each.key') },
          module: { resources: [{ address: 'aws_lambda_function.this', mode: 'managed', type: 'aws_lambda_function', name: 'this', expressions: { function_name: refs('var.name') } }] },
        },
      },
    },
  },
  resource_changes: [
    change('aws_dynamodb_table.t', 'aws_dynamodb_table', 't', { after: { name: 'orders' } }),
    ...['a', 'b'].map((k) => change(`aws_security_group.fn["${k}"]`, 'aws_security_group', 'fn', { index: k, after_unknown: { id: true } })),
    ...['a', 'b'].map((k) => change(`aws_vpc_security_group_egress_rule.fn["${k}"]`, 'aws_vpc_security_group_egress_rule', 'fn', { index: k, after: { ip_protocol: 'tcp', from_port: 443, to_port: 443 } })),
    ...[0, 1].map((i) => change(`module.net.aws_subnet.private[${i}]`, 'aws_subnet', 'private', { module_address: 'module.net', index: i })),
    change('module.net.aws_route_table.private', 'aws_route_table', 'private', { module_address: 'module.net' }),
    ...[0, 1].map((i) => change(`module.net.aws_route_table_association.private[${i}]`, 'aws_route_table_association', 'private', { module_address: 'module.net', index: i })),
    change('module.net.aws_vpc_endpoint.dynamodb', 'aws_vpc_endpoint', 'dynamodb', { module_address: 'module.net', after: { service_name: 'com.amazonaws.us-east-1.dynamodb', vpc_endpoint_type: 'Gateway' }, after_unknown: { route_table_ids: true } }),
    ...['a', 'b'].map((k) =>
      change(`module.fn["${k}"].aws_lambda_function.this`, 'aws_lambda_function', 'this', {
        module_address: `module.fn["${k}"]`,
        after: { function_name: `fn-${k}`, vpc_config: [{}], environment: [{}] },
        after_unknown: { vpc_config: [{ subnet_ids: true, security_group_ids: true }], environment: [{ variables: true }] },
      }),
    ),
  ],
};

function sources(): string {
  const root = mkdtempSync(join(tmpdir(), 'vld-resolution-'));
  writeFileSync(join(root, 'main.tf'), 'locals {\n  functions = { a = {}, b = {} } # two\n}\n');
  mkdirSync(join(root, 'net'));
  writeFileSync(
    join(root, 'net', 'main.tf'),
    [
      'locals {',
      '  subnet_ids      = aws_subnet.private[*].id',
      '  route_table_id  = aws_route_table.private.id',
      '  route_table_ids = compact([',
      '    local.route_table_id, // the one table',
      '  ])',
      '}',
    ].join('\n'),
  );
  mkdirSync(join(root, 'fn'));
  writeFileSync(
    join(root, 'fn', 'main.tf'),
    [
      'resource "aws_lambda_function" "this" {',
      '  function_name = var.name',
      '  dynamic "vpc_config" {',
      '    for_each = var.subnet_ids == null ? [] : [true]',
      '    content {',
      '      subnet_ids         = var.subnet_ids',
      '      security_group_ids = var.security_group_ids',
      '    }',
      '  }',
      '  dynamic "environment" {',
      '    for_each = length(var.environment) > 0 ? [var.environment] : []',
      '    iterator = env',
      '    content {',
      '      variables = env.value',
      '    }',
      '  }',
      '}',
    ].join('\n'),
  );
  return root;
}

describe('plan resolution across modules', () => {
  const dir = sources();

  test('hcl-source: locals as references, dynamic contents with their iterator replaced by for_each', () => {
    const net = readModuleSource(join(dir, 'net'))!;
    expect(net.locals).toEqual({ subnet_ids: '${aws_subnet.private[*]}', route_table_id: '${aws_route_table.private}', route_table_ids: '${local.route_table_id}' });
    const fn = readModuleSource(join(dir, 'fn'))!;
    expect(fn.dynamics['aws_lambda_function.this']).toEqual({ vpc_config: { subnet_ids: '${var.subnet_ids}', security_group_ids: '${var.security_group_ids}' }, environment: { variables: '${var.environment}' } });
    expect(referencesOf('"${local.name}-${each.key}" == "aws_fake.x"')).toBe('${local.name each.key}');
  });

  test('var -> the caller, module output -> its expression, each.key -> the instance, each.value -> the for_each element', () => {
    const graph = graphFromPlan(plan, { sourceDir: dir });
    const [a, b] = graph.instancesOf('aws_lambda_function');
    expect(a.address).toBe('module.fn["a"].aws_lambda_function.this');
    expect(graph.resolve(a, 'vpc_config.subnet_ids').instances.map((i) => i.address)).toEqual(['module.net.aws_subnet.private[0]', 'module.net.aws_subnet.private[1]']);
    expect(graph.resolve(b, 'vpc_config.security_group_ids').instances.map((i) => i.address)).toEqual(['aws_security_group.fn["b"]']);
    const [ruleA] = graph.instancesOf('aws_vpc_security_group_egress_rule');
    expect(graph.resolve(ruleA, 'security_group_id').instances.map((i) => i.address)).toEqual(['aws_security_group.fn["a"]']);
    expect(graph.resolve(ruleA, 'prefix_list_id').instances.map((i) => i.address)).toEqual(['module.net.aws_vpc_endpoint.dynamodb']);
    const reach = analyzeReachability(graph);
    expect(reach.functions.map((f) => [f.name, f.unverified, f.tables.map((t) => t.table), f.https, f.subnets.map((s) => s.endpointRoute)])).toEqual([
      ['fn-a', [], ['aws_dynamodb_table.t'], 'prefix-list', ['yes', 'yes']],
      ['fn-b', [], ['aws_dynamodb_table.t'], 'prefix-list', ['yes', 'yes']],
    ]);
  });

  test('without the sources: unresolved, named, and the functions unverified', () => {
    const graph = graphFromPlan(plan);
    const [a] = graph.instancesOf('aws_lambda_function');
    expect(graph.resolve(a, 'vpc_config.subnet_ids').unresolved).toEqual(['vpc_config.subnet_ids (computed at apply; its expression is not in the plan)']);
    const [endpoint] = graph.instancesOf('aws_vpc_endpoint');
    expect(graph.resolve(endpoint, 'route_table_ids').unresolved).toEqual(['local.route_table_ids in module.net']);
    const reach = analyzeReachability(graph);
    expect(reach.functions.map((f) => [f.reachable, f.https])).toEqual([
      [false, 'unknown'],
      [false, 'unknown'],
    ]);
    expect(reach.functions[0].unverified).toEqual([
      'subnets: vpc_config.subnet_ids (computed at apply; its expression is not in the plan)',
      'security groups: vpc_config.security_group_ids (computed at apply; its expression is not in the plan)',
      'tables: no reference to a DynamoDB table in its environment or its role\'s policies (pass --link fn-a=<table>)',
    ]);
  });

  test('a planned value known at plan wins over the references of a conditional: an empty route_table_ids is empty', () => {
    const emptied = JSON.parse(JSON.stringify(plan)) as PlanInput;
    const endpoint = emptied.resource_changes!.find((c) => c.type === 'aws_vpc_endpoint')!;
    endpoint.change.after = { ...endpoint.change.after, route_table_ids: [] };
    endpoint.change.after_unknown = {};
    const reach = analyzeReachability(graphFromPlan(emptied, { sourceDir: dir }));
    expect(reach.endpointRouteTables).toEqual([]);
    expect(reach.functions.map((f) => [f.unverified, f.subnets.map((s) => s.endpointRoute)])).toEqual([
      [[], ['no', 'no']],
      [[], ['no', 'no']],
    ]);
  });

  test('a data.aws_prefix_list read at plan (prior_state): its pl- id is the DynamoDB prefix list', () => {
    const withData = JSON.parse(JSON.stringify(plan)) as PlanInput & { configuration: { root_module: { resources: Array<Record<string, unknown>> } } };
    const rule = withData.configuration.root_module.resources.find((r) => r.type === 'aws_vpc_security_group_egress_rule')!;
    (rule.expressions as Record<string, unknown>).prefix_list_id = refs('data.aws_prefix_list.dynamodb.id', 'data.aws_prefix_list.dynamodb');
    withData.configuration.root_module.resources.push({ address: 'data.aws_prefix_list.dynamodb', mode: 'data', type: 'aws_prefix_list', name: 'dynamodb', expressions: { name: { constant_value: 'com.amazonaws.us-east-1.dynamodb' } } });
    withData.prior_state = { values: { root_module: { resources: [{ address: 'data.aws_prefix_list.dynamodb', mode: 'data', type: 'aws_prefix_list', name: 'dynamodb', values: { id: 'pl-02cd2c6b', name: 'com.amazonaws.us-east-1.dynamodb', cidr_blocks: ['52.94.0.0/22'] } }] } } };
    const graph = graphFromPlan(withData, { sourceDir: dir });
    expect(graph.dataOf('aws_prefix_list').map((d) => graph.value(d, 'id'))).toEqual(['pl-02cd2c6b']);
    expect(analyzeReachability(graph).functions.map((f) => f.https)).toEqual(['prefix-list', 'prefix-list']);
  });

  test('--link names a table the configuration does not show', () => {
    const graph = graphFromPlan(plan);
    const reach = analyzeReachability(graph, { links: [{ function: 'fn-a', table: 'orders' }, { function: 'module.fn["b"].aws_lambda_function.this', table: 'existing-table' }] });
    expect(reach.functions.map((f) => f.tables.map((t) => t.table))).toEqual([['aws_dynamodb_table.t'], ['table existing-table']]);
    expect(reach.functions[0].unverified.some((u) => u.startsWith('tables'))).toBe(false);
  });
});

describe('links a function to its table by its role and by --link, in the default stack', () => {
  test("no table in the environment: the role policy's Resource ARN links it; without either it is unverified until --link", () => {
    const json = stack();
    for (const fn of Object.values(blocks(json, 'aws_lambda_function'))) delete (fn as Record<string, unknown>).environment;
    const byRole = analyzeReachability(graphFromStack(json as never));
    expect(byRole.functions.map((f) => [f.unverified, f.tables.length > 0, f.reachable])).toEqual([
      [[], true, true],
      [[], true, true],
    ]);
    // Take the role policies away too: nothing links the functions to a table.
    const policies = blocks(json, 'aws_iam_role_policy');
    for (const [name, policy] of Object.entries(policies)) if (/dynamodb:/.test(JSON.stringify(policy))) delete policies[name];
    const graph = graphFromStack(json as never);
    const none = analyzeReachability(graph);
    expect(none.functions.every((f) => f.unverified.length === 1 && /^tables: no reference/.test(f.unverified[0]))).toBe(true);
    const tables = graph.instancesOf('aws_dynamodb_table').map((t) => String(graph.value(t, 'name')));
    const linked = analyzeReachability(graph, { links: none.functions.map((f, i) => ({ function: f.name, table: tables[i] })) });
    expect(linked.functions.map((f) => [f.unverified, f.tables.map((t) => t.table)])).toEqual(graph.instancesOf('aws_dynamodb_table').map((t) => [[], [t.address]]));
  });
});

describe('registry modules: sources from .terraform/modules/modules.json', () => {
  test('a module installed by terraform init is read from where the manifest says', () => {
    const root = mkdtempSync(join(tmpdir(), 'vld-registry-'));
    const local = sources();
    mkdirSync(join(root, '.terraform', 'modules', 'fn'), { recursive: true });
    mkdirSync(join(root, 'net'));
    writeFileSync(join(root, 'main.tf'), readFileSync(join(local, 'main.tf'), 'utf8'));
    writeFileSync(join(root, 'net', 'main.tf'), readFileSync(join(local, 'net', 'main.tf'), 'utf8'));
    writeFileSync(join(root, '.terraform', 'modules', 'fn', 'main.tf'), readFileSync(join(local, 'fn', 'main.tf'), 'utf8'));
    writeFileSync(join(root, '.terraform', 'modules', 'modules.json'), JSON.stringify({ Modules: [{ Key: '', Source: '', Dir: '.' }, { Key: 'fn', Source: 'registry.terraform.io/example/fn/aws', Dir: '.terraform/modules/fn' }] }));
    const registry = JSON.parse(JSON.stringify(plan)) as PlanInput & { configuration: { root_module: { module_calls: Record<string, { source?: string }> } } };
    registry.configuration.root_module.module_calls.fn.source = 'example/fn/aws';
    const reach = analyzeReachability(graphFromPlan(registry, { sourceDir: root }));
    expect(reach.functions.map((f) => [f.unverified, f.reachable])).toEqual([
      [[], false], // reachable needs a role: this hand-written plan has none
      [[], false],
    ]);
    expect(reach.functions.map((f) => f.subnets.length)).toEqual([2, 2]);
  });
});
