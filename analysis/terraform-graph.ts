import { join } from 'node:path';
import { commentSuppressions, installedModuleDir, readModuleSource } from './hcl-source';

/**
 * One model of a Terraform configuration, read from either the synthesized stack
 * (`cdk.tf.json`) or a plan (`terraform show -json`). Every analysis asks this model, so the
 * same question gets the same answer from both inputs.
 *
 * Links between resources come from the configuration's expressions: the `${...}`
 * interpolations of the JSON synth, or `configuration.*.expressions` of the plan (which for a
 * JSON-syntax root carries the same template strings as `constant_value`, and otherwise the
 * `references`). Values come from literals of the configuration, and in a plan from the
 * planned `after` values too, so literal ids (an existing VPC's subnets) are known either way.
 *
 * A plan is read per module instance (`module.function["orders"]`): `var.x` is the calling
 * instance's argument, `module.m.out` the output's expression in each instance of `m`,
 * `each.value` the `for_each` element with the instance's key, `local.x` the module's locals
 * (read from its `.tf` files when they are found: a plan has none), and `dynamic` block
 * contents come from those files too. What cannot be followed is `unresolved`, never dropped.
 */

/** One resource block (`aws_subnet.private`), with its instances (`[0]`, `[1]`). */
export interface TfResource {
  readonly type: string;
  readonly name: string;
  /** `data` for a data source (`data.aws_prefix_list.x`); `managed` otherwise. */
  readonly mode?: 'managed' | 'data';
  /** The module instance: `module.x["k"].module.y`, or '' for the root module. */
  readonly module: string;
  /** Address without index: `aws_subnet.private` (module-prefixed outside the root). */
  readonly address: string;
  /** The configuration block as written: strings may hold `${...}` interpolations. */
  readonly config: Record<string, unknown>;
  /** `for_each` as a configuration value (what `each.value` stands for). */
  readonly forEach?: unknown;
  readonly instances: TfInstance[];
  /** Scanner suppressions written in the configuration (inline-suppressions.ts). */
  readonly suppressions?: ConfigSuppression[];
}

/** A scanner suppression the configuration carries: `#checkov:skip=ID:reason` in HCL, a `//` entry in JSON. */
export interface ConfigSuppression {
  readonly ids: string[];
  readonly reason: string;
  /** `file:line`, or `<address> "//"` for JSON. */
  readonly source: string;
}

/** One instance of a resource; `index` is the count index or for_each key. */
export interface TfInstance {
  readonly resource: TfResource;
  readonly index?: number | string;
  /** `aws_subnet.private[0]`. */
  readonly address: string;
  /** Values known before apply: literals of the configuration, and the plan's `after`. */
  readonly values: Record<string, unknown>;
  /** The plan's `after_unknown`: `true` where a value is computed at apply. */
  readonly unknown?: unknown;
  /** The plan's `after` as planned, nulls kept: an argument the plan knows to be null. */
  readonly planned?: Record<string, unknown>;
}

/** What an attribute points at: instances in this configuration, and literal ids. */
export interface Resolved {
  readonly instances: TfInstance[];
  /** Literal values such as `subnet-0abc...` (resources outside this configuration). */
  readonly literals: string[];
  /** References that could not be followed (`local.x` without the module's source, say). */
  readonly unresolved: string[];
}

/** A module instance and the call that made it. */
export interface ModuleCall {
  /** `module.function["orders"]`. */
  readonly address: string;
  /** The calling module instance ('' for the root). */
  readonly parent: string;
  readonly name: string;
  /** Its `for_each` key or `count` index. */
  readonly key?: number | string;
  /** The call's arguments as configuration values. */
  readonly expressions: Record<string, unknown>;
  readonly forEach?: unknown;
  /** The module's outputs as configuration values. */
  readonly outputs: Record<string, unknown>;
}

/** How a reference picks instances of its target. */
type IndexSpec = { kind: 'all' } | { kind: 'each' } | { kind: 'index'; index: number | string };

/** Where an expression is evaluated: a module instance, and the key of the instance (or module call). */
interface Context {
  readonly module: string;
  readonly key?: number | string;
  /** What `each.value` stands for here. */
  readonly forEach?: unknown;
}

/** Which input the graph was read from. */
export type GraphSource = 'stack' | 'plan';

/** The common model over both inputs. */
export class TerraformGraph {
  private readonly byAddress = new Map<string, TfResource>();
  private readonly calls = new Map<string, ModuleCall>();
  private readonly byId = new Map<string, TfInstance>();

  constructor(
    readonly source: GraphSource,
    readonly resources: TfResource[],
    /** Locals by module instance; a module missing here has unknown locals (a plan without its sources). */
    private readonly locals: Record<string, Record<string, unknown>> = {},
    modules: ModuleCall[] = [],
    /** Root variables' values (a plan's `variables`). */
    private readonly variables: Record<string, unknown> = {},
  ) {
    for (const r of resources) this.byAddress.set(r.address, r);
    for (const m of modules) this.calls.set(m.address, m);
    for (const r of resources) for (const i of r.instances) if (typeof i.values.id === 'string' && i.values.id !== '') this.byId.set(i.values.id, i);
  }

  /** Every instance of a managed resource type, in configuration order. */
  instancesOf(type: string): TfInstance[] {
    return this.resources.filter((r) => r.type === type && r.mode !== 'data').flatMap((r) => r.instances);
  }

  /** Every instance of a data source type (`aws_prefix_list`). */
  dataOf(type: string): TfInstance[] {
    return this.resources.filter((r) => r.type === type && r.mode === 'data').flatMap((r) => r.instances);
  }

  /** The resource at an address, e.g. `aws_vpc_endpoint.system_dynamodb_endpoint`. */
  resource(address: string): TfResource | undefined {
    return this.byAddress.get(address);
  }

  /** The configuration value at a dotted path; blocks written as lists are flattened. */
  raw(instance: TfInstance, path: string): unknown {
    return walk(instance.resource.config, path.split('.'));
  }

  /** True when the plan says the value at this path (or part of it) is computed at apply. */
  isUnknown(instance: TfInstance, path: string): boolean {
    return containsTrue(walk(instance.unknown, path.split('.')));
  }

  /**
   * True when the plan knows the argument is null or absent (a variable defaulting to null):
   * the configuration's expression then set nothing. False for a stack (no plan: a variable
   * may set it) and for a value computed at apply.
   */
  plannedNull(instance: TfInstance, path: string): boolean {
    if (!instance.planned || this.isUnknown(instance, path)) return false;
    const v = walk(instance.planned, path.split('.'));
    return v === undefined || v === null;
  }

  /** The value known before apply at a dotted path, or undefined when computed at apply. */
  value(instance: TfInstance, path: string): unknown {
    const fromValues = walk(instance.values, path.split('.'));
    if (fromValues !== undefined && fromValues !== null && !this.isUnknown(instance, path)) return fromValues;
    return evaluateLiteral(this.raw(instance, path), instance.index);
  }

  /**
   * The instances and literal ids an attribute refers to: the configuration's references,
   * followed through locals, module variables and outputs and `each.value`; where they cannot
   * be followed, the planned value when it is known; else the attribute is unresolved.
   */
  resolve(from: TfInstance, path: string): Resolved {
    const raw = this.raw(from, path);
    const byConfig = this.resolveValue(from, raw);
    const known = walk(from.values, path.split('.'));
    const unknown = this.isUnknown(from, path);
    const fullyKnown = known !== undefined && known !== null && !unknown;
    // A known empty list is what Terraform will use, whatever a conditional's other branch refers to.
    if (fullyKnown && Array.isArray(known) && known.length === 0) return { instances: [], literals: [], unresolved: [] };
    if (byConfig.unresolved.length === 0 && (byConfig.instances.length > 0 || byConfig.literals.length > 0 || raw !== undefined)) {
      // A plan may know literal ids the configuration computed (`var.x` with a default in a module).
      if (byConfig.instances.length === 0 && byConfig.literals.length === 0 && fullyKnown) return this.fromKnown(known);
      return byConfig;
    }
    if (fullyKnown) return this.fromKnown(known);
    if (raw === undefined && unknown) return { instances: [], literals: [], unresolved: [`${path} (computed at apply; its expression is not in the plan)`] };
    return byConfig;
  }

  private fromKnown(known: unknown): Resolved {
    const instances: TfInstance[] = [];
    const literals: string[] = [];
    for (const text of strings(known)) {
      const match = this.byId.get(text);
      if (match) instances.push(match);
      else literals.push(text);
    }
    return { instances, literals, unresolved: [] };
  }

  /** Resolves any configuration value (a policy's `Resource` string, say) in `from`'s context. */
  resolveValue(from: TfInstance, rawValue: unknown, known?: unknown): Resolved {
    const context: Context = { module: from.resource.module, key: from.index, forEach: from.resource.forEach };
    const r = this.resolveIn(context, rawValue);
    if (r.instances.length === 0 && r.literals.length === 0 && known !== undefined) return { ...r, literals: strings(known) };
    return r;
  }

  private resolveIn(context: Context, rawValue: unknown, visiting = new Set<string>()): Resolved {
    const instances: TfInstance[] = [];
    const literals: string[] = [];
    const unresolved: string[] = [];
    const seen = new Set<TfInstance>();
    const add = (r: Resolved) => {
      for (const i of r.instances) if (!seen.has(i)) (seen.add(i), instances.push(i));
      literals.push(...r.literals);
      unresolved.push(...r.unresolved);
    };
    for (const text of strings(rawValue)) {
      if (!text.includes('${')) {
        literals.push(text);
        continue;
      }
      for (const segment of interpolations(text)) add(this.resolveSegment(context, segment, visiting));
    }
    return { instances, literals, unresolved: [...new Set(unresolved)] };
  }

  private resolveSegment(context: Context, segment: string, visiting: Set<string>): Resolved {
    const out: Resolved = { instances: [], literals: [], unresolved: [] };
    const merge = (r: Resolved) => {
      (out.instances as TfInstance[]).push(...r.instances.filter((i) => !out.instances.includes(i)));
      (out.literals as string[]).push(...r.literals);
      (out.unresolved as string[]).push(...r.unresolved);
    };
    const usesKey = /\b(count\.index|each\.key)\b/.test(segment);
    const pattern =
      /(?<![\w.])(?:(data\.)?((?:aws|terraform)_[a-z0-9_]+)\.([A-Za-z_][\w-]*)(?:\[([^\]]*)\])?|module\.([\w-]+)(?:\[([^\]]*)\])?\.([\w-]+)|var\.([\w-]+)|local\.([\w-]+)|each\.value)/g;
    const prefix = context.module ? `${context.module}.` : '';
    for (const m of segment.matchAll(pattern)) {
      if (m[2]) {
        const index = m[4];
        let spec: IndexSpec;
        if (index === undefined || index === '*') spec = usesKey ? { kind: 'each' } : { kind: 'all' };
        else if (/^\d+$/.test(index)) spec = { kind: 'index', index: Number(index) };
        else if (/^"[^"]*"$/.test(index)) spec = { kind: 'index', index: index.slice(1, -1) };
        else spec = { kind: 'each' }; // count.index, each.key
        const target = this.byAddress.get(`${prefix}${m[1] ? 'data.' : ''}${m[2]}.${m[3]}`);
        if (target) merge({ instances: this.pick(context, target, spec), literals: [], unresolved: [] });
      } else if (m[5]) {
        const wanted = m[6] === undefined || m[6] === '*' ? undefined : /^\d+$/.test(m[6]) ? Number(m[6]) : m[6].replace(/^"|"$/g, '');
        const children = [...this.calls.values()].filter((c) => c.parent === context.module && c.name === m[5] && (wanted === undefined || c.key === wanted || (usesKey && c.key === context.key)));
        if (children.length === 0) {
          out.unresolved.push(`module.${m[5]}.${m[7]} (no instance of module.${m[5]} in the plan)`);
          continue;
        }
        for (const child of children) {
          const key = `${child.address}/output.${m[7]}`;
          if (visiting.has(key)) continue;
          const expression = child.outputs[m[7]];
          if (expression === undefined) {
            out.unresolved.push(`module.${m[5]}.${m[7]}`);
            continue;
          }
          merge(this.resolveIn({ module: child.address }, expression, new Set([...visiting, key])));
        }
      } else if (m[8]) {
        const call = this.calls.get(context.module);
        if (!call) {
          if (!context.module && m[8] in this.variables) merge({ instances: [], literals: strings(this.variables[m[8]]), unresolved: [] });
          continue;
        }
        const expression = call.expressions[m[8]];
        const key = `${call.address}/var.${m[8]}`;
        if (expression === undefined || visiting.has(key)) continue; // the variable's default: a constant
        merge(this.resolveIn({ module: call.parent, key: call.key, forEach: call.forEach }, expression, new Set([...visiting, key])));
      } else if (m[9]) {
        const locals = this.locals[context.module];
        const key = `${context.module}/local.${m[9]}`;
        if (visiting.has(key)) continue;
        if (!locals || !(m[9] in locals)) {
          out.unresolved.push(`local.${m[9]}${context.module ? ` in ${context.module}` : ''}`);
          continue;
        }
        merge(this.resolveIn(context, locals[m[9]], new Set([...visiting, key])));
      } else {
        // each.value: the element of for_each with this instance's key.
        if (context.forEach === undefined) continue;
        const key = `${context.module}/each.value/${String(context.key)}/${JSON.stringify(context.forEach)}`;
        if (visiting.has(key)) continue;
        const all = this.resolveIn({ module: context.module }, context.forEach, new Set([...visiting, key]));
        const keyed = all.instances.filter((i) => i.index === context.key);
        merge({ ...all, instances: keyed.length > 0 ? keyed : all.instances });
      }
    }
    return out;
  }

  /** True when `instance` is among what `path` of `from` refers to. */
  refersTo(from: TfInstance, path: string, instance: TfInstance): boolean {
    return this.resolve(from, path).instances.includes(instance);
  }

  private pick(context: Context, target: TfResource, spec: IndexSpec): TfInstance[] {
    const all = target.instances;
    switch (spec.kind) {
      case 'all':
        return all;
      case 'index':
        return all.filter((i) => i.index === spec.index);
      case 'each': {
        if (context.key === undefined) return all;
        if (all.every((i) => i.index === undefined)) return all;
        if (typeof context.key === 'string') return all.filter((i) => i.index === context.key);
        if (all.length === 0) return [];
        // element(list, count.index) wraps around; list[count.index] is the same when in range.
        const numbered = all.filter((i) => typeof i.index === 'number');
        return numbered.length > 0 ? [numbered[context.key % numbered.length]] : all;
      }
    }
  }
}

function containsTrue(value: unknown): boolean {
  if (value === true) return true;
  if (Array.isArray(value)) return value.some(containsTrue);
  if (value && typeof value === 'object') return Object.values(value).some(containsTrue);
  return false;
}

/** Every `${...}` segment of a template string, nested braces included. */
export function interpolations(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while ((i = text.indexOf('${', i)) !== -1) {
    let depth = 1;
    let j = i + 2;
    let inString = false;
    for (; j < text.length && depth > 0; j++) {
      const c = text[j];
      if (c === '"' && text[j - 1] !== '\\') inString = !inString;
      if (inString) continue;
      if (c === '{') depth++;
      if (c === '}') depth--;
    }
    out.push(text.slice(i + 2, j - 1));
    i = j;
  }
  return out;
}

/** All strings inside a value (arrays and objects walked). */
export function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

function walk(value: unknown, path: string[]): unknown {
  let current: unknown = value;
  for (const key of path) {
    if (Array.isArray(current)) {
      // Nested blocks are lists in the plan and may be in the synth: take the values of all.
      const items = current.map((c) => (c && typeof c === 'object' ? (c as Record<string, unknown>)[key] : undefined)).filter((v) => v !== undefined);
      current = items.length === 0 ? undefined : items.length === 1 ? items[0] : items.flat();
    } else if (current && typeof current === 'object') {
      current = (current as Record<string, unknown>)[key];
    } else {
      return undefined;
    }
  }
  return current;
}

/**
 * The value of a configuration literal for one instance; undefined when it needs apply-time
 * values. Understands the one function the constructs use per index:
 * `${element(["a", "b"], count.index)}`.
 */
export function evaluateLiteral(value: unknown, index?: number | string): unknown {
  if (typeof value === 'string') {
    if (!value.includes('${')) return value;
    let unknown = false;
    const out = value.replace(/\$\{element\((\[[^\]]*\]),\s*count\.index\)\}/g, (_all, list: string) => {
      try {
        const items = JSON.parse(list) as unknown[];
        if (typeof index !== 'number' || items.length === 0) {
          unknown = true;
          return '';
        }
        return String(items[index % items.length]);
      } catch {
        unknown = true;
        return '';
      }
    });
    return unknown || out.includes('${') ? undefined : out;
  }
  if (Array.isArray(value)) {
    const items = value.map((v) => evaluateLiteral(v, index));
    return items.some((v) => v === undefined) ? undefined : items;
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evaluateLiteral(v, index)]));
  }
  return value;
}

// ---------------------------------------------------------------------------------------
// Loaders

/** The parts of a synthesized `cdk.tf.json` read here. */
export interface StackJson {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  locals?: Record<string, unknown>;
}

/** Reads a synthesized stack (`cdk.tf.json`). `count` must be a literal to expand. */
export function graphFromStack(json: StackJson): TerraformGraph {
  const resources: TfResource[] = [];
  for (const [type, blocks] of Object.entries(json.resource ?? {})) {
    for (const [name, block] of Object.entries(blocks)) {
      const config = { ...block };
      delete config['//'];
      const instances: TfInstance[] = [];
      const suppressions = commentSuppressions(block['//'], `${type}.${name}`);
      const resource: TfResource = { type, name, mode: 'managed', module: '', address: `${type}.${name}`, config, instances, ...(suppressions ? { suppressions } : {}) };
      const count = config.count;
      const forEach = config.for_each;
      let indexes: Array<number | string | undefined>;
      if (typeof count === 'number') indexes = Array.from({ length: count }, (_v, i) => i);
      else if (count !== undefined) indexes = [0]; // an expression: one instance stands for all
      else if (Array.isArray(forEach)) indexes = forEach.map(String);
      else if (forEach && typeof forEach === 'object') indexes = Object.keys(forEach);
      else indexes = [undefined];
      for (const index of indexes) {
        const values = evaluateLiteral(config, index) as Record<string, unknown>;
        instances.push({ resource, index, address: addressWithIndex(resource.address, index), values });
      }
      resources.push(resource);
    }
  }
  return new TerraformGraph('stack', resources, { '': json.locals ?? {} });
}

interface PlanConfigResource {
  address: string;
  mode?: string;
  type: string;
  name: string;
  expressions?: Record<string, unknown>;
  count_expression?: unknown;
  for_each_expression?: unknown;
}
interface PlanModuleCall {
  source?: string;
  expressions?: Record<string, unknown>;
  count_expression?: unknown;
  for_each_expression?: unknown;
  module?: PlanConfigModule;
}
interface PlanConfigModule {
  resources?: PlanConfigResource[];
  module_calls?: Record<string, PlanModuleCall>;
  outputs?: Record<string, { expression?: unknown }>;
}
interface PlanChange {
  address: string;
  module_address?: string;
  mode?: string;
  type: string;
  name: string;
  index?: number | string;
  change: { actions: string[]; after: Record<string, unknown> | null; after_unknown?: Record<string, unknown> };
}
interface PlanStateResource {
  address: string;
  mode?: string;
  type: string;
  name: string;
  index?: number | string;
  values?: Record<string, unknown>;
}
interface PlanStateModule {
  address?: string;
  resources?: PlanStateResource[];
  child_modules?: PlanStateModule[];
}

/** The parts of `terraform show -json` read here. */
export interface PlanInput {
  format_version?: string;
  resource_changes?: PlanChange[];
  configuration?: { root_module?: PlanConfigModule };
  prior_state?: { values?: { root_module?: PlanStateModule } };
  variables?: Record<string, { value?: unknown }>;
}

/** Options of {@link graphFromPlan}. */
export interface PlanGraphOptions {
  /**
   * The root module's folder: its `.tf` files (and its modules', by their `source`, or
   * `.terraform/modules/modules.json` for registry modules) give what a plan lacks, locals and
   * `dynamic` block contents. Without it those stay unresolved.
   */
  readonly sourceDir?: string;
}

/** `module.a["x"].module.b[0]` -> [{ name: 'a', key: 'x' }, { name: 'b', key: 0 }]. */
function moduleSegments(address: string): Array<{ name: string; key?: number | string }> {
  return [...address.matchAll(/module\.([\w-]+)(?:\[("(?:[^"\\]|\\.)*"|\d+)\])?/g)].map((m) => ({
    name: m[1],
    key: m[2] === undefined ? undefined : m[2].startsWith('"') ? (JSON.parse(m[2]) as string) : Number(m[2]),
  }));
}

/** The module instance part of a resource address (`module.x["k"].aws_a.b[0]` -> `module.x["k"]`). */
function moduleOfAddress(address: string): string {
  const m = /^((?:module\.[\w-]+(?:\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?\.?)*)/.exec(address);
  return (m?.[1] ?? '').replace(/\.$/, '');
}

const configPath = (instance: string) => moduleSegments(instance).map((s) => `module.${s.name}`).join('.');

/** Reads a plan (`terraform show -json <planfile>`), every module instance, data sources included. */
export function graphFromPlan(plan: PlanInput, options: PlanGraphOptions = {}): TerraformGraph {
  // Planned instances by `<module instance>.<[data.]type.name>`.
  type Planned = { index?: number | string; address: string; after: Record<string, unknown>; unknown?: unknown; planned?: Record<string, unknown> };
  const planned = new Map<string, Planned[]>();
  const moduleInstances = new Set<string>(['']);
  const addPlanned = (moduleAddress: string, mode: string | undefined, type: string, name: string, p: Planned) => {
    const key = `${moduleAddress ? `${moduleAddress}.` : ''}${mode === 'data' ? 'data.' : ''}${type}.${name}`;
    const list = planned.get(key) ?? [];
    if (!list.some((x) => x.address === p.address)) list.push(p);
    planned.set(key, list);
    let m = moduleAddress;
    while (m) {
      moduleInstances.add(m);
      m = moduleOfAddress(m.replace(/\.?module\.[\w-]+(?:\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?$/, ''));
    }
  };
  for (const c of plan.resource_changes ?? []) {
    if (c.change.actions.length === 1 && c.change.actions[0] === 'delete') continue;
    const after = Object.fromEntries(Object.entries(c.change.after ?? {}).filter(([, v]) => v !== null));
    addPlanned(c.module_address ?? '', c.mode, c.type, c.name, { index: c.index, address: c.address, after, unknown: c.change.after_unknown, planned: c.change.after ?? undefined });
  }
  // Data sources read at plan are only in the prior state.
  const walkState = (module: PlanStateModule | undefined) => {
    if (!module) return;
    for (const r of module.resources ?? []) {
      if (r.mode !== 'data') continue;
      const after = Object.fromEntries(Object.entries(r.values ?? {}).filter(([, v]) => v !== null));
      addPlanned(moduleOfAddress(r.address), 'data', r.type, r.name, { index: r.index, address: r.address, after });
    }
    for (const child of module.child_modules ?? []) walkState(child);
  };
  walkState(plan.prior_state?.values?.root_module);

  const resources: TfResource[] = [];
  const calls: ModuleCall[] = [];
  const locals: Record<string, Record<string, unknown>> = {};
  const walkModule = (module: PlanConfigModule | undefined, path: string, dir: string | undefined, installKey: string) => {
    if (!module) return;
    const instances = [...moduleInstances].filter((m) => configPath(m) === path);
    const source = dir ? readModuleSource(dir) : undefined;
    for (const instance of instances) if (source) locals[instance] = source.locals;
    for (const r of module.resources ?? []) {
      const mode = r.mode === 'data' ? 'data' : 'managed';
      const config = expressionsToConfig(r.expressions ?? {}) as Record<string, unknown>;
      const localAddress = `${mode === 'data' ? 'data.' : ''}${r.type}.${r.name}`;
      // A dynamic block is missing from the plan's configuration: its content from the source.
      for (const [block, attrs] of Object.entries(source?.dynamics[localAddress] ?? {})) if (config[block] === undefined) config[block] = [attrs];
      const forEach = r.for_each_expression === undefined ? undefined : expressionsToConfig(r.for_each_expression);
      for (const moduleInstance of instances) {
        const list: TfInstance[] = [];
        const address = `${moduleInstance ? `${moduleInstance}.` : ''}${localAddress}`;
        const suppressions = source?.suppressions[localAddress];
        const resource: TfResource = { type: r.type, name: r.name, mode, module: moduleInstance, address, config, forEach, instances: list, ...(suppressions ? { suppressions } : {}) };
        for (const p of planned.get(address) ?? []) {
          const fromConfig = evaluateLiteral(config, p.index) as Record<string, unknown>;
          list.push({ resource, index: p.index, address: p.address, values: { ...fromConfig, ...p.after }, unknown: p.unknown, planned: p.planned });
        }
        resources.push(resource);
      }
    }
    for (const [name, call] of Object.entries(module.module_calls ?? {})) {
      const childPath = `${path ? `${path}.` : ''}module.${name}`;
      const key = installKey ? `${installKey}.${name}` : name;
      const childDir =
        dir && call.source && /^\.\.?\//.test(call.source) ? join(dir, call.source) : options.sourceDir ? installedModuleDir(options.sourceDir, key) : undefined;
      const outputs = Object.fromEntries(Object.entries(call.module?.outputs ?? {}).map(([k, o]) => [k, expressionsToConfig(o.expression ?? {})]));
      const expressions = expressionsToConfig(call.expressions ?? {}) as Record<string, unknown>;
      const forEach = call.for_each_expression === undefined ? undefined : expressionsToConfig(call.for_each_expression);
      for (const instance of [...moduleInstances].filter((m) => configPath(m) === childPath)) {
        const segments = moduleSegments(instance);
        const parent = instance.replace(/\.?module\.[\w-]+(?:\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?$/, '');
        if (!instances.includes(parent)) continue;
        calls.push({ address: instance, parent, name, key: segments[segments.length - 1].key, expressions, forEach, outputs });
      }
      walkModule(call.module, childPath, childDir, key);
    }
  };
  walkModule(plan.configuration?.root_module, '', options.sourceDir, '');
  const variables = Object.fromEntries(Object.entries(plan.variables ?? {}).map(([k, v]) => [k, v.value]));
  return new TerraformGraph('plan', resources, locals, calls, variables);
}

/**
 * Turns plan expressions back into a configuration block: `constant_value` where Terraform
 * gives it (a JSON-syntax root gives the template strings), else the references as one
 * interpolation, which is all a link needs.
 */
function expressionsToConfig(expr: unknown): unknown {
  if (Array.isArray(expr)) return expr.map(expressionsToConfig);
  if (!expr || typeof expr !== 'object') return expr;
  const e = expr as Record<string, unknown>;
  if ('constant_value' in e) return e.constant_value;
  if ('references' in e && Array.isArray(e.references)) {
    const all = (e.references as string[]).filter((r) => !r.startsWith('path.'));
    // Terraform lists `a.b[0].id`, `a.b[0]` and `a.b`: keep the most specific of each.
    const refs = [...new Set(all)].filter((r) => !all.some((other) => other !== r && (other.startsWith(`${r}.`) || other.startsWith(`${r}[`))));
    // `aws_x.y[each.key]` is listed as `aws_x.y` and `each.key`: keep the key with the reference.
    return refs.length > 0 ? `\${${refs.join(' ')}}` : undefined;
  }
  return Object.fromEntries(Object.entries(e).map(([k, v]) => [k, expressionsToConfig(v)]));
}

function addressWithIndex(address: string, index: number | string | undefined): string {
  if (index === undefined) return address;
  return typeof index === 'number' ? `${address}[${index}]` : `${address}["${index}"]`;
}

/** Reads whichever input this JSON is: a plan has `format_version` and `resource_changes`/`configuration`. */
export function graphFromJson(json: unknown, options: PlanGraphOptions = {}): TerraformGraph {
  const j = json as Record<string, unknown>;
  if (j && typeof j === 'object' && 'format_version' in j && ('configuration' in j || 'resource_changes' in j)) return graphFromPlan(j as PlanInput, options);
  return graphFromStack(j as StackJson);
}
