import { format as formatHcl } from '@cdktf/hcl-tools';
import { CompactBlock, CompactSchema, printerSchema } from './schema';
import { escapeQuoted, literalAsTemplate, splitTemplate, TemplateSyntaxError } from './templates';
import { layoutExpression } from './layout';

/**
 * The project's own Terraform JSON → HCL printer (docs/architecture.md, "HCL output").
 *
 * Schema-aware: a resource, data source or provider key is a nested block or an attribute as
 * the provider schema says (modules/stacks/hcl/schema), never by guessing from the JSON shape.
 * `${...}` strings become native expressions, JSON policy documents `jsonencode({...})`,
 * `depends_on` and `moved` bare references. Whatever it cannot render with certainty (a
 * resource type or key the schema does not know, a block given as an expression, a
 * top-level construct it does not handle) is an {@link HclRenderError} naming the
 * resource and key: never silently different HCL.
 */

/** A construct the printer refuses, with where it is (`aws_vpc.this: key "foo"`). */
export class HclRenderError extends Error {
  constructor(where: string, problem: string) {
    super(`HCL printer: ${where}: ${problem}`);
    this.name = 'HclRenderError';
  }
}

/** One top-level block and where it comes from; the printer's unit of output. */
export interface HclBlock {
  /** `terraform`, `provider`, `variable`, `locals`, `data`, `resource`, `output`, `moved`, `import`. */
  readonly kind: string;
  /** Resource or data type, provider name. */
  readonly type?: string;
  /** Resource, data, variable, output or local name. */
  readonly name?: string;
  /** The rendered (unformatted) HCL. */
  readonly text: string;
}

/** Options: the schema (the stored 5.100.0 one by default). */
export interface PrintOptions {
  readonly schema?: CompactSchema;
}

/** Attribute names whose JSON-document string values are written as `jsonencode(...)`. */
const POLICY_ATTRIBUTE = /(^|_)policy$/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const RESERVED_KEYS = new Set(['null', 'true', 'false', 'for', 'in', 'if', 'endif', 'endfor']);
/** The widest line the printer writes, as terraform-aws-modules keep theirs (a string that cannot be split excepted). */
export const LINE_WIDTH = 120;
/** Where a value starts: its line's indentation level and its column (after `key = `, aligned). */
interface Position {
  readonly indent: number;
  readonly column: number;
}
/** A value of `key` in a block at `indent` whose longest key is `keyWidth` long (terraform fmt aligns the `=`). */
const pos = (indent: number, keyWidth: number): Position => ({ indent, column: indent * 2 + keyWidth + 3 });
const widest = (keys: readonly string[]) => Math.max(0, ...keys.map((k) => k.length));

/** Order of the top-level kinds in one file. */
const KIND_ORDER = ['terraform', 'provider', 'variable', 'locals', 'data', 'resource', 'moved', 'import', 'output'];

/** Renders a synthesized Terraform JSON document as HCL blocks, in file order. */
export function printBlocks(json: Record<string, unknown>, options: PrintOptions = {}): HclBlock[] {
  const schema = options.schema ?? printerSchema();
  const blocks: HclBlock[] = [];
  const unknown = Object.keys(json).filter((k) => k !== '//' && !KIND_ORDER.includes(k));
  if (unknown.length > 0) throw new HclRenderError(`top-level "${unknown[0]}"`, 'not a construct this printer renders');
  for (const kind of KIND_ORDER) {
    const section = json[kind];
    if (section === undefined) continue;
    switch (kind) {
      case 'terraform':
        blocks.push({ kind, text: terraformBlock(asObject(section, 'terraform')) });
        break;
      case 'provider':
        for (const [name, configs] of entries(section, 'provider')) {
          if (name !== 'aws' || !schema.provider) throw new HclRenderError(`provider "${name}"`, 'no stored schema for this provider');
          for (const config of Array.isArray(configs) ? configs : [configs]) {
            blocks.push({ kind, type: name, text: `provider ${quote(name)} ${body(asObject(config, `provider "${name}"`), schema.provider, `provider "${name}"`, 'provider', 1)}` });
          }
        }
        break;
      case 'variable':
        for (const [name, spec] of entries(section, 'variable')) blocks.push({ kind, name, text: `variable ${quote(checkName(name, 'variable'))} ${variableBody(asObject(spec, `var.${name}`), `var.${name}`)}` });
        break;
      case 'locals': {
        const locals = entries(section, 'locals');
        const keyWidth = widest(locals.map(([name]) => name));
        for (const [name, value] of locals) blocks.push({ kind, name, text: `locals {\n${checkName(name, 'local')} = ${value_(value, `local.${name}`, pos(1, keyWidth))}\n}` });
        break;
      }
      case 'data':
      case 'resource':
        for (const [type, byName] of entries(section, kind)) {
          const types = kind === 'data' ? schema.data_sources : schema.resources;
          const typeSchema = types[type];
          for (const [name, spec] of entries(byName, `${kind} ${type}`)) {
            const where = `${kind === 'data' ? 'data.' : ''}${type}.${name}`;
            if (!typeSchema) throw new HclRenderError(where, `type ${type} is not in the stored provider schema (run tsx scripts/provider-schema.ts)`);
            const rendered = body(asObject(spec, where), typeSchema, where, 'resource', 1);
            const comments = scannerComments(asObject(spec, where)['//'], where);
            const inside = comments.inside.length === 0 ? rendered : rendered === '{}' ? `{\n${comments.inside.join('\n')}\n}` : `{\n${comments.inside.join('\n')}\n${rendered.slice(2)}`;
            blocks.push({ kind, type, name, text: `${comments.above.map((l) => `${l}\n`).join('')}${kind} ${quote(type)} ${quote(checkName(name, where))} ${inside}` });
          }
        }
        break;
      case 'output':
        for (const [name, spec] of entries(section, 'output')) blocks.push({ kind, name, text: `output ${quote(checkName(name, 'output'))} ${outputBody(asObject(spec, `output.${name}`), `output.${name}`)}` });
        break;
      case 'moved':
      case 'import':
        for (const [i, spec] of (Array.isArray(section) ? section : [section]).entries()) {
          const where = `${kind}[${i}]`;
          const o = asObject(spec, where);
          const lines = Object.entries(o).map(([k, v]) => {
            if (k === 'from' || k === 'to') return `${k} = ${reference(v, `${where}: key "${k}"`)}`;
            if (kind === 'import' && k === 'id') return `id = ${value_(v, `${where}: key "id"`)}`;
            throw new HclRenderError(where, `key "${k}" is not rendered`);
          });
          blocks.push({ kind, text: `${kind} {\n${lines.join('\n')}\n}` });
        }
        break;
    }
  }
  return blocks;
}

/** The whole document as one unformatted HCL text. */
export function printHcl(json: Record<string, unknown>, options: PrintOptions = {}): string {
  return joinBlocks(printBlocks(json, options));
}

/** Joins blocks, merging consecutive `locals` into one block. */
export function joinBlocks(blocks: readonly HclBlock[]): string {
  const out: string[] = [];
  let locals: string[] = [];
  const flush = () => {
    if (locals.length) out.push(`locals {\n${locals.join('\n')}\n}`);
    locals = [];
  };
  for (const b of blocks) {
    if (b.kind === 'locals') locals.push(b.text.slice('locals {\n'.length, -'\n}'.length));
    else {
      flush();
      out.push(b.text);
    }
  }
  flush();
  return `${out.join('\n\n')}\n`;
}

/** HashiCorp's own formatter (hclwrite, as wasm in @cdktf/hcl-tools): `terraform fmt` layout with no terraform needed. */
export async function formatHclText(text: string): Promise<string> {
  const formatted = await formatHcl(text);
  return formatted.endsWith('\n') ? formatted : `${formatted}\n`;
}

/** Renders and formats: the HCL of a synthesized stack. */
export async function renderHcl(json: Record<string, unknown>, options: PrintOptions = {}): Promise<string> {
  return formatHclText(printHcl(json, options));
}

// ---------------------------------------------------------------- top-level bodies

/**
 * The scanner suppressions under a resource's `//` key (modules/private/scanner-suppressions.ts),
 * where each scanner reads them: Trivy's `#trivy:ignore:ID` on the lines right above the block,
 * Checkov's `#checkov:skip=ID:reason` inside it (Checkov ignores one above).
 */
function scannerComments(comment: unknown, where: string): { above: string[]; inside: string[] } {
  const list = (comment as { suppressions?: unknown } | undefined)?.suppressions;
  if (list === undefined) return { above: [], inside: [] };
  if (!Array.isArray(list)) throw new HclRenderError(where, '"//".suppressions must be a list');
  const above: string[] = [];
  const inside: string[] = [];
  for (const entry of list as Array<{ checkov?: string[]; trivy?: string[]; reason?: string }>) {
    const reason = entry.reason ?? '';
    if (reason.trim() === '' || /[\n\r]/.test(reason)) throw new HclRenderError(where, 'a scanner suppression needs a one-line reason');
    for (const id of [...(entry.checkov ?? []), ...(entry.trivy ?? [])]) {
      if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new HclRenderError(where, `"${id}" is not a scanner rule id`);
    }
    for (const id of entry.checkov ?? []) inside.push(...wrapComment(`#checkov:skip=${id}:${reason}`, '#   '));
    for (const id of entry.trivy ?? []) above.push(`#trivy:ignore:${id}`);
  }
  return { above, inside };
}

/**
 * A comment over lines of at most {@link LINE_WIDTH} (at the block's indentation), broken between
 * words; the next lines start with `continuation`. Checkov reads a skip's reason to the end of
 * its first line: that line keeps the rule id and the reason's start, the rest follows for the reader.
 */
function wrapComment(text: string, continuation: string, indent = 2): string[] {
  const room = LINE_WIDTH - indent;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line === '' ? word : `${line} ${word}`;
    if (next.length > room && line !== '' && line !== continuation.trimEnd()) {
      lines.push(line);
      line = `${continuation}${word}`;
    } else line = next;
  }
  lines.push(line);
  return lines;
}

function terraformBlock(spec: Record<string, unknown>): string {
  const lines: string[] = [];
  for (const [key, v] of Object.entries(spec)) {
    if (key === '//') continue;
    if (key === 'required_version') lines.unshift(`required_version = ${literal(v, 'terraform: key "required_version"')}`);
    else if (key === 'required_providers') {
      const providers = entries(v, 'terraform.required_providers').map(([name, req]) => `${checkName(name, 'terraform.required_providers')} = ${literalValue(req, `terraform.required_providers.${name}`)}`);
      lines.push(`required_providers {\n${providers.join('\n')}\n}`);
    } else if (key === 'backend') {
      for (const [type, settings] of entries(v, 'terraform.backend')) lines.push(`backend ${quote(type)} {\n${entries(settings, `backend "${type}"`).map(([k, s]) => `${checkName(k, `backend "${type}"`)} = ${literalValue(s, `backend "${type}": key "${k}"`)}`).join('\n')}\n}`);
    } else throw new HclRenderError('terraform', `key "${key}" is not rendered`);
  }
  return `terraform {\n${lines.join('\n')}\n}`;
}

function variableBody(spec: Record<string, unknown>, where: string): string {
  const lines: string[] = [];
  for (const [key, v] of Object.entries(spec)) {
    switch (key) {
      case 'type':
        if (typeof v !== 'string' || v.includes('${')) throw new HclRenderError(where, 'key "type" must be a type expression string');
        // Object and tuple types one attribute a line, as a person writes them.
        lines.push(`type = ${layoutExpression(v, { type: true, width: LINE_WIDTH, ...pos(1, 'description'.length) })}`);
        break;
      case 'description':
        lines.push(`description = ${literal(v, `${where}: key "description"`)}`);
        break;
      case 'default':
        lines.push(`default = ${literalValue(v, `${where}: key "default"`)}`);
        break;
      case 'nullable':
      case 'sensitive':
      case 'ephemeral':
        if (typeof v !== 'boolean') throw new HclRenderError(where, `key "${key}" must be true or false`);
        lines.push(`${key} = ${v}`);
        break;
      case 'validation':
        for (const rule of Array.isArray(v) ? v : [v]) lines.push(`validation ${conditionBody(asObject(rule, `${where}: validation`), `${where}: validation`)}`);
        break;
      case '//':
        break;
      default:
        throw new HclRenderError(where, `key "${key}" is not rendered`);
    }
  }
  // description, type, default, nullable/sensitive/ephemeral, then the validation blocks
  const order = ['description', 'type', 'default', 'nullable', 'sensitive', 'ephemeral', 'validation'];
  const at = (line: string) => order.findIndex((k) => line.startsWith(`${k} `));
  const sorted = lines.map((line, i) => ({ line, i })).sort((a, b) => at(a.line) - at(b.line) || a.i - b.i).map((x) => x.line);
  const firstValidation = sorted.findIndex((l) => l.startsWith('validation '));
  if (firstValidation > 0) sorted[firstValidation] = `\n${sorted[firstValidation]}`;
  return `{\n${sorted.join('\n')}\n}`;
}

function outputBody(spec: Record<string, unknown>, where: string): string {
  const lines: string[] = [];
  for (const [key, v] of Object.entries(spec)) {
    if (key === 'value') lines.unshift(`value = ${value_(v, `${where}: key "value"`, pos(1, 'description'.length))}`);
    else if (key === 'description') lines.unshift(`description = ${literal(v, `${where}: key "description"`)}`);
    else if (key === 'sensitive' || key === 'ephemeral') lines.push(`${key} = ${literalValue(v, `${where}: key "${key}"`)}`);
    else if (key === 'depends_on') lines.push(`depends_on = ${references(v, `${where}: key "depends_on"`)}`);
    else if (key === 'precondition') for (const rule of Array.isArray(v) ? v : [v]) lines.push(`precondition ${conditionBody(asObject(rule, `${where}: precondition`), `${where}: precondition`)}`);
    else if (key !== '//') throw new HclRenderError(where, `key "${key}" is not rendered`);
  }
  // description first, then value, as terraform-aws-modules write them
  lines.sort((a, b) => rank(a) - rank(b));
  return `{\n${lines.join('\n')}\n}`;
}

function rank(line: string): number {
  return line.startsWith('description') ? 0 : line.startsWith('value') ? 1 : 2;
}

function conditionBody(rule: Record<string, unknown>, where: string): string {
  const lines: string[] = [];
  for (const [key, v] of Object.entries(rule)) {
    if (key === 'condition' || key === 'error_message') lines.push(`${key} = ${value_(v, `${where}: key "${key}"`, pos(2, 'error_message'.length))}`);
    else throw new HclRenderError(where, `key "${key}" is not rendered`);
  }
  return `{\n${lines.join('\n')}\n}`;
}

// ---------------------------------------------------------------- schema-driven bodies


/** A resource, data source, provider or nested block body, keyed by the schema. */
function body(spec: Record<string, unknown>, schema: CompactBlock, where: string, level: 'resource' | 'provider' | 'nested', indent: number): string {
  const first: string[] = [];
  const here = pos(indent, widest(Object.keys(spec).filter((k) => k !== '//' && k !== 'dynamic' && !schema.blocks?.[k])));
  const attributes: string[] = [];
  const blocks: string[] = [];
  const last: string[] = [];
  for (const [key, v] of Object.entries(spec)) {
    const at = `${where}: key "${key}"`;
    if (key === '//') continue;
    if (level === 'resource' && (key === 'count' || key === 'for_each')) first.push(`${key} = ${value_(v, at, here)}`);
    else if (level === 'resource' && key === 'provider') first.push(`provider = ${reference(v, at)}`);
    else if (level === 'provider' && key === 'alias') first.push(`alias = ${literal(v, at)}`);
    else if (level === 'resource' && key === 'depends_on') last.push(`depends_on = ${references(v, at)}`);
    else if (level === 'resource' && key === 'lifecycle') last.push(lifecycle(asObject(v, at), at));
    else if (key === 'dynamic') blocks.push(...dynamicBlocks(v, schema, at, indent));
    else if (schema.attributes[key] !== undefined) {
      if (schema.attributes[key].startsWith('computed')) throw new HclRenderError(where, `key "${key}" is computed by the provider and cannot be set`);
      attributes.push(`${key} = ${attributeValue(key, v, at, here)}`);
    } else if (schema.blocks?.[key]) {
      const nested = schema.blocks[key];
      const items = Array.isArray(v) ? v : [v];
      for (const [i, item] of items.entries()) {
        if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new HclRenderError(at, `nested block given as ${typeof item === 'string' ? 'an expression' : JSON.stringify(item)}; HCL needs a block (or a dynamic block)`);
        blocks.push(`${key} ${body(item as Record<string, unknown>, nested, items.length > 1 ? `${at}[${i}]` : at, 'nested', indent + 1)}`);
      }
    } else if (level === 'resource' && (key === 'provisioner' || key === 'connection')) throw new HclRenderError(where, `key "${key}": provisioners are not rendered`);
    else throw new HclRenderError(where, `key "${key}" is neither an attribute nor a block of this type in the stored schema`);
  }
  const sections = [first, attributes, blocks, last].filter((s) => s.length > 0).map((s) => s.join('\n'));
  return sections.length === 0 ? '{}' : `{\n${sections.join('\n\n')}\n}`;
}

function dynamicBlocks(spec: unknown, schema: CompactBlock, where: string, indent: number): string[] {
  const out: string[] = [];
  for (const [label, specs] of entries(spec, where)) {
    const nested = schema.blocks?.[label];
    if (!nested) throw new HclRenderError(where, `dynamic "${label}" is not a block of this type in the stored schema`);
    for (const d of Array.isArray(specs) ? specs : [specs]) {
      const at = `${where} "${label}"`;
      const o = asObject(d, at);
      const lines: string[] = [];
      for (const [k, v] of Object.entries(o)) {
        if (k === 'for_each') lines.unshift(`for_each = ${value_(v, `${at}: key "for_each"`, pos(indent + 1, 'for_each'.length))}`);
        else if (k === 'iterator') lines.push(`iterator = ${reference(v, `${at}: key "iterator"`)}`);
        else if (k === 'labels') lines.push(`labels = ${value_(v, `${at}: key "labels"`, pos(indent + 1, 'for_each'.length))}`);
        else if (k === 'content') lines.push(`content ${body(asObject(v, `${at}: content`), nested, `${at}: content`, 'nested', indent + 2)}`);
        else throw new HclRenderError(at, `key "${k}" is not rendered`);
      }
      out.push(`dynamic ${quote(label)} {\n${lines.join('\n')}\n}`);
    }
  }
  return out;
}

function lifecycle(spec: Record<string, unknown>, where: string): string {
  const lines: string[] = [];
  for (const [key, v] of Object.entries(spec)) {
    const at = `${where}: key "${key}"`;
    if (key === 'create_before_destroy' || key === 'prevent_destroy') lines.push(`${key} = ${literalValue(v, at)}`);
    else if (key === 'ignore_changes') lines.push(`ignore_changes = ${v === 'all' ? 'all' : references(v, at)}`);
    else if (key === 'replace_triggered_by') lines.push(`replace_triggered_by = ${references(v, at)}`);
    else if (key === 'precondition' || key === 'postcondition') for (const rule of Array.isArray(v) ? v : [v]) lines.push(`${key} ${conditionBody(asObject(rule, at), at)}`);
    else throw new HclRenderError(where, `key "${key}" is not rendered`);
  }
  return `lifecycle {\n${lines.join('\n')}\n}`;
}

/** An attribute value; a policy attribute holding a JSON document becomes `jsonencode(...)`. */
function attributeValue(key: string, v: unknown, where: string, at: Position): string {
  if (POLICY_ATTRIBUTE.test(key) && typeof v === 'string' && v.trimStart().startsWith('{')) {
    let document: unknown;
    try {
      document = JSON.parse(v);
    } catch {
      document = undefined;
    }
    if (document !== null && typeof document === 'object') return `jsonencode(${value_(document, where, at)})`;
  }
  return value_(v, where, at);
}

// ---------------------------------------------------------------- values

/** A value whose strings are templates (resource arguments, locals, outputs). */
function value_(v: unknown, where: string, at: Position = pos(1, 0)): string {
  return render(v, where, template, at);
}

/** A value whose strings are literal (variable defaults, required_providers, backend settings). */
function literalValue(v: unknown, where: string): string {
  return render(v, where, (s) => quoted(literalAsTemplate(s)), pos(1, 0));
}

function literal(v: unknown, where: string): string {
  if (typeof v !== 'string') throw new HclRenderError(where, 'expected a string');
  return quoted(literalAsTemplate(v));
}

function render(v: unknown, where: string, str: (s: string, where: string, at: Position) => string, at: Position): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return str(v, where, at);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new HclRenderError(where, `number ${v} has no HCL form`);
    return String(v);
  }
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    const inline = `[${v.map((item, i) => render(item, `${where}[${i}]`, str, { indent: at.indent, column: at.column + 1 })).join(', ')}]`;
    if (at.column + inline.length <= LINE_WIDTH && !inline.includes('\n')) return inline;
    const items = v.map((item, i) => render(item, `${where}[${i}]`, str, pos(at.indent + 1, 0)));
    return `[\n${items.map((i) => `${i},`).join('\n')}\n]`;
  }
  if (typeof v === 'object') {
    const keys = Object.keys(v as object).filter((k) => k !== '//');
    if (keys.length === 0) return '{}';
    const inner = pos(at.indent + 1, widest(keys.map((k) => objectKey(k, where))));
    return `{\n${keys.map((k) => `${objectKey(k, where)} = ${render((v as Record<string, unknown>)[k], `${where}.${k}`, str, inner)}`).join('\n')}\n}`;
  }
  throw new HclRenderError(where, `value of type ${typeof v} has no HCL form`);
}

/** A template string: a lone `${expr}` is the bare expression, anything else a quoted template or a heredoc. */
function template(text: string, where: string, at: Position): string {
  let parts;
  try {
    parts = splitTemplate(text);
  } catch (error) {
    if (error instanceof TemplateSyntaxError) throw new HclRenderError(where, error.message);
    throw error;
  }
  if (parts.length === 1 && 'expression' in parts[0]) {
    const expression = parts[0].expression.trim();
    if (expression === '') throw new HclRenderError(where, 'empty interpolation');
    // A multi-line expression keeps its parentheses so newlines cannot end the attribute.
    if (expression.includes('\n')) return `(${expression})`;
    return layoutExpression(expression, { width: LINE_WIDTH, ...at });
  }
  const hasDirective = parts.some((p) => 'directive' in p);
  const literalText = parts.map((p) => ('literal' in p ? p.literal : '')).join('');
  if (literalText.includes('\n') && text.endsWith('\n') && text.length > 80 && !hasDirective) {
    const content = parts.map((p) => ('literal' in p ? p.literal : 'expression' in p ? `\${${p.expression}}` : '')).join('');
    if (!/^EOT$/m.test(content)) return `<<EOT\n${content}EOT`;
  }
  return `"${parts.map((p) => ('literal' in p ? escapeQuoted(p.literal) : 'expression' in p ? `\${${p.expression}}` : `%{${p.directive}}`)).join('')}"`;
}

function quoted(templateText: string): string {
  return `"${escapeQuoted(templateText)}"`;
}

function quote(label: string): string {
  return `"${escapeQuoted(label)}"`;
}

function objectKey(key: string, where: string): string {
  if (key.includes('${') || key.includes('%{')) throw new HclRenderError(where, `object key ${JSON.stringify(key)} is a template`);
  return IDENTIFIER.test(key) && !RESERVED_KEYS.has(key) ? key : quote(key);
}

/** A bare reference (`aws_vpc.this`, `aws.west`): `${...}` wrappers are removed. */
function reference(v: unknown, where: string): string {
  if (typeof v !== 'string') throw new HclRenderError(where, 'expected a reference string');
  const bare = /^\$\{(.*)\}$/s.exec(v)?.[1] ?? v;
  if (!/^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*|\[[^\]]+\])*$/.test(bare)) throw new HclRenderError(where, `${JSON.stringify(v)} is not a reference`);
  return bare;
}

function references(v: unknown, where: string): string {
  if (!Array.isArray(v)) throw new HclRenderError(where, 'expected a list of references');
  const items = v.map((r, i) => reference(r, `${where}[${i}]`));
  const inline = `[${items.join(', ')}]`;
  return inline.length <= 100 ? inline : `[\n${items.map((i) => `${i},`).join('\n')}\n]`;
}

function checkName(name: string, where: string): string {
  if (!IDENTIFIER.test(name)) throw new HclRenderError(where, `name ${JSON.stringify(name)} is not a valid Terraform identifier`);
  return name;
}

function asObject(v: unknown, where: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new HclRenderError(where, `expected an object, found ${Array.isArray(v) ? 'a list' : typeof v === 'string' ? 'an expression' : JSON.stringify(v)}`);
  return v as Record<string, unknown>;
}

function entries(v: unknown, where: string): Array<[string, unknown]> {
  return Object.entries(asObject(v, where)).filter(([k]) => k !== '//');
}

/** A JSON value as an HCL literal (strings literal: `${` escaped), for generated tfvars and test files. */
export function hclLiteral(v: unknown, where = 'value'): string {
  return literalValue(v, where);
}
