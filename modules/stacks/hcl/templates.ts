/**
 * Terraform JSON strings are string templates: literal text with `${ expression }`
 * interpolations (`$${` is a literal `${`, `%%{` a literal `%{`). This splits one into its
 * parts so the printer can write native expressions, and escapes text for HCL.
 */

/** A literal piece (HCL escapes `$${`/`%%{` kept as written) or the source text of an interpolation or directive. */
export type TemplatePart = { readonly literal: string } | { readonly expression: string } | { readonly directive: string };

/** Thrown for a template the printer cannot split (unbalanced braces or quotes). */
export class TemplateSyntaxError extends Error {}

/** Splits a Terraform JSON template string. */
export function splitTemplate(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i) || text.startsWith('%%{', i)) {
      literal += text.slice(i, i + 3);
      i += 3;
    } else if (text.startsWith('${', i) || text.startsWith('%{', i)) {
      if (literal) parts.push({ literal });
      literal = '';
      const end = scanExpression(text, i + 2);
      const inner = text.slice(i + 2, end);
      parts.push(text[i] === '$' ? { expression: inner } : { directive: inner });
      i = end + 1;
    } else {
      literal += text[i];
      i += 1;
    }
  }
  if (literal) parts.push({ literal });
  return parts;
}

/** Index of the `}` closing an interpolation whose expression starts at `start`. */
function scanExpression(text: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      i = scanQuoted(text, i + 1);
      continue;
    }
    if (c === '{' || c === '[' || c === '(') depth += 1;
    else if (c === ']' || c === ')') depth -= 1;
    else if (c === '}') {
      if (depth === 0) return i;
      depth -= 1;
    }
    i += 1;
  }
  throw new TemplateSyntaxError(`unterminated interpolation in ${JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}...` : text)}`);
}

/** Index just after the `"` closing a quoted template inside an expression. */
function scanQuoted(text: string, start: number): number {
  let i = start;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') i += 2;
    else if (c === '"') return i + 1;
    else if (text.startsWith('$${', i) || text.startsWith('%%{', i)) i += 3;
    else if (text.startsWith('${', i) || text.startsWith('%{', i)) i = scanExpression(text, i + 2) + 1;
    else i += 1;
  }
  throw new TemplateSyntaxError(`unterminated string in ${JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}...` : text)}`);
}

/** Escapes literal template text for an HCL quoted string (the `$${`/`%%{` escapes are already there). */
export function escapeQuoted(literal: string): string {
  return literal.replace(/[\\"\n\r\t\u0000-\u001f]/g, (c) => {
    switch (c) {
      case '\\':
        return '\\\\';
      case '"':
        return '\\"';
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default:
        return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
  });
}

/** A literal (non-template) string as template text: `${` and `%{` become their escapes. */
export function literalAsTemplate(text: string): string {
  return text.replace(/([$%])\{/g, '$1$1{');
}

/** A bracketed group of an expression: `{...}`, `[...]` or `(...)`, its parts text or groups. */
interface Group {
  readonly open: string;
  readonly parts: Array<string | Group>;
}

const CLOSE: Record<string, string> = { '{': '}', '[': ']', '(': ')' };

/**
 * Breaks a long native expression over lines at its object and tuple constructors
 * (`jsonencode({ ... })` one item a line), so a reviewer reads a policy as a block. Only
 * inside brackets, where HCL allows newlines; `for` expressions, strings and heredocs stay
 * as written. The formatter then indents. Returns the text unchanged when it cannot tokenize it.
 */
export function reflowExpression(expression: string, width = 100): string {
  if (expression.length <= width || expression.includes('<<')) return expression;
  let root: Group;
  try {
    root = groupOf(expression);
  } catch {
    return expression;
  }
  return renderGroup(root, width, true);
}

function groupOf(text: string): Group {
  const root: Group = { open: '', parts: [] };
  const stack: Group[] = [root];
  let i = 0;
  let plain = '';
  const flush = () => {
    if (plain) stack[stack.length - 1].parts.push(plain);
    plain = '';
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      const end = quotedEnd(text, i + 1);
      plain += text.slice(i, end);
      i = end;
    } else if (c === '{' || c === '[' || c === '(') {
      flush();
      const g: Group = { open: c, parts: [] };
      stack[stack.length - 1].parts.push(g);
      stack.push(g);
      i += 1;
    } else if (c === '}' || c === ']' || c === ')') {
      flush();
      const g = stack.pop();
      if (!g || stack.length === 0 || CLOSE[g.open] !== c) throw new TemplateSyntaxError('unbalanced');
      i += 1;
    } else {
      plain += c;
      i += 1;
    }
  }
  flush();
  if (stack.length !== 1) throw new TemplateSyntaxError('unbalanced');
  return root;
}

function quotedEnd(text: string, start: number): number {
  let i = start;
  while (i < text.length) {
    if (text[i] === '\\') i += 2;
    else if (text[i] === '"') return i + 1;
    else if (text.startsWith('$${', i) || text.startsWith('%%{', i)) i += 3;
    else if (text.startsWith('${', i) || text.startsWith('%{', i)) i = closingBrace(text, i + 2) + 1;
    else i += 1;
  }
  throw new TemplateSyntaxError('unterminated string');
}

/** Index of the `}` closing an interpolation starting at `start` (strings inside skipped). */
function closingBrace(text: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      i = quotedEnd(text, i + 1);
      continue;
    }
    if (c === '{') depth += 1;
    else if (c === '}') {
      if (depth === 0) return i;
      depth -= 1;
    }
    i += 1;
  }
  throw new TemplateSyntaxError('unterminated interpolation');
}

function flat(g: Group): string {
  const inner = g.parts.map((p) => (typeof p === 'string' ? p : flat(p))).join('');
  return g.open ? `${g.open}${inner}${CLOSE[g.open]}` : inner;
}

function renderGroup(g: Group, width: number, root = false): string {
  const inline = flat(g);
  if (!root && inline.length <= width) return inline;
  const renderParts = (parts: Array<string | Group>) => parts.map((p) => (typeof p === 'string' ? p : renderGroup(p, width))).join('');
  if (root || g.open === '(') return root ? renderParts(g.parts) : `(${renderParts(g.parts)})`;
  const first = g.parts.find((p) => typeof p !== 'string' || p.trim() !== '');
  // A for expression keeps its one line: newline rules inside them differ.
  if (typeof first === 'string' && /^\s*for\s/.test(first)) return inline;
  const items = splitItems(g.parts).map((item) => renderParts(item).trim()).filter((t) => t !== '');
  if (items.length === 0) return inline;
  return g.open === '[' ? `[\n${items.map((t) => `${t},`).join('\n')}\n]` : `{\n${items.join('\n')}\n}`;
}

/** The items of a constructor: parts split at top-level commas. */
function splitItems(parts: Array<string | Group>): Array<Array<string | Group>> {
  const items: Array<Array<string | Group>> = [[]];
  for (const p of parts) {
    if (typeof p !== 'string') {
      items[items.length - 1].push(p);
      continue;
    }
    let rest = p;
    let cut = topLevelComma(rest);
    while (cut >= 0) {
      items[items.length - 1].push(rest.slice(0, cut));
      items.push([]);
      rest = rest.slice(cut + 1);
      cut = topLevelComma(rest);
    }
    items[items.length - 1].push(rest);
  }
  return items;
}

/** First comma outside a quoted string in a plain (bracket-free) piece. */
function topLevelComma(text: string): number {
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') i = quotedEnd(text, i + 1);
    else if (text[i] === ',') return i;
    else i += 1;
  }
  return -1;
}
