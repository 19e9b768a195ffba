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
