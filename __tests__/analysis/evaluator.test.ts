import { evaluate, World } from '../../analysis/evaluate/expressions';
import { Unknown, Value } from '../../analysis/evaluate/values';
import { parseExpression } from '../../analysis/sources/hcl-syntax';

// The one test file that parses HCL on main: the grammar loads asynchronously, once.

/**
 * The expression evaluator on its own: the forms and functions real modules use, unknowns
 * with their origin, and what it refuses (an unknown function, a cycle-free but unknown value)
 * with a reason instead of a crash.
 */
const VARIABLES: Record<string, Value> = {
  x: [1, 2],
  m: { a: { on: true, id: 'A' }, b: { on: false, id: 'B' } },
  s: null,
  arn: Unknown.of('aws_dynamodb_table.orders', 'arn'),
};
const world: World = {
  variable: (_m, n) => VARIABLES[n] ?? null,
  local: () => Unknown.because('no locals here'),
  moduleCall: () => undefined,
  resourceValue: () => undefined,
  path: () => '.',
};
const run = (text: string) => evaluate(world, parseExpression(text), { module: '' });

describe('the expression evaluator', () => {
  test.each([
    ['var.x == null ? [] : [true]', [true]],
    ['length(var.x) > 1 && !false', true],
    ['{ for k, v in var.m : k => v.id if v.on }', { a: 'A' }],
    ['[for k, v in var.m : upper(v.id)]', ['A', 'B']],
    ['values(var.m)[*].id', ['A', 'B']],
    ['lookup(var.m.a, "id", null)', 'A'],
    ['lookup(var.m, "c", "none")', 'none'],
    ['try(var.m.c.id, "d")', 'd'],
    ['can(var.m.c.id)', false],
    ['"x-${var.x[0]}"', 'x-1'],
    ['cidrsubnet("10.0.0.0/16", 8, 2)', '10.0.2.0/24'],
    ['jsonencode({ a = var.x })', '{"a":[1,2]}'],
    ['-1 + 2 * 3', 5],
    ['coalesce(var.s, "z")', 'z'],
    ['element(split("/", "a/b/c"), 1)', 'b'],
    ['format("%s-%d", "a", 3)', 'a-3'],
    ['merge({ a = 1 }, { b = 2 }, null)', { a: 1, b: 2 }],
    ['flatten([["a"], ["b", ["c"]]])', ['a', 'b', 'c']],
    ['distinct(concat(["a"], ["a", "b"]))', ['a', 'b']],
    ['one([for k, v in var.m : v.id if k == "b"])', 'B'],
    ['{ for k, v in var.m : v.on => k... }', { true: ['a'], false: ['b'] }],
  ])('%s', (text, expected) => {
    expect(run(text)).toEqual(expected);
  });

  test('an unknown keeps its origin through lists, lookups and single interpolations; a template keeps its parts', () => {
    const direct = run('[var.arn][0]') as Unknown;
    expect([direct instanceof Unknown, direct.exact, direct.origins]).toEqual([true, true, [{ address: 'aws_dynamodb_table.orders', attribute: 'arn' }]]);
    expect(run('"${var.arn}"')).toBe(VARIABLES.arn);
    const indexes = run('"${var.arn}/index/*"') as Unknown;
    expect(indexes.parts).toEqual([VARIABLES.arn, '/index/*']);
    expect((run('length([var.arn, var.arn])') as number)).toBe(2);
  });

  test('jsonencode of a document with unknowns keeps the document for IAM to read', () => {
    const doc = run('jsonencode({ Statement = [{ Effect = "Allow", Resource = [var.arn] }] })') as Unknown;
    expect(doc).toBeInstanceOf(Unknown);
    expect(doc.json).toEqual({ Statement: [{ Effect: 'Allow', Resource: [VARIABLES.arn] }] });
  });

  test('what is not evaluated is an unknown naming it, never a throw', () => {
    expect((run('foo(1)') as Unknown).reason).toBe('function "foo" is not evaluated');
    expect((run('var.m.c.id') as Unknown).reason).toMatch(/no attribute "c"/);
    expect((run('"%{ if true }x%{ endif }"') as Unknown).reason).toMatch(/template directives/);
    expect((run('local.anything') as Unknown).reason).toBe('no locals here');
    // A conditional on an unknown is unknown, with both branches' origins, not exact.
    const c = run('var.arn == "x" ? var.arn : "other"') as Unknown;
    expect([c instanceof Unknown, c.exact]).toEqual([true, false]);
  });

  test('pathological nesting is refused with a message', () => {
    const deep = `${'['.repeat(400)}1${']'.repeat(400)}`;
    const v = run(deep);
    expect(v).toBeInstanceOf(Unknown);
    expect((v as Unknown).reason).toMatch(/nested too deeply/);
  });
});

describe('module sources read by the tree-sitter HCL grammar', () => {
  test('the vendored terraform-aws-modules (vpc, vpc-endpoints, lambda) parse: variables, locals, resources, outputs, dynamic blocks', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { readModuleFolder } = require('../../analysis/sources/module-source') as typeof import('../../analysis/sources/module-source');
    const root = `${__dirname}/../fixtures/real-world/modules`;
    const vpc = readModuleFolder(`${root}/vpc`)!;
    expect(Object.keys(vpc.resources)).toEqual(expect.arrayContaining(['aws_vpc.this', 'aws_subnet.private', 'aws_route_table.private', 'aws_default_security_group.this']));
    expect(vpc.variables.private_subnets.default).toEqual({ k: 'tuple', items: [], text: '[]' });
    expect(vpc.locals.create_vpc).toBeDefined();
    // A dynamic block keeps its for_each and content.
    expect(vpc.resources['aws_default_security_group.this'].body.blocks.ingress[0]).toHaveProperty('content');
    const lambda = readModuleFolder(`${root}/lambda`)!;
    expect(lambda.outputs.lambda_function_arn).toBeDefined();
    expect(Object.keys(readModuleFolder(`${root}/vpc-endpoints`)!.resources)).toContain('aws_vpc_endpoint.this');
  });
});
