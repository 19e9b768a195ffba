// markdown-table 2.x is CommonJS (3.x is ESM-only, which jest's CommonJS runtime cannot load).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const markdownTable = require('markdown-table') as typeof import('markdown-table');

/** The parts of the module's Terraform JSON the docs are generated from. */
export interface ModuleJson {
  variable?: Record<string, { type?: string; default?: unknown; description?: string; nullable?: boolean }>;
  output?: Record<string, { description?: string }>;
}

/** One row of the inputs table: name, type, default, description. */
export function inputRows(module: ModuleJson): string[][] {
  return Object.entries(module.variable ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, v]) => [code(name), code(v.type ?? 'any'), 'default' in v ? code(JSON.stringify(v.default ?? null)) : 'required', cell(v.description ?? '')]);
}

/** One row of the outputs table: name, description. */
export function outputRows(module: ModuleJson): string[][] {
  return Object.entries(module.output ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, o]) => [code(name), cell(o.description ?? '')]);
}

/** The inputs table, as markdown. */
export function inputsTable(module: ModuleJson): string {
  return markdownTable([['Name', 'Type', 'Default', 'Description'], ...inputRows(module)]);
}

/** One line per object-typed variable, pointing to the README's example of it. */
export function objectInputNotes(module: ModuleJson): string {
  return Object.entries(module.variable ?? {})
    .filter(([, v]) => /^(map\(object|object)\(/.test(v.type ?? ''))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name]) => `- \`${name}\` is an object${/^map/.test(module.variable![name].type ?? '') ? ' map' : ''}: see [Usage](#usage) and the [examples](#examples) for one written out.`)
    .join('\n');
}

/** The outputs table, as markdown. */
export function outputsTable(module: ModuleJson): string {
  return markdownTable([['Name', 'Description'], ...outputRows(module)]);
}

// A pipe would end the cell; markdown needs it escaped, also inside code spans.
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function code(text: string): string {
  return `\`${cell(text)}\``;
}
