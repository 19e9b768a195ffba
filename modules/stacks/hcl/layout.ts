/**
 * Line layout for native HCL expressions: a long expression is broken where a person would
 * break it, and only where HCL allows a newline.
 *
 * HCL ignores newlines inside `(...)`, `[...]` and `for` expressions; inside an object
 * constructor `{...}` a newline ends an item. So:
 * - a function call breaks one argument a line, or hugs its last (or only) argument:
 *   `jsonencode({` ... `})`, `merge(var.tags, {` ... `})`;
 * - a tuple breaks one item a line (with a trailing comma), an object one `key = value` a line;
 * - a `for` expression breaks before `if`, and after its `:` when the body is long;
 * - a conditional breaks before `?` and `:`, a chain of `||` or `&&` before each operator; outside
 *   brackets (an attribute value, an object item) such an expression is wrapped in parentheses
 *   first, which changes nothing but lets it continue over lines.
 * Strings and templates are never split. The output has no indentation: hclwrite (terraform
 * fmt) indents one level per line that opens brackets, which is what the widths here assume.
 */

/** A token of an expression: a word (identifier, number, operator not broken at), a string, an operator or a comma. */
interface Token {
  readonly kind: 'word' | 'string' | 'op' | 'comma';
  readonly text: string;
  /** Whitespace before it in the source. */
  readonly space: boolean;
}

/** A bracketed group: `(...)`, `[...]` or `{...}`. */
interface Group {
  readonly kind: 'group';
  readonly open: string;
  readonly body: Node[];
  readonly space: boolean;
  /** Whitespace before the closing bracket. */
  closeSpace: boolean;
}

type Node = Token | Group;

const CLOSE: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const OPERATORS = ['&&', '||', '==', '!=', '<=', '>=', '=>', '...', '=', '?', ':', '<', '>', '+', '*', '/', '%'];
const SPECIAL = /[\s"(){}[\],?:=&|<>+*/%]/;

/** Layout options. */
export interface LayoutOptions {
  /** The widest a line may be, indentation included. */
  readonly width?: number;
  /** The column the expression starts at (after `key = `). */
  readonly column?: number;
  /** The indentation level (two spaces each) of the line the expression starts on. */
  readonly indent?: number;
  /** A type expression: every `object({...})` and `tuple([...])` of two or more items one item a line. */
  readonly type?: boolean;
}

/** Thrown for text this layout cannot tokenize (heredocs, unbalanced brackets): it is then left as written. */
class Untokenizable extends Error {}

/**
 * `expression` laid out within `width` (default 120) starting at `column`; unchanged when it fits
 * or cannot be tokenized. `strict`: the expression stands where a newline would end it (an
 * attribute value), so a broken conditional or operator chain gets parentheses.
 */
export function layoutExpression(expression: string, options: LayoutOptions = {}): string {
  const width = options.width ?? 120;
  const column = options.column ?? 0;
  let nodes: Node[];
  try {
    nodes = tokenize(expression);
  } catch (error) {
    if (error instanceof Untokenizable) return expression;
    throw error;
  }
  const layout = new Layout(width, options.type ?? false);
  return layout.expression(nodes, column, options.indent ?? 0, true).join('\n');
}

// ---------------------------------------------------------------- tokens

function tokenize(text: string): Node[] {
  const root: Group = { kind: 'group', open: '', body: [], space: false, closeSpace: false };
  const stack: Group[] = [root];
  let space = false;
  let i = 0;
  const push = (node: Node) => {
    stack[stack.length - 1].body.push(node);
    space = false;
  };
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      space = true;
      i += 1;
    } else if (text.startsWith('<<', i)) {
      throw new Untokenizable('heredoc');
    } else if (c === '"') {
      const end = quotedEnd(text, i + 1);
      push({ kind: 'string', text: text.slice(i, end), space });
      i = end;
    } else if (c === '(' || c === '[' || c === '{') {
      const group: Group = { kind: 'group', open: c, body: [], space, closeSpace: false };
      push(group);
      stack.push(group);
      i += 1;
    } else if (c === ')' || c === ']' || c === '}') {
      const group = stack.pop();
      if (!group || stack.length === 0 || CLOSE[group.open] !== c) throw new Untokenizable('unbalanced');
      group.closeSpace = space;
      space = false;
      i += 1;
    } else if (c === ',') {
      push({ kind: 'comma', text: ',', space });
      i += 1;
    } else {
      const op = OPERATORS.find((o) => text.startsWith(o, i));
      // `!` before anything but `=` is unary not and stays with its operand (a word).
      if (op) {
        push({ kind: 'op', text: op, space });
        i += op.length;
      } else {
        let end = i + 1;
        while (end < text.length && !SPECIAL.test(text[end]) && !(text[end] === '!' && text[end + 1] === '=')) end += 1;
        push({ kind: 'word', text: text.slice(i, end), space });
        i = end;
      }
    }
  }
  if (stack.length !== 1) throw new Untokenizable('unbalanced');
  return root.body;
}

/** Index just after the `"` closing a quoted template (interpolations and escapes skipped). */
function quotedEnd(text: string, start: number): number {
  let i = start;
  while (i < text.length) {
    if (text[i] === '\\') i += 2;
    else if (text[i] === '"') return i + 1;
    else if (text.startsWith('$${', i) || text.startsWith('%%{', i)) i += 3;
    else if (text.startsWith('${', i) || text.startsWith('%{', i)) i = closingBrace(text, i + 2) + 1;
    else i += 1;
  }
  throw new Untokenizable('unterminated string');
}

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
  throw new Untokenizable('unterminated interpolation');
}

/** The nodes as one line, with their original spacing. */
function flat(nodes: readonly Node[]): string {
  return nodes.map((n, i) => (i > 0 && n.space ? ' ' : '') + flatNode(n)).join('');
}

function flatNode(n: Node): string {
  if (n.kind !== 'group') return n.text;
  const inner = flat(n.body);
  // hclwrite writes a one-line object constructor as `{ a = 1 }`: measure what it will write.
  if (n.open === '{' && n.body.length > 0) return `{ ${inner} }`;
  const open = n.body.length > 0 && n.body[0].space ? `${n.open} ` : n.open;
  return `${open}${inner}${n.closeSpace ? ' ' : ''}${CLOSE[n.open]}`;
}

const isOp = (n: Node | undefined, text: string) => n !== undefined && n.kind === 'op' && n.text === text;
const isWord = (n: Node | undefined, text: string) => n !== undefined && n.kind === 'word' && n.text === text;

/** `nodes` cut at every top-level node matching `at` (the matches dropped). */
function splitAt(nodes: readonly Node[], at: (n: Node) => boolean): Node[][] {
  const parts: Node[][] = [[]];
  for (const n of nodes) {
    if (at(n)) parts.push([]);
    else parts[parts.length - 1].push(n);
  }
  return parts;
}

/** A top-level conditional `c ? a : b` as its three parts (the last may hold further conditionals). */
function conditional(nodes: readonly Node[]): [Node[], Node[], Node[]] | undefined {
  const q = nodes.findIndex((n) => isOp(n, '?'));
  if (q <= 0) return undefined;
  let depth = 0;
  for (let i = q + 1; i < nodes.length; i += 1) {
    if (isOp(nodes[i], '?')) depth += 1;
    else if (isOp(nodes[i], ':')) {
      if (depth === 0) return [nodes.slice(0, q), nodes.slice(q + 1, i), nodes.slice(i + 1)];
      depth -= 1;
    }
  }
  return undefined;
}

/** A `[for ...]` or `{for ...}` body: header (`for k, v in x :`), result, and the `if` filter. */
function forParts(body: readonly Node[]): { header: Node[]; result: Node[]; filter: Node[] } | undefined {
  if (!isWord(body[0], 'for')) return undefined;
  const colon = body.findIndex((n) => isOp(n, ':'));
  if (colon < 0) return undefined;
  let iff = -1;
  for (let i = body.length - 1; i > colon; i -= 1) if (isWord(body[i], 'if')) iff = i;
  const end = iff < 0 ? body.length : iff;
  return { header: body.slice(0, colon + 1), result: body.slice(colon + 1, end), filter: iff < 0 ? [] : body.slice(iff) };
}

/** Lines; the first continues the line it starts on. */
type Lines = string[];

class Layout {
  constructor(
    private readonly width: number,
    private readonly typeMode: boolean,
  ) {}

  private fits(column: number, text: string): boolean {
    return !text.includes('\n') && column + text.length <= this.width;
  }

  private col(indent: number): number {
    return indent * 2;
  }

  /** An expression starting at `column` on a line of level `indent`; `strict` where a newline would end it. */
  expression(nodes: Node[], column: number, indent: number, strict: boolean): Lines {
    const text = flat(nodes);
    if (this.fits(column, text) && !this.mustBreak(nodes)) return [text];
    const joints = this.joints(nodes);
    if (joints) {
      if (strict) return ['(', ...joints.flatMap((j) => this.prefixed(j, indent + 1)), ')'];
      return [...this.prefixed(joints[0], indent, column), ...joints.slice(1).flatMap((j) => this.prefixed(j, indent))];
    }
    return this.sequence(nodes, column, indent);
  }

  /** Where an expression breaks at its lowest-precedence operator: conditional, then `||`, then `&&`. */
  private joints(nodes: Node[]): Array<{ prefix: string; nodes: Node[] }> | undefined {
    const cond = conditional(nodes);
    if (cond) return [{ prefix: '', nodes: cond[0] }, { prefix: '? ', nodes: cond[1] }, { prefix: ': ', nodes: cond[2] }];
    for (const op of ['||', '&&']) {
      const parts = splitAt(nodes, (n) => isOp(n, op));
      if (parts.length > 1) return parts.map((p, i) => ({ prefix: i === 0 ? '' : `${op} `, nodes: p }));
    }
    return undefined;
  }

  /** One joint on its own line (or continuing `column` for the first). */
  private prefixed(joint: { prefix: string; nodes: Node[] }, indent: number, column?: number): Lines {
    const start = (column ?? this.col(indent)) + joint.prefix.length;
    // A part that itself breaks at its operators gets parentheses, so no reader has to work
    // out which `?` a `:` belongs to.
    const lines = this.expression(joint.nodes, start, indent, true);
    return [`${joint.prefix}${lines[0]}`, ...lines.slice(1)];
  }

  /** Words and groups in a row: a group breaks when the line would otherwise be too long. */
  private sequence(nodes: Node[], column: number, indent: number): Lines {
    const lines: Lines = [''];
    let at = column;
    nodes.forEach((n, i) => {
      const gap = i > 0 && n.space ? ' ' : '';
      const rest = flat(nodes.slice(i + 1));
      let piece: Lines;
      const index = n.kind === 'group' && n.open === '[' && !n.space && i > 0;
      if (n.kind === 'group' && !index && (this.mustBreak([n]) || !this.fits(at + gap.length, flatNode(n) + (nextIsGroup(nodes, i) ? '' : rest)))) {
        piece = this.group(n, at + gap.length, indent, call(nodes, i));
      } else piece = [flatNode(n)];
      lines[lines.length - 1] += gap + piece[0];
      lines.push(...piece.slice(1));
      at = lines.length === 1 ? column + lines[0].length : lastColumn(lines, indent);
    });
    return lines;
  }

  /** A type expression's object and tuple constructors of two or more items always break. */
  private mustBreak(nodes: readonly Node[]): boolean {
    if (!this.typeMode) return false;
    return nodes.some((n) => n.kind === 'group' && ((n.open !== '(' && splitAt(n.body, (x) => x.kind === 'comma').filter((p) => p.length > 0).length > 1) || this.mustBreak(n.body)));
  }

  /** A bracketed group opening at `column`, broken over lines. `isCall`: the arguments of a function call. */
  private group(g: Group, column: number, indent: number, isCall: boolean): Lines {
    const close = CLOSE[g.open];
    const inner = indent + 1;
    const forExpr = g.open !== '(' ? forParts(g.body) : undefined;
    if (forExpr) return [g.open, ...this.forExpression(forExpr, inner), close];
    const items = splitAt(g.body, (n) => n.kind === 'comma').filter((p) => p.length > 0);
    if (g.open === '{') return [g.open, ...items.flatMap((item) => this.objectItem(item, inner)), close];
    if (g.open === '(' && !isCall) return [g.open, ...this.expression(g.body, this.col(inner), inner, false), close];
    // A call with one argument, or whose last argument opens a bracket, hugs it when the
    // others fit on the line: `jsonencode({`, `merge(var.tags, {`, `map(object({`.
    const last = items[items.length - 1];
    if (last && (g.open === '(' || items.length === 1) && huggable(last)) {
      const head = items.slice(0, -1).map((item) => `${flat(item)}, `).join('');
      if (this.fits(column + 1, head) && !this.mustBreak(items.slice(0, -1).flat())) {
        const hug = this.hug(last, column + 1 + head.length, indent);
        if (this.fits(column + 1, head + hug[0])) {
          return [`${g.open}${head}${hug[0]}`, ...hug.slice(1, -1), `${hug[hug.length - 1]}${close}`];
        }
      }
    }
    const body = items.flatMap((item, i) => {
      const lines = this.expression(item, this.col(inner), inner, false);
      const comma = g.open === '[' || i < items.length - 1 ? ',' : '';
      return [...lines.slice(0, -1), `${lines[lines.length - 1]}${comma}`];
    });
    return [g.open, ...body, close];
  }

  /** A {@link huggable} item broken open: `{` ... `}`, or `object({` ... `})`. */
  private hug(item: Node[], column: number, indent: number): Lines {
    const [first, second] = item;
    if (first.kind === 'group') return this.group(first, column, indent, false);
    const g = second as Group;
    const inner = this.hug(g.body.filter((n) => n.kind !== 'comma'), column + first.text.length + 1, indent);
    return [`${first.text}(${inner[0]}`, ...inner.slice(1, -1), `${inner[inner.length - 1]})`];
  }

  /** `for k, v in x : result` on one line when it fits, else the result on the next; then `if ...`. */
  private forExpression(parts: { header: Node[]; result: Node[]; filter: Node[] }, indent: number): Lines {
    const start = this.col(indent);
    let header = flat(parts.header);
    let lines: Lines;
    const inAt = parts.header.findIndex((n) => isWord(n, 'in'));
    if (!this.fits(start, header) && inAt > 0) {
      // A long collection: `for k, v in` then the collection laid out, then `:`.
      const intro = `${flat(parts.header.slice(0, inAt + 1))} `;
      const collection = this.expression(parts.header.slice(inAt + 1, -1), start + intro.length, indent, false);
      lines = [`${intro}${collection[0]}`, ...collection.slice(1)];
      lines[lines.length - 1] += ' :';
      lines.push(...this.forResult(parts.result, start, indent));
      if (parts.filter.length > 0) lines.push(...this.expression(parts.filter, start, indent, false));
      return lines;
    }
    header = flat(parts.header);
    const result = this.forResult(parts.result, start + header.length + 1, indent);
    if (result.length === 1 && this.fits(start, `${header} ${result[0]}`)) lines = [`${header} ${result[0]}`];
    else if (result.length > 1 && this.fits(start, `${header} ${result[0]}`) && /[[({]$/.test(result[0])) lines = [`${header} ${result[0]}`, ...result.slice(1)];
    else lines = [header, ...this.forResult(parts.result, start, indent)];
    if (parts.filter.length > 0) lines.push(...this.expression(parts.filter, start, indent, false));
    return lines;
  }

  /** A `for` result: `value`, or `key => value` with the value laid out on its own. */
  private forResult(result: Node[], column: number, indent: number): Lines {
    const arrow = result.findIndex((n) => isOp(n, '=>'));
    if (arrow < 0) return this.expression(result, column, indent, false);
    const key = `${flat(result.slice(0, arrow))} => `;
    const value = this.expression(result.slice(arrow + 1), column + key.length, indent, true);
    return [`${key}${value[0]}`, ...value.slice(1)];
  }

  /** One object item, `key = value`: the value stands where a newline ends it. */
  private objectItem(item: Node[], indent: number): Lines {
    const eq = item.findIndex((n) => isOp(n, '=') || isOp(n, ':'));
    if (eq < 0) return this.expression(item, this.col(indent), indent, true);
    const key = `${flat(item.slice(0, eq))} ${(item[eq] as Token).text} `;
    const value = this.expression(item.slice(eq + 1), this.col(indent) + key.length, indent, true);
    return [`${key}${value[0]}`, ...value.slice(1)];
  }
}

/**
 * Whether an item may hug its bracket: an object or tuple constructor, or a call whose one
 * argument is one (`object({`, `flatten([`); a call of several arguments reads better broken.
 */
function huggable(item: readonly Node[]): boolean {
  // An empty `[]` or `{}` has nothing to break open.
  if (item.length === 1) return item[0].kind === 'group' && item[0].open !== '(' && item[0].body.length > 0;
  if (item.length !== 2 || item[0].kind !== 'word' || item[1].kind !== 'group' || item[1].open !== '(' || item[1].space) return false;
  const args = splitAt(item[1].body, (n) => n.kind === 'comma').filter((p) => p.length > 0);
  return args.length === 1 && huggable(args[0]);
}

/** Whether node `i` is followed directly by a group (a call's arguments, an index). */
function nextIsGroup(nodes: readonly Node[], i: number): boolean {
  const next = nodes[i + 1];
  return next !== undefined && next.kind === 'group' && !next.space;
}

/** Whether group `i` is a function call's arguments: directly after a name. */
function call(nodes: readonly Node[], i: number): boolean {
  const before = nodes[i - 1];
  const g = nodes[i];
  return g.kind === 'group' && g.open === '(' && !g.space && before !== undefined && before.kind === 'word' && /[A-Za-z0-9_]$/.test(before.text);
}

/** The column after the last of `lines`, indented as hclwrite will indent it. */
function lastColumn(lines: Lines, indent: number): number {
  const last = lines[lines.length - 1];
  // A closing line sits at the opening line's level.
  return indent * 2 + last.length;
}
