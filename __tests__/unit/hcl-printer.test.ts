import { formatHclText, HclRenderError, printHcl, renderHcl } from '../../modules/stacks/hcl/printer';
import { splitTemplate } from '../../modules/stacks/hcl/templates';
import { layoutExpression } from '../../modules/stacks/hcl/layout';
import { synthDeploy, synthModule } from '../support/synth';

/** The printer's output for a document, formatted as terraform fmt would. */
const hcl = (json: Record<string, unknown>) => renderHcl(json);
const resource = (type: string, name: string, body: Record<string, unknown>) => ({ resource: { [type]: { [name]: body } } });

describe('templates', () => {
  test('splits literals, interpolations with nested strings and braces, and keeps escapes', () => {
    expect(splitTemplate('a-${merge(var.tags, {"Name" = "${var.p}-x"})}-$${literal}')).toEqual([
      { literal: 'a-' },
      { expression: 'merge(var.tags, {"Name" = "${var.p}-x"})' },
      { literal: '-$${literal}' },
    ]);
    expect(() => splitTemplate('${var.a')).toThrow(/unterminated interpolation/);
  });
});

describe('layout of long expressions', () => {
  const layout = (expression: string, width: number, type = false) => layoutExpression(expression, { width, type });

  test('object and tuple constructors break one item a line, calls hug their one argument; short text stays', () => {
    const expr = 'jsonencode({ Version = "2012-10-17", Statement = [{ Sid = "A, B", Action = [for a in var.actions : "x:${a}"], Resource = "*" }] })';
    // A tuple of one object hugs it too: `Statement = [{`.
    expect(layout(expr, 48)).toBe('jsonencode({\nVersion = "2012-10-17"\nStatement = [{\nSid = "A, B"\nAction = [for a in var.actions : "x:${a}"]\nResource = "*"\n}]\n})');
    expect(layout('merge(var.tags, { Name = "x" })', 30)).toBe('merge(var.tags, {\nName = "x"\n})');
    expect(layout('short', 10)).toBe('short');
  });

  test('a call of several arguments breaks one a line; a for expression before `if` and after a long header', () => {
    expect(layout('try(slice(var.a, 0, min(var.b, length(var.c))), [])', 50)).toBe('try(\nslice(var.a, 0, min(var.b, length(var.c))),\n[]\n)');
    expect(layout('[for k, f in var.functions : "functions.${k}: bad" if !try(f.ok, false)]', 60)).toBe('[\nfor k, f in var.functions : "functions.${k}: bad"\nif !try(f.ok, false)\n]');
    expect(layout('[for k, f in var.functions : "functions.${k}: bad" if !try(f.ok, false)]', 40)).toBe('[\nfor k, f in var.functions :\n"functions.${k}: bad"\nif !try(f.ok, false)\n]');
    expect(layout('{ for k, f in var.functions : k => { a = f.a, b = f.b } }', 40)).toBe('{\nfor k, f in var.functions : k => {\na = f.a\nb = f.b\n}\n}');
  });

  test('a long conditional breaks before ? and :, in parentheses where a newline would end the value; && and || chains before the operator', () => {
    expect(layout('var.a == null ? local.default_value : var.a', 30)).toBe('(\nvar.a == null\n? local.default_value\n: var.a\n)');
    expect(layout('alltrue([var.first_condition && var.second_condition])', 40)).toBe('alltrue([\nvar.first_condition\n&& var.second_condition,\n])');
    // A nested conditional that must break too gets its own parentheses.
    expect(layout('var.a ? var.b ? local.first_long_value : local.second_long_value : null', 40)).toBe(
      '(\nvar.a\n? (\nvar.b\n? local.first_long_value\n: local.second_long_value\n)\n: null\n)',
    );
  });

  test('a type: every object of two or more attributes one a line, even when short; strings, indexes and heredocs never split', () => {
    expect(layout('map(object({ a = string, b = optional(number, 2) }))', 120, true)).toBe('map(object({\na = string\nb = optional(number, 2)\n}))');
    expect(layout('object({ a = string })', 120, true)).toBe('object({ a = string })');
    const long = `"${'x'.repeat(60)}"`;
    expect(layout(`aws_dynamodb_table.table["${'k'.repeat(40)}"].arn`, 20)).toBe(`aws_dynamodb_table.table["${'k'.repeat(40)}"].arn`);
    expect(layout(long, 20)).toBe(long);
    expect(layout('<<EOT\nx\nEOT', 3)).toBe('<<EOT\nx\nEOT');
  });
});

describe('HCL printer', () => {
  test('a lone interpolation is a native expression, others quoted templates; literal escapes kept', async () => {
    const out = await hcl(resource('aws_vpc', 'this', { cidr_block: '${var.cidr}', tags: { Name: '${var.p}-vpc', 'aws:x': 'say "hi"\\ $${not}' } }));
    expect(out).toContain('cidr_block = var.cidr');
    expect(out).toContain('Name    = "${var.p}-vpc"');
    expect(out).toContain('"aws:x" = "say \\"hi\\"\\\\ $${not}"');
  });

  test('nested blocks come from the schema: a block for a block type, an attribute for a map', async () => {
    const out = await hcl(resource('aws_lambda_function', 'f', { function_name: 'f', role: 'r', environment: { variables: { A: '1' } }, vpc_config: { subnet_ids: ['s'], security_group_ids: ['g'] } }));
    expect(out).toMatch(/\n  environment \{\n    variables = \{\n      A = "1"/);
    expect(out).toMatch(/\n  vpc_config \{\n/);
  });

  test('policy documents become jsonencode with native references inside', async () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['logs:PutLogEvents'], Resource: ['${aws_cloudwatch_log_group.g.arn}:*', '${aws_cloudwatch_log_group.g.arn}'] }] });
    const out = await hcl(resource('aws_iam_role_policy', 'p', { name: 'p', role: 'r', policy }));
    expect(out).toContain('policy = jsonencode({');
    expect(out).toContain('Resource = ["${aws_cloudwatch_log_group.g.arn}:*", aws_cloudwatch_log_group.g.arn]');
  });

  test('count, for_each first; dynamic blocks with their content keyed by the nested schema; depends_on bare; lifecycle last', async () => {
    const out = await hcl(
      resource('aws_dynamodb_table', 't', {
        for_each: '${var.tables}',
        name: '${each.key}',
        hash_key: 'id',
        dynamic: { attribute: { for_each: '${each.value.attributes}', content: { name: '${attribute.value.name}', type: 'S' } } },
        depends_on: ['aws_vpc.this', '${aws_subnet.private}'],
        lifecycle: { ignore_changes: ['tags'], create_before_destroy: true, precondition: [{ condition: '${var.ok}', error_message: 'not ok' }] },
      }),
    );
    expect(out.indexOf('for_each = var.tables')).toBeLessThan(out.indexOf('name'));
    expect(out).toContain('dynamic "attribute" {\n    for_each = each.value.attributes\n    content {\n      name = attribute.value.name');
    expect(out).toContain('depends_on = [aws_vpc.this, aws_subnet.private]');
    expect(out).toMatch(/lifecycle \{\n    ignore_changes        = \[tags\]\n    create_before_destroy = true\n    precondition \{/);
  });

  test('variables: null defaults, nullable = false, sensitive, validation; literal strings escape ${', async () => {
    const out = await hcl({
      variable: {
        secret: { type: 'string', default: null, nullable: false, sensitive: true, description: 'use ${this} literally', validation: [{ condition: '${var.secret != ""}', error_message: 'empty' }] },
      },
    });
    expect(out).toBe(
      'variable "secret" {\n  description = "use $${this} literally"\n  type        = string\n  default     = null\n  nullable    = false\n  sensitive   = true\n\n  validation {\n    condition     = var.secret != ""\n    error_message = "empty"\n  }\n}\n',
    );
  });

  test('locals merge into one block; outputs description first; moved with bare addresses; heredoc for a long multi-line string', async () => {
    const script = `#!/bin/sh\necho "\${var.name}"\n${'# a long line of the script, long enough for a heredoc\n'.repeat(2)}`;
    const out = await hcl({
      locals: { a: '${var.x}', b: 'text' },
      resource: { aws_iam_role: { r: { name: 'r', assume_role_policy: '${jsonencode({})}', description: script } } },
      moved: [{ from: 'aws_vpc.system_network_vpc', to: 'aws_vpc.this' }],
      output: { id: { value: '${aws_vpc.this.id}', description: 'The id', sensitive: false } },
    });
    expect(out).toContain('locals {\n  a = var.x\n  b = "text"\n}');
    expect(out).toContain('description        = <<EOT\n#!/bin/sh\necho "${var.name}"\n');
    expect(out).toContain('moved {\n  from = aws_vpc.system_network_vpc\n  to   = aws_vpc.this\n}');
    expect(out).toContain('output "id" {\n  description = "The id"\n  value       = aws_vpc.this.id\n  sensitive   = false\n}');
  });

  test.each([
    ['an unknown key', resource('aws_vpc', 'v', { cidr_block: 'x', colour: 'blue' }), 'aws_vpc.v: key "colour" is neither an attribute nor a block'],
    ['a computed-only attribute', resource('aws_vpc', 'v', { arn: 'x' }), 'aws_vpc.v: key "arn" is computed by the provider'],
    ['a type not in the schema', resource('aws_s3_bucket', 'b', {}), 'aws_s3_bucket.b: type aws_s3_bucket is not in the stored provider schema'],
    ['a block given as an expression', resource('aws_lambda_function', 'f', { vpc_config: '${var.vpc}' }), 'aws_lambda_function.f: key "vpc_config": nested block given as an expression'],
    ['a module call', { module: { m: { source: './m' } } }, 'top-level "module": not a construct this printer renders'],
    ['a template in an object key', resource('aws_vpc', 'v', { tags: { '${var.k}': 'v' } }), 'object key "${var.k}" is a template'],
    ['an unbalanced interpolation', resource('aws_vpc', 'v', { cidr_block: '${var.a' }), 'aws_vpc.v: key "cidr_block": unterminated interpolation'],
    ['a depends_on that is not a reference', resource('aws_vpc', 'v', { depends_on: ['aws_vpc.a ? 1 : 2'] }), 'is not a reference'],
  ])('refuses %s with an error naming the resource and key', (_what, json, message) => {
    expect(() => printHcl(json)).toThrow(HclRenderError);
    expect(() => printHcl(json)).toThrow(message);
  });

  test('scanner suppressions under "//": #trivy:ignore right above the block, #checkov:skip inside it, where each scanner reads them', async () => {
    const out = await hcl(
      resource('aws_cloudwatch_log_group', 'logs', {
        '//': { metadata: { path: 'x' }, suppressions: [{ checkov: ['CKV_AWS_158'], trivy: ['AVD-AWS-0017'], reason: 'no key of ours: opt in with log_kms_key_arn' }, { checkov: ['CKV_AWS_338'], trivy: [], reason: '30 days' }] },
        name: '/a',
      }),
    );
    expect(out).toBe(
      '#trivy:ignore:AVD-AWS-0017\nresource "aws_cloudwatch_log_group" "logs" {\n  #checkov:skip=CKV_AWS_158:no key of ours: opt in with log_kms_key_arn\n  #checkov:skip=CKV_AWS_338:30 days\n  name = "/a"\n}\n',
    );
    // An empty block still carries them.
    expect(await hcl(resource('aws_cloudwatch_log_group', 'e', { '//': { suppressions: [{ checkov: ['CKV_AWS_66'], trivy: [], reason: 'r' }] } }))).toBe('resource "aws_cloudwatch_log_group" "e" {\n  #checkov:skip=CKV_AWS_66:r\n}\n');
  });

  test.each([
    ['a reason over two lines (Checkov reads to the end of the line)', { checkov: ['CKV_AWS_158'], trivy: [], reason: 'one\ntwo' }, /needs a one-line reason/],
    ['no reason', { checkov: ['CKV_AWS_158'], trivy: [] }, /needs a one-line reason/],
    ['an id that is not one', { checkov: ['CKV AWS 158'], trivy: [], reason: 'r' }, /"CKV AWS 158" is not a scanner rule id/],
  ])('a suppression with %s is refused, naming the resource', (_what, entry, message) => {
    expect(() => printHcl(resource('aws_cloudwatch_log_group', 'logs', { '//': { suppressions: [entry] }, name: '/a' }))).toThrow(HclRenderError);
    expect(() => printHcl(resource('aws_cloudwatch_log_group', 'logs', { '//': { suppressions: [entry] }, name: '/a' }))).toThrow(message);
  });

  test('the module and the deploy stack render, and are already in their formatted (terraform fmt) layout', async () => {
    for (const json of [synthModule(), synthDeploy(), synthDeploy({ natMode: 'per-az' })]) {
      const out = await renderHcl(json as Record<string, unknown>);
      expect(await formatHclText(out)).toBe(out);
      expect(out).not.toMatch(/= "\$\{[^}"]*\}"\n/); // no interpolation-only strings left
    }
  });
});
