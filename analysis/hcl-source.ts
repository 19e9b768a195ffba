/**
 * What a plan JSON leaves out and the module's own `.tf` files say: `locals` (a plan has none)
 * and the contents of `dynamic` blocks (a plan's `configuration` omits them; the lambda module
 * writes `vpc_config` and `environment` that way). Not an HCL parser: it reads the top-level
 * blocks by bracket matching and keeps each expression as the references it contains, which is
 * all the graph follows. Expressions become `${ref ref ...}` strings, the form the plan's
 * `references` are turned into (terraform-graph.ts).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigSuppression } from './terraform-graph';

/** One module folder's locals and dynamic-block contents. */
export interface ModuleSource {
  readonly dir: string;
  /** `local.name` -> `${references}`; a string literal as itself; other constants as `[]` (nothing to follow). */
  readonly locals: Record<string, unknown>;
  /** `aws_lambda_function.this` -> block name -> the content's attributes as `${references}`. */
  readonly dynamics: Record<string, Record<string, Record<string, string>>>;
  /** `aws_lambda_function.this` -> its `#checkov:skip=ID:reason` comments. */
  readonly suppressions: Record<string, ConfigSuppression[]>;
}

/** The traversals the graph follows (and iterators it substitutes). */
const TRAVERSAL = /(?<![\w.])(?:data\.[a-z][a-z0-9_]*\.[\w-]+|module\.[\w-]+(?:\[[^\]]*\])?\.[\w-]+|var\.[\w-]+|local\.[\w-]+|each\.(?:key|value)(?:\.[\w-]+)*|count\.index|[a-z][a-z0-9]*_[a-z0-9_]+\.[A-Za-z_][\w-]*(?:\[[^\]]*\])?)/g;

/** The references in an expression's text, as one `${...}` string; undefined when there are none. */
export function referencesOf(expression: string, iterators: Record<string, string> = {}): string | undefined {
  const refs: string[] = [];
  let text = stripStrings(expression);
  // A dynamic block's iterator (`env.value`) stands for its for_each's references.
  for (const [name, forEach] of Object.entries(iterators)) {
    text = text.replace(new RegExp(`(?<![\\w.])${name}\\.(?:value|key)(?:\\.[\\w-]+)*`, 'g'), () => {
      refs.push(forEach);
      return ' ';
    });
  }
  for (const m of text.matchAll(TRAVERSAL)) {
    const ref = m[0];
    const [head] = ref.split('.');
    if (/^(each|count|var|local|module|data)$/.test(head) || /^(aws|terraform)_/.test(head)) refs.push(ref);
  }
  const inner = refs.map((r) => (r.startsWith('${') ? r.slice(2, -1) : r)).filter(Boolean);
  return inner.length > 0 ? `\${${[...new Set(inner)].join(' ')}}` : undefined;
}

/** Drops string literal text but keeps the insides of `${...}` (templates hold references too). */
function stripStrings(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      const end = stringEnd(text, i);
      out += ` ${templateInsides(text.slice(i + 1, end - 1))} `;
      i = end;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

function templateInsides(body: string): string {
  const parts: string[] = [];
  let i = 0;
  while ((i = body.indexOf('${', i)) !== -1) {
    const end = closing(body, i + 1);
    parts.push(stripStrings(body.slice(i + 2, end)));
    i = end + 1;
  }
  return parts.join(' ');
}

/** Index after the closing quote of the string opening at `start`. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') i += 2;
    else if (c === '"') return i + 1;
    else if (c === '$' && text[i + 1] === '{') i = closing(text, i + 1) + 1;
    else i++;
  }
  return text.length;
}

/** Index of the bracket closing the one at `open` (`{`, `[`, `(`), strings and heredocs skipped. */
function closing(text: string, open: number): number {
  let depth = 0;
  let i = open;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      i = stringEnd(text, i);
      continue;
    }
    if (c === '<' && text[i + 1] === '<') {
      const m = /^<<-?([A-Za-z_]+)\n/.exec(text.slice(i));
      if (m) {
        const end = new RegExp(`\\n\\s*${m[1]}\\s*(\\n|$)`).exec(text.slice(i + m[0].length - 1));
        i = end ? i + m[0].length - 1 + end.index + end[0].length : text.length;
        continue;
      }
    }
    if (c === '{' || c === '[' || c === '(') depth++;
    if (c === '}' || c === ']' || c === ')') {
      depth--;
      if (depth === 0) return i;
    }
    i++;
  }
  return text.length;
}

/** The text with every comment blanked out, offsets and newlines kept. */
function blankComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      const end = stringEnd(text, i);
      out += text.slice(i, end);
      i = end;
    } else if (c === '#' || (c === '/' && text[i + 1] === '/') || (c === '/' && text[i + 1] === '*')) {
      let end: number;
      if (c === '/' && text[i + 1] === '*') {
        const close = text.indexOf('*/', i + 2);
        end = close === -1 ? text.length : close + 2;
      } else {
        const newline = text.indexOf('\n', i);
        end = newline === -1 ? text.length : newline;
      }
      out += text.slice(i, end).replace(/[^\n]/g, ' ');
      i = end;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/**
 * Checkov's skip comments inside each resource block: `#checkov:skip=ID[,ID]:reason` (also
 * after `//`), the form and placement Checkov honours. A skip without a reason is not read: a
 * suppression here always says why. Trivy's `#trivy:ignore:ID` carries no reason and is not read.
 * `blank` is `text` with its comments blanked (blankComments), which the caller has already made.
 */
function skipComments(text: string, blank: string, file: string): Record<string, ConfigSuppression[]> {
  const out: Record<string, ConfigSuppression[]> = {};
  const header = /(^|\n)[ \t]*resource[ \t]+"([^"\n]+)"[ \t]+"([^"\n]+)"[ \t]*\{/g;
  let m: RegExpExecArray | null;
  while ((m = header.exec(blank))) {
    const open = m.index + m[0].length - 1;
    const end = closing(blank, open);
    const body = text.slice(open, end);
    const blankBody = blank.slice(open, end).split('\n');
    const startLine = text.slice(0, open).split('\n').length;
    body.split('\n').forEach((line, i) => {
      // Only the comment part of the line: where the blanked text differs (not a string's text).
      const from = [...line].findIndex((c, j) => c !== blankBody[i][j]);
      if (from < 0) return;
      const skip = /checkov:skip= *([A-Za-z_\d-]+(?:,[A-Za-z_\d-]+)*)(?::([^\n]*))?/.exec(line.slice(from));
      if (!skip || !skip[2]?.trim()) return;
      (out[`${m![2]}.${m![3]}`] ??= []).push({ ids: skip[1].split(','), reason: skip[2].trim(), source: `${file}:${startLine + i}` });
    });
    header.lastIndex = end + 1;
  }
  return out;
}

/** Checkov's skip comments of a `.tf` file's resource blocks, by `type.name`. */
export function skipCommentsOf(text: string, file: string): Record<string, ConfigSuppression[]> {
  return skipComments(text, blankComments(text), file);
}

interface Block {
  readonly header: string;
  readonly body: string;
}

/** The blocks at the top level of `text` (`resource "t" "n" { ... }`). */
function blocks(text: string): Block[] {
  const out: Block[] = [];
  const header = /(^|\n)[ \t]*([A-Za-z_][\w-]*(?:[ \t]+(?:"[^"\n]*"|[A-Za-z_][\w-]*))*)[ \t]*\{/g;
  let m: RegExpExecArray | null;
  while ((m = header.exec(text))) {
    const open = m.index + m[0].length - 1;
    const end = closing(text, open);
    out.push({ header: m[2], body: text.slice(open + 1, end) });
    header.lastIndex = end + 1;
  }
  return out;
}

/** `name = expression` pairs at the top level of a block body. */
function attributes(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  const attr = /(^|\n)[ \t]*([A-Za-z_][\w-]*)[ \t]*=(?!=)/g;
  let m: RegExpExecArray | null;
  while ((m = attr.exec(body))) {
    let i = m.index + m[0].length;
    const start = i;
    // The expression runs to the end of the line, or past it while brackets are open.
    while (i < body.length && body[i] !== '\n') {
      const c = body[i];
      if (c === '"') i = stringEnd(body, i);
      else if (c === '{' || c === '[' || c === '(') i = closing(body, i) + 1;
      else if (c === '<' && body[i + 1] === '<') i = closing(body, i);
      else i++;
    }
    out[m[2]] = body.slice(start, i).trim();
    attr.lastIndex = i;
  }
  // Nested blocks are not attributes: drop what a block header matched by accident.
  return out;
}

function unquote(s: string): string {
  return s.replace(/^"|"$/g, '');
}

/** The `suppressions` under a JSON resource's `//` key (this project writes them there; Terraform ignores the key). */
export function commentSuppressions(comment: unknown, address: string): ConfigSuppression[] | undefined {
  const list = (comment as { suppressions?: unknown } | undefined)?.suppressions;
  if (!Array.isArray(list)) return undefined;
  const out: ConfigSuppression[] = [];
  for (const entry of list as Array<{ checkov?: unknown; trivy?: unknown; reason?: unknown }>) {
    const ids = [...(Array.isArray(entry?.checkov) ? entry.checkov : []), ...(Array.isArray(entry?.trivy) ? entry.trivy : [])].map(String);
    // A suppression needs its reason, as everywhere else: an entry without one is not applied.
    if (ids.length > 0 && typeof entry.reason === 'string' && entry.reason.trim() !== '') out.push({ ids, reason: entry.reason.trim(), source: `${address} "//"` });
  }
  return out;
}

/** The `//` suppressions of a JSON-syntax file's resources (a plan of it has lost them). */
function jsonSuppressions(file: string): Record<string, ConfigSuppression[]> {
  const out: Record<string, ConfigSuppression[]> = {};
  let json: { resource?: Record<string, Record<string, Record<string, unknown>>> };
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as typeof json;
  } catch {
    return out;
  }
  for (const [type, byName] of Object.entries(json?.resource ?? {})) {
    for (const [name, block] of Object.entries(byName ?? {})) {
      const list = commentSuppressions(block?.['//'], `${type}.${name}`);
      if (list && list.length > 0) out[`${type}.${name}`] = list;
    }
  }
  return out;
}

/** Reads one module folder; undefined when it holds no `.tf` or `.tf.json` files. */
export function readModuleSource(dir: string): ModuleSource | undefined {
  if (!existsSync(dir)) return undefined;
  const names = readdirSync(dir).sort();
  const files = names.filter((f) => f.endsWith('.tf'));
  const jsonFiles = names.filter((f) => f.endsWith('.tf.json'));
  if (files.length === 0 && jsonFiles.length === 0) return undefined;
  const locals: Record<string, unknown> = {};
  const dynamics: ModuleSource['dynamics'] = {};
  const suppressions: ModuleSource['suppressions'] = {};
  for (const file of jsonFiles) for (const [address, list] of Object.entries(jsonSuppressions(join(dir, file)))) (suppressions[address] ??= []).push(...list);
  for (const file of files) {
    const raw = readFileSync(join(dir, file), 'utf8');
    const text = blankComments(raw);
    for (const [address, list] of Object.entries(skipComments(raw, text, join(dir, file)))) (suppressions[address] ??= []).push(...list);
    for (const block of blocks(text)) {
      const words = block.header.split(/[ \t]+/);
      if (words[0] === 'locals') {
        for (const [name, expr] of Object.entries(attributes(block.body))) locals[name] = referencesOf(expr) ?? (/^"[^"$]*"$/.test(expr) ? expr.slice(1, -1) : []);
      } else if ((words[0] === 'resource' || words[0] === 'data') && words.length === 3) {
        const address = `${words[0] === 'data' ? 'data.' : ''}${unquote(words[1])}.${unquote(words[2])}`;
        for (const inner of blocks(block.body)) {
          const w = inner.header.split(/[ \t]+/);
          if (w[0] !== 'dynamic' || w.length !== 2) continue;
          const name = unquote(w[1]);
          const own = attributes(inner.body);
          const content = blocks(inner.body).find((b) => b.header === 'content');
          if (!content) continue;
          // `<name>.value` (or the iterator's name) stands for the dynamic block's for_each.
          const iterator = own.iterator ? unquote(own.iterator) : name;
          const forEach = own.for_each ? referencesOf(own.for_each) : undefined;
          const iterators = { [iterator]: forEach ?? '' };
          const attrs: Record<string, string> = {};
          for (const [k, expr] of Object.entries(attributes(content.body))) {
            const refs = referencesOf(expr, iterators);
            if (refs) attrs[k] = refs;
          }
          (dynamics[address] ??= {})[name] = attrs;
        }
      }
    }
  }
  return { dir, locals, dynamics, suppressions };
}

/** Where Terraform installed a registry module: `.terraform/modules/modules.json` of the root. */
export function installedModuleDir(rootDir: string, key: string): string | undefined {
  const manifest = join(rootDir, '.terraform', 'modules', 'modules.json');
  if (!existsSync(manifest)) return undefined;
  try {
    const json = JSON.parse(readFileSync(manifest, 'utf8')) as { Modules?: Array<{ Key: string; Dir: string }> };
    const entry = json.Modules?.find((m) => m.Key === key);
    return entry ? join(rootDir, entry.Dir) : undefined;
  } catch {
    return undefined;
  }
}
