/**
 * Terraform's native syntax (`.tf`) and JSON syntax (`.tf.json`, `cdk.tf.json`) read into one
 * small expression tree ({@link Expr}) that analysis/evaluate/ evaluates.
 *
 * The parser is tree-sitter's HCL grammar (`@tree-sitter-grammars/tree-sitter-hcl`, its
 * Terraform variant) run by `web-tree-sitter` (WebAssembly: no native build on install).
 * Measured here against `@cdktf/hcl2json` (HashiCorp's hclsyntax in Go WebAssembly) on the
 * terraform-aws-modules vpc module (141 KB of HCL): load 20 ms vs 275 ms; the whole module
 * parsed in one synchronous call (~90 ms cold, a few ms warm) vs ~2 ms per expression through
 * an asynchronous bridge that returns JSON text; hcl2json's file parse also turns HCL into
 * Terraform's JSON form, losing types and literal strings. Loading the grammar is
 * asynchronous ({@link loadHclParser}); everything after it is synchronous.
 */
import { readFileSync } from 'node:fs';

/** One expression, as the evaluator sees it. `text` is the source, for messages. */
export type Expr =
  | { readonly k: 'lit'; readonly v: unknown; readonly text?: string }
  | { readonly k: 'tmpl'; readonly parts: ReadonlyArray<string | Expr>; readonly text: string }
  | { readonly k: 'name'; readonly name: string; readonly text: string }
  | { readonly k: 'attr'; readonly obj: Expr; readonly name: string; readonly text: string }
  | { readonly k: 'index'; readonly obj: Expr; readonly key: Expr; readonly text: string }
  | { readonly k: 'splat'; readonly obj: Expr; readonly each: Expr; readonly text: string }
  | { readonly k: 'anon'; readonly text: string }
  | { readonly k: 'tuple'; readonly items: readonly Expr[]; readonly text: string }
  | { readonly k: 'object'; readonly items: ReadonlyArray<readonly [Expr, Expr]>; readonly text: string }
  | { readonly k: 'call'; readonly name: string; readonly args: readonly Expr[]; readonly expand: boolean; readonly text: string }
  | { readonly k: 'cond'; readonly c: Expr; readonly t: Expr; readonly f: Expr; readonly text: string }
  | { readonly k: 'unary'; readonly op: string; readonly e: Expr; readonly text: string }
  | { readonly k: 'binary'; readonly op: string; readonly l: Expr; readonly r: Expr; readonly text: string }
  | {
      readonly k: 'for';
      readonly keyVar?: string;
      readonly valVar: string;
      readonly coll: Expr;
      readonly key?: Expr;
      readonly val: Expr;
      readonly cond?: Expr;
      readonly group: boolean;
      readonly text: string;
    }
  /** A block body: attributes and nested blocks (a list per block type, `dynamic` blocks expanded at evaluation). */
  | { readonly k: 'body'; readonly body: Body; readonly text: string }
  | { readonly k: 'unsupported'; readonly why: string; readonly text: string };

/** A `dynamic "name" { for_each, iterator, content {} }` block. */
export interface DynamicBlock {
  readonly forEach: Expr;
  readonly iterator: string;
  readonly content: Body;
}

/** The attributes and nested blocks of a block (or a file). */
export interface Body {
  readonly attrs: Record<string, Expr>;
  /** Nested blocks by type, in order; a `dynamic` one stands where it was written. */
  readonly blocks: Record<string, Array<Body | DynamicBlock>>;
}

/** A top-level block (`resource "aws_vpc" "main" { ... }`). */
export interface TopBlock {
  readonly type: string;
  readonly labels: string[];
  readonly body: Body;
  readonly file: string;
  readonly line: number;
}

// ---------------------------------------------------------------------------------------
// The tree-sitter parser

interface SyntaxNode {
  readonly type: string;
  readonly text: string;
  readonly isNamed: boolean;
  readonly hasError: boolean;
  readonly children: SyntaxNode[];
  readonly namedChildren: SyntaxNode[];
  readonly startPosition: { row: number; column: number };
  childForFieldName(name: string): SyntaxNode | null;
}
interface TreeSitterParser {
  parse(text: string): { rootNode: SyntaxNode; delete(): void } | null;
}

let parser: TreeSitterParser | undefined;
let loading: Promise<void> | undefined;

/** Loads the grammar once (about 20 ms); the parse functions below need it. */
export function loadHclParser(): Promise<void> {
  loading ??= (async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ts = require('web-tree-sitter') as {
      Parser: { init(): Promise<void>; new (): TreeSitterParser & { setLanguage(l: unknown): void } };
      Language: { load(input: Uint8Array): Promise<unknown> };
    };
    await ts.Parser.init();
    const wasm = readFileSync(require.resolve('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm'));
    const language = await ts.Language.load(wasm);
    const p = new ts.Parser();
    p.setLanguage(language);
    parser = p;
  })();
  return loading;
}

function requireParser(): TreeSitterParser {
  if (!parser) throw new Error('the HCL parser is not loaded: await loadHclParser() first');
  return parser;
}

/** A parse error, with the file and line. */
export class HclSyntaxError extends Error {
  constructor(readonly file: string, readonly line: number, detail: string) {
    super(`${file}:${line}: ${detail}`);
    this.name = 'HclSyntaxError';
  }
}

/** The top-level blocks of a `.tf` file. */
export function parseHclFile(text: string, file: string): TopBlock[] {
  const tree = requireParser().parse(text);
  if (!tree) throw new HclSyntaxError(file, 1, 'cannot parse');
  try {
    const root = tree.rootNode;
    const body = root.namedChildren.find((n) => n.type === 'body');
    const out: TopBlock[] = [];
    for (const node of body?.namedChildren ?? []) {
      if (node.type !== 'block') continue;
      if (node.hasError) throw new HclSyntaxError(file, node.startPosition.row + 1, `syntax error in ${node.text.split('\n')[0]}`);
      let parts: ReturnType<typeof blockParts>;
      try {
        parts = blockParts(node);
      } catch (error) {
        if (error instanceof RangeError) throw new HclSyntaxError(file, node.startPosition.row + 1, 'an expression nested too deeply to read');
        throw error;
      }
      const { type, labels, body: inner } = parts;
      out.push({ type, labels, body: inner, file, line: node.startPosition.row + 1 });
    }
    return out;
  } finally {
    tree.delete();
  }
}

/** One expression's text (`var.x[0]`), parsed. */
export function parseExpression(text: string): Expr {
  const tree = requireParser().parse(`x = ${text}\n`);
  if (!tree) return { k: 'unsupported', why: 'cannot parse', text };
  try {
    const attribute = tree.rootNode.namedChildren.find((n) => n.type === 'body')?.namedChildren.find((n) => n.type === 'attribute');
    const expression = attribute?.namedChildren.find((n) => n.type === 'expression');
    if (!expression || tree.rootNode.hasError) return { k: 'unsupported', why: 'syntax error', text };
    try {
      return expr(expression);
    } catch (error) {
      if (error instanceof RangeError) return { k: 'unsupported', why: 'expression nested too deeply', text: text.slice(0, 120) };
      throw error;
    }
  } finally {
    tree.delete();
  }
}

/** A JSON-syntax string: a template when it holds `${` or `%{`, else the literal. */
export function parseJsonTemplate(value: string): Expr {
  if (!value.includes('${') && !value.includes('%{')) return { k: 'lit', v: value };
  const quoted = `"${quoteTemplate(value)}"`;
  const parsed = parseExpression(quoted);
  return parsed.k === 'unsupported' ? { ...parsed, text: value } : parsed;
}

/** A JSON string's template as HCL quoted-template text: literal parts escaped, `${...}`/`%{...}` sequences as written. */
function quoteTemplate(value: string): string {
  let out = '';
  let i = 0;
  const escape = (c: string) => (c === '\\' ? '\\\\' : c === '"' ? '\\"' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : c);
  while (i < value.length) {
    if ((value[i] === '$' || value[i] === '%') && value[i + 1] === '{') {
      let depth = 0;
      let j = i + 1;
      let inString = false;
      for (; j < value.length; j++) {
        const c = value[j];
        if (inString) {
          if (c === '\\') j++;
          else if (c === '"') inString = false;
          continue;
        }
        if (c === '"') inString = true;
        else if (c === '{') depth++;
        else if (c === '}' && --depth === 0) break;
      }
      out += value.slice(i, j + 1).replace(/\n/g, ' ');
      i = j + 1;
      continue;
    }
    out += escape(value[i]);
    i++;
  }
  return out;
}

function blockParts(node: SyntaxNode): { type: string; labels: string[]; body: Body } {
  const named = node.namedChildren;
  const type = named[0].text;
  const labels: string[] = [];
  let body: Body = { attrs: {}, blocks: {} };
  for (const c of named.slice(1)) {
    if (c.type === 'string_lit') labels.push(stringLiteral(c));
    else if (c.type === 'identifier') labels.push(c.text);
    else if (c.type === 'body') body = bodyOf(c);
  }
  return { type, labels, body };
}

function bodyOf(node: SyntaxNode): Body {
  const attrs: Record<string, Expr> = {};
  const blocks: Record<string, Array<Body | DynamicBlock>> = {};
  for (const c of node.namedChildren) {
    if (c.type === 'attribute') {
      const [id, value] = [c.namedChildren[0], c.namedChildren.find((n) => n.type === 'expression')];
      if (id && value) attrs[id.text] = expr(value);
    } else if (c.type === 'block') {
      const { type, labels, body } = blockParts(c);
      if (type === 'dynamic' && labels.length === 1) {
        const content = (body.blocks.content?.[0] as Body | undefined) ?? { attrs: {}, blocks: {} };
        const iterator = body.attrs.iterator;
        const name = iterator && iterator.k === 'name' ? iterator.name : labels[0];
        (blocks[labels[0]] ??= []).push({ forEach: body.attrs.for_each ?? { k: 'lit', v: [] }, iterator: name, content });
      } else {
        (blocks[type] ??= []).push(body);
      }
    }
  }
  return { attrs, blocks };
}

function stringLiteral(node: SyntaxNode): string {
  return node.namedChildren
    .filter((n) => n.type === 'template_literal')
    .map((n) => unescape(n.text))
    .join('');
}

function unescape(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|\$\$\{|%%\{/g, (all, esc: string | undefined) => {
    if (all === '$${') return '${';
    if (all === '%%{') return '%{';
    switch (esc?.[0]) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'u':
      case 'U':
        return String.fromCodePoint(parseInt(esc.slice(1), 16));
      default:
        return esc ?? all;
    }
  });
}

const BINARY: Record<string, string> = { '+': '+', '-': '-', '*': '*', '/': '/', '%': '%', '==': '==', '!=': '!=', '<': '<', '>': '>', '<=': '<=', '>=': '>=', '&&': '&&', '||': '||' };

/** Converts an `expression` node (primary + its postfix traversals) or any expression-like node. */
function expr(node: SyntaxNode): Expr {
  const text = node.text;
  switch (node.type) {
    case 'expression': {
      const parts = node.children.filter((c) => c.isNamed || c.type === '(');
      // `( expr )`: a parenthesized expression.
      if (node.children[0]?.type === '(') return expr(node.namedChildren[0]);
      let current = expr(parts[0]);
      for (const post of parts.slice(1)) current = postfix(current, post, text);
      return current;
    }
    case 'literal_value':
      return literal(node.namedChildren[0]);
    case 'collection_value':
      return expr(node.namedChildren[0]);
    case 'tuple':
      return { k: 'tuple', items: node.namedChildren.filter((n) => n.type === 'expression').map(expr), text };
    case 'object':
      return {
        k: 'object',
        items: node.namedChildren
          .filter((n) => n.type === 'object_elem')
          .map((e) => {
            const [key, value] = e.namedChildren.filter((n) => n.type === 'expression');
            return [objectKey(key), expr(value)] as const;
          }),
        text,
      };
    case 'variable_expr':
      return { k: 'name', name: node.namedChildren[0].text, text };
    case 'function_call': {
      const name = node.namedChildren[0].text;
      const argsNode = node.namedChildren.find((n) => n.type === 'function_arguments');
      const args = argsNode ? argsNode.namedChildren.filter((n) => n.type === 'expression').map(expr) : [];
      const expand = argsNode ? argsNode.namedChildren.some((n) => n.type === 'ellipsis') : false;
      return { k: 'call', name, args, expand, text };
    }
    case 'conditional': {
      const [c, t, f] = node.namedChildren.filter((n) => n.type === 'expression').map(expr);
      return { k: 'cond', c, t, f, text };
    }
    case 'operation':
      return expr(node.namedChildren[0]);
    case 'unary_operation': {
      const op = node.children[0].type;
      return { k: 'unary', op, e: operand(node.children.slice(1), text), text };
    }
    case 'binary_operation': {
      // The grammar flattens an operand's traversals into the operation: split at the operator.
      const at = node.children.findIndex((c) => !c.isNamed && c.type in BINARY);
      if (at < 0) return { k: 'unsupported', why: 'operator is not evaluated', text };
      const op = node.children[at].type;
      return { k: 'binary', op, l: operand(node.children.slice(0, at), text), r: operand(node.children.slice(at + 1), text), text };
    }
    case 'template_expr':
      return expr(node.namedChildren[0]);
    case 'string_lit':
    case 'quoted_template':
      return template(node, text, false);
    case 'heredoc_template':
      return template(node, text, true);
    case 'for_expr':
      return forExpr(node.namedChildren[0], text);
    default:
      return { k: 'unsupported', why: `${node.type} is not evaluated`, text };
  }
}

/** An operand written as a primary and its traversals (`var.x[0].id`). */
function operand(nodes: SyntaxNode[], text: string): Expr {
  const parts = nodes.filter((n) => n.isNamed);
  if (parts.length === 0) return { k: 'unsupported', why: 'empty operand', text };
  let current = expr(parts[0]);
  for (const post of parts.slice(1)) current = postfix(current, post, text);
  return current;
}

function objectKey(key: SyntaxNode): Expr {
  // A bare identifier as a key is its name (`{ a = 1 }`), not a reference.
  const only = key.namedChildren.length === 1 ? key.namedChildren[0] : undefined;
  if (only?.type === 'variable_expr') return { k: 'lit', v: only.text, text: only.text };
  return expr(key);
}

function literal(node: SyntaxNode): Expr {
  const text = node.text;
  switch (node.type) {
    case 'numeric_lit':
      return { k: 'lit', v: Number(text), text };
    case 'bool_lit':
      return { k: 'lit', v: text === 'true', text };
    case 'null_lit':
      return { k: 'lit', v: null, text };
    case 'string_lit':
      return template(node, text, false);
    default:
      return { k: 'unsupported', why: `${node.type} is not evaluated`, text };
  }
}

function template(node: SyntaxNode, text: string, heredoc: boolean): Expr {
  const parts: Array<string | Expr> = [];
  for (const c of node.namedChildren) {
    if (c.type === 'template_literal') parts.push(heredoc ? c.text : unescape(c.text));
    else if (c.type === 'template_interpolation') {
      const inner = c.namedChildren.find((n) => n.type === 'expression');
      if (inner) parts.push(expr(inner));
    } else if (c.type === 'template_directive') {
      return { k: 'unsupported', why: 'template directives (%{ if } / %{ for }) are not evaluated', text };
    }
  }
  if (heredoc) {
    const indented = /^<<-/.test(text);
    return { k: 'tmpl', parts: indented ? dedent(parts) : parts, text };
  }
  if (parts.length === 0) return { k: 'lit', v: '', text };
  if (parts.every((p) => typeof p === 'string')) return { k: 'lit', v: parts.join(''), text };
  return { k: 'tmpl', parts, text };
}

/** `<<-EOT`: strips the smallest indentation of the literal lines, as Terraform does. */
function dedent(parts: Array<string | Expr>): Array<string | Expr> {
  const literalText = parts.filter((p): p is string => typeof p === 'string').join('');
  const lines = literalText.split('\n').filter((l) => l.trim() !== '');
  const indent = Math.min(...lines.map((l) => /^[ \t]*/.exec(l)![0].length), Infinity);
  if (!Number.isFinite(indent) || indent === 0) return parts;
  const strip = new RegExp(`(^|\\n)[ \\t]{0,${indent}}`, 'g');
  return parts.map((p, i) => (typeof p === 'string' ? (i === 0 ? p.replace(strip, '$1') : p.replace(new RegExp(`\\n[ \\t]{0,${indent}}`, 'g'), '\n')) : p));
}

function forExpr(node: SyntaxNode, text: string): Expr {
  const intro = node.namedChildren.find((n) => n.type === 'for_intro')!;
  const ids = intro.namedChildren.filter((n) => n.type === 'identifier').map((n) => n.text);
  const coll = expr(intro.namedChildren.find((n) => n.type === 'expression')!);
  const exprs = node.namedChildren.filter((n) => n.type === 'expression').map(expr);
  const condNode = node.namedChildren.find((n) => n.type === 'for_cond');
  const cond = condNode ? expr(condNode.namedChildren.find((n) => n.type === 'expression')!) : undefined;
  const group = node.namedChildren.some((n) => n.type === 'ellipsis');
  const [keyVar, valVar] = ids.length === 2 ? [ids[0], ids[1]] : [undefined, ids[0]];
  if (node.type === 'for_object_expr') return { k: 'for', keyVar, valVar, coll, key: exprs[0], val: exprs[1], cond, group, text };
  return { k: 'for', keyVar, valVar, coll, val: exprs[0], cond, group: false, text };
}

function postfix(current: Expr, node: SyntaxNode, text: string): Expr {
  switch (node.type) {
    case 'get_attr': {
      const name = node.namedChildren[0].text;
      return /^\d+$/.test(name) ? { k: 'index', obj: current, key: { k: 'lit', v: Number(name) }, text } : { k: 'attr', obj: current, name, text };
    }
    case 'index': {
      const inner = node.namedChildren[0];
      if (inner.type === 'legacy_index') return { k: 'index', obj: current, key: { k: 'lit', v: Number(inner.text.replace(/^\./, '')) }, text };
      const keyNode = inner.namedChildren.find((n) => n.type === 'expression');
      return { k: 'index', obj: current, key: keyNode ? expr(keyNode) : { k: 'unsupported', why: 'empty index', text }, text };
    }
    case 'splat': {
      const kind = node.namedChildren[0];
      let each: Expr = { k: 'anon', text: '' };
      for (const post of kind.namedChildren) each = postfix(each, post, text);
      return { k: 'splat', obj: current, each, text };
    }
    default:
      return { k: 'unsupported', why: `${node.type} is not evaluated`, text };
  }
}

// ---------------------------------------------------------------------------------------
// JSON syntax

/** A JSON-syntax value as an expression: strings are templates; objects and arrays nest. */
export function jsonExpr(value: unknown): Expr {
  if (typeof value === 'string') return parseJsonTemplate(value);
  if (Array.isArray(value)) return { k: 'tuple', items: value.map(jsonExpr), text: '[...]' };
  if (value && typeof value === 'object') {
    return { k: 'object', items: Object.entries(value).filter(([key]) => key !== '//').map(([key, v]) => [{ k: 'lit', v: key }, jsonExpr(v)] as const), text: '{...}' };
  }
  return { k: 'lit', v: value };
}

/**
 * A JSON-syntax block body. Whether a key is an attribute or a nested block depends on the
 * provider's schema, which is not read here: every key is an attribute whose value (an object,
 * or a list of objects) reads the same as the block would. `dynamic` is a dynamic block.
 */
export function jsonBody(block: Record<string, unknown>): Body {
  const attrs: Record<string, Expr> = {};
  const blocks: Record<string, Array<Body | DynamicBlock>> = {};
  for (const [key, value] of Object.entries(block)) {
    if (key === '//') continue;
    if (key === 'dynamic' && value && typeof value === 'object') {
      for (const [name, spec] of Object.entries(value as Record<string, unknown>)) {
        for (const s of (Array.isArray(spec) ? spec : [spec]) as Array<Record<string, unknown>>) {
          const contentRaw = s.content;
          const content = (Array.isArray(contentRaw) ? contentRaw[0] : contentRaw) as Record<string, unknown> | undefined;
          (blocks[name] ??= []).push({ forEach: jsonExpr(s.for_each ?? []), iterator: typeof s.iterator === 'string' ? s.iterator : name, content: jsonBody(content ?? {}) });
        }
      }
      continue;
    }
    attrs[key] = jsonExpr(value);
  }
  return { attrs, blocks };
}
