/**
 * `verify --outputs outputs.json`: the functions to verify from `terraform output -json` of the
 * published module's root, of a root that passes the module's outputs through (an output whose
 * value is the module object), or of the deploy stack. Both name the functions in
 * `function_arns` (preferred: an ARN carries the region) and `function_names`, keyed by the
 * user's function keys.
 */
import { readFileSync } from 'node:fs';
import { LiveInputError } from './errors';

/** What an outputs file names: the functions (ARNs or names), and the region their ARNs agree on. */
export interface OutputsFunctions {
  readonly functions: string[];
  readonly region?: string;
}

const LAMBDA_ARN = /^arn:aws[\w-]*:lambda:([a-z0-9-]+):\d{12}:function:[A-Za-z0-9_-]+$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** String values of a map output, keyed by function key. */
function stringsOf(value: unknown): string[] | undefined {
  if (!isRecord(value)) return undefined;
  const values = Object.values(value);
  return values.every((v) => typeof v === 'string' && v !== '') ? (values as string[]) : undefined;
}

/** Reads the file; a file of another shape is refused by name. */
export function functionsFromOutputs(file: string): OutputsFunctions {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new LiveInputError(`--outputs: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new LiveInputError(`--outputs: ${file} is not JSON (write it with: terraform output -json > ${file})`);
  }
  const shape = `--outputs: ${file} is not \`terraform output -json\` of the module or the deploy stack: it needs a function_arns or function_names output`;
  if (!isRecord(json)) throw new LiveInputError(shape);
  // Each output is { value, type, sensitive }; a pass-through of the whole module is an object output holding the same keys.
  const values: Array<Record<string, unknown>> = [];
  for (const output of Object.values(json)) {
    if (!isRecord(output) || !('value' in output)) throw new LiveInputError(shape);
  }
  values.push(Object.fromEntries(Object.entries(json).map(([k, o]) => [k, (o as { value: unknown }).value])));
  for (const o of Object.values(json)) if (isRecord((o as { value: unknown }).value)) values.push((o as { value: Record<string, unknown> }).value);
  const found: string[] = [];
  for (const v of values) {
    const list = stringsOf(v.function_arns) ?? stringsOf(v.function_names);
    if (list) found.push(...list);
  }
  if (found.length === 0) throw new LiveInputError(shape);
  const functions = [...new Set(found)];
  const regions = [...new Set(functions.map((f) => LAMBDA_ARN.exec(f)?.[1]).filter((r): r is string => !!r))];
  if (regions.length > 1) throw new LiveInputError(`--outputs: ${file} names functions in ${regions.join(' and ')}: verify one region at a time`);
  return { functions, region: regions[0] };
}
