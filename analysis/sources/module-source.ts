/**
 * One module's configuration, as the evaluator needs it: variables (defaults), locals,
 * resources and data sources (their bodies and `count`/`for_each`), module calls and outputs.
 * Read from the module's `.tf` and `.tf.json` files, or, where those are not beside a plan,
 * from the plan's own `configuration` (which holds an HCL root's expressions only as reference
 * lists: those are not evaluated, and say so).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigSuppression } from '../terraform-graph';
import { commentSuppressions, skipCommentsOf } from '../hcl-source';
import { Body, Expr, jsonBody, jsonExpr, parseExpression, parseHclFile } from './hcl-syntax';

/** A resource or data block. */
export interface ResourceBlock {
  readonly body: Body;
  readonly count?: Expr;
  readonly forEach?: Expr;
}

/** A `module "name" {}` call. */
export interface ModuleCallBlock {
  readonly args: Record<string, Expr>;
  readonly count?: Expr;
  readonly forEach?: Expr;
  readonly source?: string;
}

/** What the evaluator reads of one module. */
export interface ModuleSource {
  /** The folder, when read from files. */
  readonly dir?: string;
  readonly variables: Record<string, { default?: Expr; type?: Expr }>;
  readonly locals: Record<string, Expr>;
  /** By `type.name` or `data.type.name`. */
  readonly resources: Record<string, ResourceBlock>;
  readonly calls: Record<string, ModuleCallBlock>;
  readonly outputs: Record<string, Expr>;
  readonly suppressions: Record<string, ConfigSuppression[]>;
  /** JSON-syntax resource blocks as written, by address (scanned for unresolved tokens). */
  readonly json?: Record<string, Record<string, unknown>>;
  /** Why expressions missing here cannot be evaluated (a plan without its sources). */
  readonly missing?: string;
  /** The `region` argument of each provider configuration, by `aws` or `aws.<alias>`. */
  readonly providerRegions?: Record<string, Expr>;
}

const META = new Set(['count', 'for_each', 'depends_on', 'lifecycle', 'provider', 'providers', 'provisioner', 'connection', 'source', 'version']);

function withoutMeta(body: Body): Body {
  const attrs = Object.fromEntries(Object.entries(body.attrs).filter(([k]) => !META.has(k)));
  const blocks = Object.fromEntries(Object.entries(body.blocks).filter(([k]) => !META.has(k)));
  return { attrs, blocks };
}

/** Reads one module folder; undefined when it holds no `.tf` or `.tf.json` file. */
export function readModuleFolder(dir: string): ModuleSource | undefined {
  if (!existsSync(dir)) return undefined;
  const names = readdirSync(dir).sort();
  const hcl = names.filter((f) => f.endsWith('.tf') && !f.endsWith('_override.tf') && f !== 'override.tf');
  const json = names.filter((f) => f.endsWith('.tf.json') && !f.endsWith('_override.tf.json'));
  if (hcl.length === 0 && json.length === 0) return undefined;
  const source: ModuleSource = { dir, variables: {}, locals: {}, resources: {}, calls: {}, outputs: {}, suppressions: {} };
  for (const file of hcl) {
    const path = join(dir, file);
    const text = readFileSync(path, 'utf8');
    for (const block of parseHclFile(text, path)) addHclBlock(source, block.type, block.labels, block.body);
    for (const [address, list] of Object.entries(skipCommentsOf(text, path))) (source.suppressions[address] ??= []).push(...list);
  }
  for (const file of json) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    } catch {
      continue;
    }
    addJsonConfig(source, parsed as Record<string, unknown>);
  }
  return source;
}

function addHclBlock(source: ModuleSource, type: string, labels: string[], body: Body): void {
  const s = source as { -readonly [K in keyof ModuleSource]: ModuleSource[K] };
  switch (type) {
    case 'variable':
      s.variables[labels[0]] = { default: body.attrs.default, type: body.attrs.type };
      break;
    case 'locals':
      Object.assign(s.locals, body.attrs);
      break;
    case 'output':
      if (body.attrs.value) s.outputs[labels[0]] = body.attrs.value;
      break;
    case 'provider': {
      const alias = body.attrs.alias;
      const key = alias && alias.k === 'lit' ? `${labels[0]}.${String(alias.v)}` : labels[0];
      if (body.attrs.region) (s.providerRegions ??= {})[key] = body.attrs.region;
      break;
    }
    case 'module': {
      const src = body.attrs.source;
      s.calls[labels[0]] = { args: withoutMeta(body).attrs, count: body.attrs.count, forEach: body.attrs.for_each, source: src && src.k === 'lit' ? String(src.v) : undefined };
      break;
    }
    case 'resource':
    case 'data':
      if (labels.length === 2) s.resources[`${type === 'data' ? 'data.' : ''}${labels[0]}.${labels[1]}`] = { body: withoutMeta(body), count: body.attrs.count, forEach: body.attrs.for_each };
      break;
  }
}

/** A JSON-syntax configuration (`*.tf.json`, `cdk.tf.json`) into a module source. */
export function addJsonConfig(source: ModuleSource, json: Record<string, unknown>): void {
  const s = source as { -readonly [K in keyof ModuleSource]: ModuleSource[K] };
  const one = (v: unknown): Record<string, unknown> => ((Array.isArray(v) ? v[0] : v) ?? {}) as Record<string, unknown>;
  for (const [name, spec] of Object.entries((json.variable ?? {}) as Record<string, unknown>)) {
    const v = one(spec);
    s.variables[name] = { default: 'default' in v ? jsonExpr(v.default) : undefined, type: typeof v.type === 'string' ? parseExpression(v.type) : undefined };
  }
  for (const block of (Array.isArray(json.locals) ? json.locals : [json.locals ?? {}]) as Array<Record<string, unknown>>) {
    for (const [name, value] of Object.entries(block)) if (name !== '//') s.locals[name] = jsonExpr(value);
  }
  for (const [name, spec] of Object.entries((json.provider ?? {}) as Record<string, unknown>)) {
    for (const config of (Array.isArray(spec) ? spec : [spec]) as Array<Record<string, unknown>>) {
      if (config && typeof config === 'object' && 'region' in config) (s.providerRegions ??= {})[typeof config.alias === 'string' ? `${name}.${config.alias}` : name] = jsonExpr(config.region);
    }
  }
  for (const [name, spec] of Object.entries((json.output ?? {}) as Record<string, unknown>)) {
    const v = one(spec);
    if ('value' in v) s.outputs[name] = jsonExpr(v.value);
  }
  for (const [name, spec] of Object.entries((json.module ?? {}) as Record<string, unknown>)) {
    const v = one(spec);
    const args = Object.fromEntries(Object.entries(v).filter(([k]) => !META.has(k) && k !== '//').map(([k, x]) => [k, jsonExpr(x)]));
    s.calls[name] = { args, count: 'count' in v ? jsonExpr(v.count) : undefined, forEach: 'for_each' in v ? jsonExpr(v.for_each) : undefined, source: typeof v.source === 'string' ? v.source : undefined };
  }
  for (const mode of ['resource', 'data'] as const) {
    for (const [type, byName] of Object.entries((json[mode] ?? {}) as Record<string, Record<string, unknown>>)) {
      for (const [name, spec] of Object.entries(byName ?? {})) {
        const block = one(spec);
        const address = `${mode === 'data' ? 'data.' : ''}${type}.${name}`;
        s.resources[address] = {
          body: withoutMeta(jsonBody(block)),
          count: 'count' in block ? jsonExpr(block.count) : undefined,
          forEach: 'for_each' in block ? jsonExpr(block.for_each) : undefined,
        };
        ((s.json ??= {})[address] = { ...block });
        delete s.json[address]['//'];
        const suppressions = commentSuppressions(block['//'], `${type}.${name}`);
        if (suppressions && suppressions.length > 0) (s.suppressions[address] ??= []).push(...suppressions);
      }
    }
  }
}

/** An empty module source. */
export function emptySource(missing?: string): ModuleSource {
  return { variables: {}, locals: {}, resources: {}, calls: {}, outputs: {}, suppressions: {}, ...(missing ? { missing } : {}) };
}

// ---------------------------------------------------------------------------------------
// The plan's configuration as a fallback

interface PlanExpression {
  constant_value?: unknown;
  references?: string[];
}

/** The plan's `configuration` of one module (what `terraform show -json` writes). */
export interface PlanConfigModule {
  resources?: Array<{ address: string; mode?: string; type: string; name: string; expressions?: Record<string, unknown>; count_expression?: unknown; for_each_expression?: unknown }>;
  module_calls?: Record<string, { source?: string; expressions?: Record<string, unknown>; count_expression?: unknown; for_each_expression?: unknown; module?: PlanConfigModule }>;
  outputs?: Record<string, { expression?: unknown }>;
  variables?: Record<string, { default?: unknown }>;
}

const isExpression = (v: unknown): v is PlanExpression => typeof v === 'object' && v !== null && !Array.isArray(v) && ('constant_value' in v || 'references' in v);

/**
 * A plan expression: its `constant_value` (for a JSON-syntax root, the template strings), else
 * not evaluable (Terraform writes only the references an HCL expression makes).
 */
export function planExpr(v: unknown, why: string): Expr {
  if (isExpression(v)) {
    if ('constant_value' in v) return jsonExpr(v.constant_value);
    return { k: 'unsupported', why, text: (v.references ?? []).join(', ') };
  }
  return { k: 'unsupported', why, text: '' };
}

function planBody(expressions: Record<string, unknown>, why: string): Body {
  const attrs: Record<string, Expr> = {};
  const blocks: Record<string, Body[]> = {};
  for (const [k, v] of Object.entries(expressions)) {
    if (isExpression(v)) attrs[k] = planExpr(v, why);
    else if (Array.isArray(v)) blocks[k] = v.map((b) => planBody((b ?? {}) as Record<string, unknown>, why));
    else if (v && typeof v === 'object') blocks[k] = [planBody(v as Record<string, unknown>, why)];
  }
  return { attrs, blocks };
}

/** A module source from a plan's configuration alone. */
export function sourceFromPlan(module: PlanConfigModule, why: string): ModuleSource {
  const source = emptySource(why) as { -readonly [K in keyof ModuleSource]: ModuleSource[K] };
  for (const r of module.resources ?? []) {
    const address = `${r.mode === 'data' ? 'data.' : ''}${r.type}.${r.name}`;
    source.resources[address] = {
      body: planBody(r.expressions ?? {}, why),
      count: r.count_expression === undefined ? undefined : planExpr(r.count_expression, why),
      forEach: r.for_each_expression === undefined ? undefined : planExpr(r.for_each_expression, why),
    };
  }
  for (const [name, call] of Object.entries(module.module_calls ?? {})) {
    source.calls[name] = {
      args: planBody(call.expressions ?? {}, why).attrs,
      count: call.count_expression === undefined ? undefined : planExpr(call.count_expression, why),
      forEach: call.for_each_expression === undefined ? undefined : planExpr(call.for_each_expression, why),
      source: call.source,
    };
  }
  for (const [name, out] of Object.entries(module.outputs ?? {})) source.outputs[name] = planExpr(out.expression, why);
  for (const [name, v] of Object.entries(module.variables ?? {})) source.variables[name] = { default: 'default' in v ? jsonExpr(v.default) : undefined };
  return source;
}
