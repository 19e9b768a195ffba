import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { moduleInputFindings } from '../../analysis/module-inputs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Unknown } from '../../analysis/evaluate/values';
import { graphFromPlan, graphFromStack, PlanInput } from '../../analysis/terraform-graph';

describe('terraform graph: values evaluated per instance', () => {
  const json = {
    resource: {
      aws_route_table: { private: { count: 2 } },
      aws_nat_gateway: { nat: { count: 1 } },
      aws_route: { nat: { count: 2, route_table_id: '${element(aws_route_table.private[*].id, count.index)}', nat_gateway_id: '${element(aws_nat_gateway.nat[*].id, count.index)}' } },
      aws_subnet: { private: { count: 2, availability_zone: '${element(["us-east-1a", "us-east-1b"], count.index)}' } },
      aws_route_table_association: { a: { count: 2, subnet_id: '${aws_subnet.private[count.index].id}', route_table_id: '${aws_route_table.private[count.index].id}' } },
      aws_vpc_endpoint: { e: { route_table_ids: '${aws_route_table.private[*].id}' } },
      aws_lambda_function: { f: { vpc_config: { subnet_ids: ['subnet-0abc', '${aws_subnet.private[1].id}'] } } },
    },
  };
  let graph: ReturnType<typeof graphFromStack>;
  let route0: ReturnType<typeof graph.instancesOf>[number];
  let route1: typeof route0;
  beforeAll(() => {
    graph = graphFromStack(json);
    [route0, route1] = graph.instancesOf('aws_route');
  });

  test('count.index picks the same index; element() wraps around; [*] is every instance', () => {
    expect(graph.resolve(route1, 'route_table_id').instances.map((i) => i.address)).toEqual(['aws_route_table.private[1]']);
    expect(graph.resolve(route1, 'nat_gateway_id').instances.map((i) => i.address)).toEqual(['aws_nat_gateway.nat[0]']);
    expect(graph.resolve(route0, 'route_table_id').instances.map((i) => i.address)).toEqual(['aws_route_table.private[0]']);
    const [endpoint] = graph.instancesOf('aws_vpc_endpoint');
    expect(graph.resolve(endpoint, 'route_table_ids').instances).toHaveLength(2);
  });

  test('literal ids and a constant index in one list; nested blocks by dotted path', () => {
    const [fn] = graph.instancesOf('aws_lambda_function');
    const resolved = graph.resolve(fn, 'vpc_config.subnet_ids');
    expect(resolved.literals).toEqual(['subnet-0abc']);
    expect(resolved.instances.map((i) => i.address)).toEqual(['aws_subnet.private[1]']);
  });

  test('element() over a literal list evaluates per instance', () => {
    expect(graph.instancesOf('aws_subnet').map((s) => graph.value(s, 'availability_zone'))).toEqual(['us-east-1a', 'us-east-1b']);
    const [table] = graph.instancesOf('aws_route_table');
    expect(graph.evaluated(table, 'id')).toEqual(Unknown.of('aws_route_table.private[0]', 'id'));
  });

  test('an HCL plan without its .tf files: references only, so nothing is guessed from them; the reason says so', () => {
    const plan = {
      format_version: '1.2',
      configuration: {
        root_module: {
          module_calls: {
            system: {
              module: {
                resources: [
                  { address: 'aws_route_table.private', mode: 'managed', type: 'aws_route_table', name: 'private', expressions: {} },
                  { address: 'aws_vpc_endpoint.e', mode: 'managed', type: 'aws_vpc_endpoint', name: 'e', expressions: { route_table_ids: { references: ['aws_route_table.private[0].id', 'aws_route_table.private[0]', 'aws_route_table.private'] } } },
                ],
              },
            },
          },
        },
      },
      resource_changes: [0, 1].map((index) => ({ address: `module.system.aws_route_table.private[${index}]`, module_address: 'module.system', mode: 'managed', type: 'aws_route_table', name: 'private', index, change: { actions: ['create'], after: {} } })).concat([
        { address: 'module.system.aws_vpc_endpoint.e', module_address: 'module.system', mode: 'managed', type: 'aws_vpc_endpoint', name: 'e', index: undefined as never, change: { actions: ['create'], after: { vpc_endpoint_type: 'Gateway' } } },
      ]),
    };
    const g = graphFromPlan(plan);
    const [endpoint] = g.instancesOf('aws_vpc_endpoint');
    expect(endpoint.address).toBe('module.system.aws_vpc_endpoint.e');
    const resolved = g.resolve(endpoint, 'route_table_ids');
    expect(resolved.instances).toEqual([]);
    expect(resolved.unresolved.join()).toMatch(/module\.system's \.tf files are not beside the plan/);
  });
});

describe('terraform graph: a module with for_each, read from its .tf files beside the plan', () => {
  // The shapes issue 17 names: a map of endpoints read with lookup(each.value, ...), and a map
  // of functions where each entry has its own subnets. Each instance sees its own entry only.
  const dir = mkdtempSync(join(tmpdir(), 'vld-graph-'));
  writeFileSync(
    join(dir, 'main.tf'),
    `
variable "endpoints" {
  type = map(object({ service = string, route_table_ids = optional(list(string), []) }))
}
resource "aws_route_table" "private" {
  count = 2
}
resource "aws_route_table" "public" {}
resource "aws_vpc_endpoint" "this" {
  for_each        = var.endpoints
  service_name    = "com.amazonaws.us-east-1.\${each.value.service}"
  route_table_ids = lookup(each.value, "route_table_ids", null)
}
locals {
  functions = {
    api    = { subnets = aws_route_table.private[*].id }
    worker = { subnets = [aws_route_table.public.id] }
  }
}
resource "aws_lambda_function" "this" {
  for_each      = local.functions
  function_name = each.key
  vpc_config {
    subnet_ids = each.value.subnets
  }
}
`,
  );
  const change = (address: string, type: string, name: string, index?: number | string) => ({ address, mode: 'managed', type, name, index, change: { actions: ['create'], after: {}, after_unknown: { id: true } } });
  const plan: PlanInput = {
    format_version: '1.2',
    configuration: { root_module: { resources: [] } },
    variables: { endpoints: { value: { s3: { service: 's3', route_table_ids: ['rtb-0private'] }, dynamodb: { service: 'dynamodb', route_table_ids: ['rtb-0public'] } } } },
    resource_changes: [
      change('aws_route_table.private[0]', 'aws_route_table', 'private', 0),
      change('aws_route_table.private[1]', 'aws_route_table', 'private', 1),
      change('aws_route_table.public', 'aws_route_table', 'public'),
      change('aws_vpc_endpoint.this["s3"]', 'aws_vpc_endpoint', 'this', 's3'),
      change('aws_vpc_endpoint.this["dynamodb"]', 'aws_vpc_endpoint', 'this', 'dynamodb'),
      change('aws_lambda_function.this["api"]', 'aws_lambda_function', 'this', 'api'),
      change('aws_lambda_function.this["worker"]', 'aws_lambda_function', 'this', 'worker'),
    ],
  };

  test('each.value is the entry of this instance: lookup() reads its own route tables', () => {
    const g = graphFromPlan(plan, { sourceDir: dir });
    const endpoint = g.instance('aws_vpc_endpoint.this["dynamodb"]')!;
    expect(g.value(endpoint, 'service_name')).toBe('com.amazonaws.us-east-1.dynamodb');
    expect(g.resolve(endpoint, 'route_table_ids').literals).toEqual(['rtb-0public']);
  });

  test('each function resolves only its own subnets', () => {
    const g = graphFromPlan(plan, { sourceDir: dir });
    const ids = (fn: string) => g.resolve(g.instance(fn)!, 'vpc_config.subnet_ids').instances.map((i) => i.address);
    expect(ids('aws_lambda_function.this["api"]')).toEqual(['aws_route_table.private[0]', 'aws_route_table.private[1]']);
    expect(ids('aws_lambda_function.this["worker"]')).toEqual(['aws_route_table.public']);
  });
});

describe('terraform graph: what cannot be evaluated is named, never a crash', () => {
  const fn = (subnetIds: string) => ({
    resource: {
      aws_lambda_function: { f: { function_name: 'f', role: 'arn:aws:iam::123456789012:role/f', vpc_config: { subnet_ids: subnetIds, security_group_ids: ['sg-0abc'] } } },
    },
    locals: { a: '${local.b}', b: '${local.a}' },
  });
  const reasonOf = (subnetIds: string) => {
    const graph = graphFromStack(fn(subnetIds));
    return graph.resolve(graph.instancesOf('aws_lambda_function')[0], 'vpc_config.subnet_ids').unresolved.join('; ');
  };

  test('a function outside the evaluator names itself', () => {
    expect(reasonOf('${templatefile("subnets.tpl", {})}')).toMatch(/function "templatefile" is not evaluated/);
    expect(reasonOf('${provider::corp::subnets("prod")}')).toMatch(/function "provider::corp::subnets" is not evaluated/);
  });

  test('a cycle of locals is refused with a message', () => {
    expect(reasonOf('${local.a}')).toMatch(/cycle/);
  });

  test('pathological nesting is refused with a message, not a stack overflow', () => {
    const deep = `\${${'['.repeat(3000)}"subnet-0abc"${']'.repeat(3000)}}`;
    expect(reasonOf(deep)).toMatch(/nested too deeply/);
  });
});

describe('VLD023: attributes a module call passes that its variable types drop', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vld-inputs-'));
  mkdirSync(join(dir, 'modules', 'fn'), { recursive: true });
  writeFileSync(
    join(dir, 'modules', 'fn', 'variables.tf'),
    `variable "functions" {
  type = map(object({
    timeout = optional(number, 3)
    memory  = optional(number)
    layers  = optional(list(object({ arn = string })), [])
  }))
}
variable "tags" {
  type = any
}
`,
  );
  writeFileSync(
    join(dir, 'main.tf'),
    `module "fn" {
  source    = "./modules/fn"
  functions = {
    api    = { timout = 5 }
    worker = { memory = 128, layers = [{ arn = "arn:aws:lambda:us-east-1:123456789012:layer:x:1", version = 2 }], qqqqqqqq = 1 }
  }
  tags = { anything = "goes" }
}
`,
  );
  const plan: PlanInput = { format_version: '1.2', configuration: { root_module: { module_calls: { fn: { source: './modules/fn' } } } }, resource_changes: [] };

  test('each dropped attribute by its path, with the nearest declared name when one is near', () => {
    const messages = moduleInputFindings(graphFromPlan(plan, { sourceDir: dir })).map((f) => [f.id, f.resource, f.message]);
    expect(messages).toEqual([
      ['VLD023', 'module.fn', 'functions.api.timout: not an input of module.fn (the module ignores it); did you mean timeout?'],
      ['VLD023', 'module.fn', 'functions.worker.layers[0].version: not an input of module.fn (the module ignores it)'],
      ['VLD023', 'module.fn', 'functions.worker.qqqqqqqq: not an input of module.fn (the module ignores it)'],
    ]);
  });
});
