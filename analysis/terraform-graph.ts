import { dirname, join } from 'node:path';
import { derivedAttribute } from './evaluate/derived';
import { entries, evaluate, evaluateMember, Scope, World } from './evaluate/expressions';
import { EvalError } from './evaluate/functions';
import { applyType } from './evaluate/types';
import { hasUnknown, isLazy, isObject, Lazy, materialize, Unknown, Value } from './evaluate/values';
import { Drift, reachabilityDrift } from './drift';
import { installedModuleDir } from './hcl-source';
import { Expr } from './sources/hcl-syntax';
import { addJsonConfig, emptySource, ModuleSource, PlanConfigModule, planExpr, readModuleFolder, ResourceBlock, sourceFromPlan } from './sources/module-source';

/**
 * One model of a Terraform configuration, read from either the synthesized stack
 * (`cdk.tf.json`) or a plan (`terraform show -json`). Every analysis asks this model, so the
 * same question gets the same answer from both inputs.
 *
 * Values are evaluated, not guessed from references: each attribute of each resource instance
 * is the plan's planned value where the plan knows it, else its configuration expression
 * evaluated in that instance's scope (its module instance, `each`, `count`), with variables,
 * locals and module outputs evaluated the same way (analysis/evaluate/). What is computed at
 * apply is an {@link Unknown} that names what it is (`aws_dynamodb_table.orders.arn`); what
 * cannot be evaluated is an Unknown that says why. Nothing unknown is ever read as a match.
 *
 * The configuration comes from the module's `.tf`/`.tf.json` files (the root's folder, local
 * module folders, `.terraform/modules` for registry modules); without them, from the plan's
 * own `configuration`, whose HCL expressions are only reference lists and are not evaluated.
 */

/** One resource block in one module instance (`aws_subnet.private`), with its instances. */
export interface TfResource {
  readonly type: string;
  readonly name: string;
  /** `data` for a data source (`data.aws_prefix_list.x`); `managed` otherwise. */
  readonly mode: 'managed' | 'data';
  /** The module instance: `module.x["k"].module.y`, or '' for the root module. */
  readonly module: string;
  /** Address without index: `aws_subnet.private` (module-prefixed outside the root). */
  readonly address: string;
  /** The configuration block of a synthesized stack as written (scanned for unresolved tokens); empty for a plan. */
  readonly config: Record<string, unknown>;
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
  /** The plan's `after` (nulls dropped): what the plan knows; empty for a stack. */
  readonly values: Record<string, unknown>;
  /** The plan's `after_unknown`: `true` where a value is computed at apply. */
  readonly unknown?: unknown;
  /** The plan's `after` as planned, nulls kept: an argument the plan knows to be null. */
  readonly planned?: Record<string, unknown>;
}

/** What an attribute points at: instances in this configuration, and literal ids. */
export interface Resolved {
  readonly instances: TfInstance[];
  /** Known values that are no instance here, such as `subnet-0abc...` (resources outside this configuration). */
  readonly literals: string[];
  /** Why part of the value is not known: each names the expression or attribute. */
  readonly unresolved: string[];
}

/** Which input the graph was read from. */
export type GraphSource = 'stack' | 'plan' | 'state';

interface ModuleInstance {
  readonly address: string;
  /** `module.a.module.b`: the configuration path, without keys. */
  readonly path: string;
  readonly source: ModuleSource;
  readonly parent?: string;
  readonly call?: string;
  readonly key?: number | string;
}

/** What the plan says of one instance. */
interface PlannedInstance {
  readonly address: string;
  readonly index?: number | string;
  readonly after: Record<string, unknown>;
  readonly unknown?: unknown;
}

const IDENTIFYING = ['id', 'arn', 'name'];

/** Attributes that stand for their instance when a reference reads them (`aws_subnet.a.id`, an endpoint's `prefix_list_id`). */
const IDENTITY = /^(id|arn|name|function_name|prefix_list_id)$/;

/** The common model over both inputs. */
export class TerraformGraph implements World {
  readonly resources: TfResource[] = [];
  private readonly byAddress = new Map<string, TfResource>();
  private readonly byInstance = new Map<string, TfInstance>();
  private readonly modules = new Map<string, ModuleInstance>();
  private readonly blocks = new Map<TfResource, ResourceBlock>();
  private readonly memo = new Map<string, Value>();
  private readonly busy = new Set<string>();
  private readonly scopes = new Map<TfInstance, Scope>();
  private keyIndex?: Map<string, TfInstance[]>;
  /** A refresh-only plan's drift on the resources reachability depends on (drift.ts). */
  drift: Drift[] = [];

  constructor(
    readonly source: GraphSource,
    /** Module sources by configuration path ('' for the root, `module.a.module.b`). */
    private readonly sources: ReadonlyMap<string, ModuleSource>,
    /** Planned instances by resource address (`module.x["k"].aws_a.b`); undefined for a stack. */
    private readonly planned: ReadonlyMap<string, PlannedInstance[]> | undefined,
    /** Root variables' values (a plan's `variables`). */
    private readonly rootVariables: Readonly<Record<string, unknown>> = {},
    /** Module instance addresses the plan holds (a call's instances come from here when the plan has them). */
    private readonly plannedModules: ReadonlySet<string> = new Set(),
  ) {
    this.addModule({ address: '', path: '', source: sources.get('') ?? emptySource('no root module') });
    if (planned) {
      // Instances the plan holds whose block no source has (a source that does not match the plan).
      for (const [address, list] of planned) {
        if (this.byAddress.has(address)) continue;
        const m = /^(.*?)(?:\.)?((?:data\.)?([a-z0-9_]+)\.([\w-]+))$/.exec(address);
        if (!m) continue;
        const module = m[1].replace(/\.$/, '');
        const mode = m[2].startsWith('data.') ? 'data' : 'managed';
        this.addResource(module, mode, m[3], m[4], { body: { attrs: {}, blocks: {} } }, list);
      }
    }
  }

  // -------------------------------------------------------------------------------------
  // Construction

  private addModule(instance: ModuleInstance): void {
    this.modules.set(instance.address, instance);
    const { source } = instance;
    for (const [localAddress, block] of Object.entries(source.resources)) {
      const m = /^(data\.)?([^.]+)\.(.+)$/.exec(localAddress)!;
      const list = this.planned?.get(join2(instance.address, localAddress));
      this.addResource(instance.address, m[1] ? 'data' : 'managed', m[2], m[3], block, list, source.suppressions[localAddress], source.json?.[localAddress]);
    }
    for (const [name, call] of Object.entries(source.calls)) {
      const path = instance.path ? `${instance.path}.module.${name}` : `module.${name}`;
      const child = this.sources.get(path) ?? emptySource(`module.${name}'s source was not read`);
      for (const key of this.callKeys(instance, name, call.count, call.forEach)) {
        const address = `${join2(instance.address, `module.${name}`)}${key === undefined ? '' : indexText(key)}`;
        this.addModule({ address, path, source: child, parent: instance.address, call: name, key });
      }
    }
  }

  /** The instances of a module call: as the plan has them, else its count/for_each evaluated. */
  private callKeys(parent: ModuleInstance, name: string, count?: Expr, forEach?: Expr): Array<number | string | undefined> {
    const prefix = join2(parent.address, `module.${name}`);
    const seen = [...this.plannedModules].filter((m) => m === prefix || (m.startsWith(prefix) && m[prefix.length] === '[' && !m.slice(prefix.length).includes('.module.')));
    if (this.planned && seen.length > 0) return seen.map((m) => (m === prefix ? undefined : parseIndex(m.slice(prefix.length))));
    return this.expand(parent.address, count, forEach) ?? [];
  }

  /** Keys of a count or for_each evaluated in a module instance; undefined when unknown. */
  private expand(module: string, count?: Expr, forEach?: Expr): Array<number | string | undefined> | undefined {
    if (count) {
      const n = evaluate(this, count, { module });
      return typeof n === 'number' ? Array.from({ length: n }, (_v, i) => i) : undefined;
    }
    if (forEach) {
      const v = evaluate(this, forEach, { module });
      if (v instanceof Unknown || v === null) return undefined;
      try {
        return entries(v).map(([k, x]) => (Array.isArray(v) ? String(x) : String(k)));
      } catch {
        return undefined;
      }
    }
    return [undefined];
  }

  private addResource(
    module: string,
    mode: 'managed' | 'data',
    type: string,
    name: string,
    block: ResourceBlock,
    planned: PlannedInstance[] | undefined,
    suppressions?: ConfigSuppression[],
    config?: Record<string, unknown>,
  ): void {
    const address = join2(module, `${mode === 'data' ? 'data.' : ''}${type}.${name}`);
    const instances: TfInstance[] = [];
    const resource: TfResource = { type, name, mode, module, address, config: config ?? {}, instances, ...(suppressions && suppressions.length > 0 ? { suppressions } : {}) };
    this.byAddress.set(address, resource);
    this.blocks.set(resource, block);
    this.resources.push(resource);
    const add = (index: number | string | undefined, p?: PlannedInstance) => {
      const after = p?.after ?? {};
      const instance: TfInstance = {
        resource,
        index,
        address: p?.address ?? `${address}${index === undefined ? '' : indexText(index)}`,
        values: Object.fromEntries(Object.entries(after).filter(([, v]) => v !== null)),
        ...(p ? { unknown: p.unknown, planned: after } : {}),
      };
      instances.push(instance);
      this.byInstance.set(instance.address, instance);
    };
    if (this.planned) {
      for (const p of planned ?? []) add(p.index, p);
      return;
    }
    // A stack: expand count and for_each as they evaluate; one instance stands for an unknown count.
    const keys = this.expand(module, block.count, block.forEach) ?? [block.count ? 0 : undefined];
    for (const key of keys) add(key);
  }

  // -------------------------------------------------------------------------------------
  // Queries

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

  /** The instance at an address (`aws_subnet.private[0]`). */
  instance(address: string): TfInstance | undefined {
    return this.byInstance.get(address);
  }

  /**
   * The value at a dotted path (`vpc_config.subnet_ids`): planned where the plan knows it,
   * else evaluated from the configuration; unknown parts are {@link Unknown}s. Nested blocks
   * are lists: a path through them collects every block's value.
   */
  evaluated(instance: TfInstance, path: string): Value | undefined {
    const [first, ...rest] = path.split('.');
    try {
      return walk(this.attribute(instance, first), rest);
    } catch (error) {
      if (error instanceof EvalError) return Unknown.because(error.message);
      throw error;
    }
  }

  /** The value as the configuration writes it (evaluated), or undefined when the configuration does not set it. */
  raw(instance: TfInstance, path: string): Value | undefined {
    const [first, ...rest] = path.split('.');
    const block = this.blocks.get(instance.resource);
    if (!block) return undefined;
    const value = this.memoized(`${instance.address}\u0000config\u0000${first}`, () => evaluateMember(this, block.body, first, this.scopeOf(instance)) ?? ABSENT);
    return value === ABSENT ? undefined : walk(value, rest);
  }

  /**
   * An argument as the resource receives it: the configuration's value where it sets one,
   * else the plan's value where the plan knows it; undefined when neither sets it (an unset
   * optional argument: null, or what the provider computes, such as a security group's
   * `egress` without inline rules, which the provider empties). Unknown when the module's
   * source was not read and the plan does not know it either.
   */
  argument(instance: TfInstance, path: string): Value | undefined {
    const [first, ...rest] = path.split('.');
    if (this.raw(instance, first) !== undefined) return this.evaluated(instance, path);
    const planned = plannedAttribute(instance, first);
    if (planned !== undefined && planned !== null && !hasUnknown(planned)) return walk(planned, rest) ?? undefined;
    const missing = this.modules.get(instance.resource.module)?.source.missing;
    if (missing && planned !== undefined && planned !== null) return Unknown.because(`${instance.address}.${path}: ${missing}`);
    return undefined;
  }

  /** {@link argument} as plain JSON when fully known; undefined when unset or not known before apply. */
  argumentValue(instance: TfInstance, path: string): unknown {
    const v = this.argument(instance, path);
    if (v === undefined) return undefined;
    const plain = materialize(v);
    return hasUnknown(plain) ? undefined : plain;
  }

  /** True when the argument is set to something not known before apply. */
  argumentUnknown(instance: TfInstance, path: string): boolean {
    const v = this.argument(instance, path);
    return v !== undefined && hasUnknown(v);
  }

  /**
   * Every module call instance whose module's variables were read from its files: each
   * argument as the caller wrote it (evaluated in the caller, before the variable's type
   * drops what it does not declare) and the variable's type.
   */
  moduleArguments(): Array<{ call: string; instance: string; source?: string; args: Record<string, { value: Value; type?: Expr }> }> {
    const out: Array<{ call: string; instance: string; source?: string; args: Record<string, { value: Value; type?: Expr }> }> = [];
    for (const m of this.modules.values()) {
      if (m.parent === undefined || m.source.missing) continue;
      const parent = this.modules.get(m.parent)!;
      const call = parent.source.calls[m.call!];
      if (!call) continue;
      const args: Record<string, { value: Value; type?: Expr }> = {};
      for (const [name, expr] of Object.entries(call.args)) args[name] = { value: evaluate(this, expr, this.callScope(m)), type: m.source.variables[name]?.type };
      out.push({ call: join2(m.parent, `module.${m.call}`), instance: m.address, source: call.source, args });
    }
    return out;
  }

  /** The configuration's expression for a top-level argument, as written. */
  expression(instance: TfInstance, name: string): Expr | undefined {
    return this.blocks.get(instance.resource)?.body.attrs[name];
  }

  /** True when the value at this path (or part of it) is not known before apply. */
  isUnknown(instance: TfInstance, path: string): boolean {
    const v = this.evaluated(instance, path);
    return v !== undefined && hasUnknown(v);
  }

  /**
   * True when the plan knows the argument is null or absent (a variable defaulting to null):
   * the configuration's expression then set nothing. False for a stack (no plan: a variable
   * may set it) and for a value computed at apply.
   */
  plannedNull(instance: TfInstance, path: string): boolean {
    if (!instance.planned || this.isUnknown(instance, path)) return false;
    const v = walkPlain(instance.planned, path.split('.'));
    return v === undefined || v === null;
  }

  /** The value known before apply at a dotted path (plain JSON), or undefined when any part of it is not. */
  value(instance: TfInstance, path: string): unknown {
    const v = this.evaluated(instance, path);
    if (v === undefined) return undefined;
    const plain = materialize(v);
    return hasUnknown(plain) ? undefined : plain;
  }

  /** The instances and known ids an attribute evaluates to, and why the rest is unknown. */
  resolve(from: TfInstance, path: string): Resolved {
    return this.resolveValue(from, this.evaluated(from, path));
  }

  /** The same for a value already evaluated (a policy's `Resource`, a rule's prefix list). */
  resolveValue(_from: TfInstance, value: unknown): Resolved {
    const instances: TfInstance[] = [];
    const literals: string[] = [];
    const unresolved: string[] = [];
    const addInstance = (i: TfInstance) => void (instances.includes(i) || instances.push(i));
    const visit = (v: unknown, depth: number) => {
      if (depth > 32 || v === null || v === undefined) return;
      if (typeof v === 'string') {
        const known = this.identify(v);
        if (known.length > 0) known.forEach(addInstance);
        else literals.push(v);
      } else if (v instanceof Unknown) {
        const instancesOfOrigin = v.exact ? v.origins.map((o) => (IDENTITY.test(o.attribute) ? this.byInstance.get(o.address) : undefined)) : [];
        if (instancesOfOrigin.length > 0 && instancesOfOrigin.every((i) => i !== undefined)) instancesOfOrigin.forEach((i) => addInstance(i!));
        // Another id of an instance here (a VPC's `main_route_table_id`): a name for it, not unknown.
        else if (v.exact && v.origins.length === 1 && /_id$/.test(v.origins[0].attribute) && this.byInstance.has(v.origins[0].address)) literals.push(`${v.origins[0].address}.${v.origins[0].attribute}`);
        else unresolved.push(v.reason);
      } else if (Array.isArray(v)) v.forEach((x) => visit(x, depth + 1));
      else if (isObject(v as Value)) Object.values(v as Record<string, Value>).forEach((x) => visit(x, depth + 1));
    };
    visit(value, 0);
    return { instances, literals, unresolved: [...new Set(unresolved)] };
  }

  /** True when `instance` is among what `path` of `from` evaluates to. */
  refersTo(from: TfInstance, path: string, instance: TfInstance): boolean {
    return this.resolve(from, path).instances.includes(instance);
  }

  /** Instances whose known id, ARN or name is this string. */
  identify(text: string): TfInstance[] {
    if (!this.keyIndex) {
      const index = new Map<string, TfInstance[]>();
      for (const r of this.resources) {
        for (const i of r.instances) {
          for (const attr of IDENTIFYING) {
            const v = this.evaluated(i, attr);
            if (typeof v !== 'string' || v === '') continue;
            const list = index.get(v) ?? [];
            if (!list.includes(i)) list.push(i);
            index.set(v, list);
          }
        }
      }
      this.keyIndex = index;
    }
    return this.keyIndex.get(text) ?? [];
  }

  // -------------------------------------------------------------------------------------
  // Evaluation (the World the evaluator asks)

  /** One attribute of an instance: planned, else configured, else derived, else computed at apply. */
  attribute(instance: TfInstance, name: string): Value {
    return this.memoized(`${instance.address}\u0000${name}`, () => {
      const planned = plannedAttribute(instance, name);
      if (planned !== undefined && !hasUnknown(planned)) return planned;
      const configured = this.raw(instance, name);
      const derived = configured === undefined ? derivedAttribute(this, instance, name) : undefined;
      const fromConfig = configured ?? derived;
      if (fromConfig !== undefined) return planned === undefined ? fromConfig : fill(planned, fromConfig);
      if (planned !== undefined) {
        const missing = this.modules.get(instance.resource.module)?.source.missing;
        return missing ? explain(planned, missing) : planned;
      }
      // A plan that lists the instance knows every attribute of its schema: one it lacks does not exist.
      if (instance.planned && !(name in instance.planned) && Object.keys(instance.planned).length > 0) throw new EvalError(`${instance.address} has no attribute "${name}"`);
      return Unknown.of(instance.address, name);
    });
  }

  variable(module: string, name: string): Value {
    return this.memoized(`${module}\u0000var.${name}`, () => {
      const m = this.modules.get(module);
      if (!m) throw new EvalError(`no module instance ${module}`);
      const spec = m.source.variables[name];
      const constant = (e: Expr) => evaluate(this, e, { module: '' });
      if (m.parent === undefined) {
        if (name in this.rootVariables) return this.rootVariables[name] as Value;
        if (spec?.default) return applyType(evaluate(this, spec.default, { module }), spec.type, constant);
        if (!spec && m.source.missing) return Unknown.because(`var.${name}: ${m.source.missing}`);
        if (!spec) throw new EvalError(`no variable "${name}"`);
        return Unknown.because(`var.${name} has no value in this input`);
      }
      const parent = this.modules.get(m.parent)!;
      const arg = parent.source.calls[m.call!]?.args[name];
      if (arg) return applyType(evaluate(this, arg, this.callScope(m)), spec?.type, constant);
      if (spec?.default) return applyType(evaluate(this, spec.default, { module }), spec.type, constant);
      if (!spec && m.source.missing) return Unknown.because(`var.${name}: ${m.source.missing}`);
      if (!spec) throw new EvalError(`no variable "${name}" in ${module}`);
      return null;
    });
  }

  local(module: string, name: string): Value {
    return this.memoized(`${module}\u0000local.${name}`, () => {
      const m = this.modules.get(module);
      const expr = m?.source.locals[name];
      if (!expr) {
        if (m?.source.missing) return Unknown.because(`local.${name}${module ? ` in ${module}` : ''}: ${m.source.missing}`);
        throw new EvalError(`no local "${name}"`);
      }
      return evaluate(this, expr, { module });
    });
  }

  moduleCall(module: string, name: string): Value | undefined {
    const m = this.modules.get(module);
    const call = m?.source.calls[name];
    if (!m || !call) return undefined;
    const prefix = join2(module, `module.${name}`);
    const children = [...this.modules.values()].filter((c) => c.parent === module && c.call === name);
    const lazy = (child: ModuleInstance): Lazy => ({
      lazy: true,
      label: child.address,
      get: (output) => {
        const expr = child.source.outputs[output];
        if (!expr) return child.source.missing ? Unknown.because(`${child.address}.${output}: ${child.source.missing}`) : undefined;
        return this.memoized(`${child.address}\u0000output.${output}`, () => evaluate(this, expr, { module: child.address }));
      },
      all: () => Object.fromEntries(Object.keys(child.source.outputs).map((o) => [o, lazy(child).get(o)!])),
    });
    if (call.forEach) return Object.fromEntries(children.map((c) => [String(c.key), lazy(c)]));
    if (call.count) return children.sort((a, b) => Number(a.key) - Number(b.key)).map(lazy);
    const only = children.find((c) => c.address === prefix);
    return only ? lazy(only) : Unknown.because(`${prefix} is not in this input`);
  }

  resourceValue(module: string, mode: 'managed' | 'data', type: string, name: string): Value | undefined {
    const resource = this.byAddress.get(join2(module, `${mode === 'data' ? 'data.' : ''}${type}.${name}`));
    if (!resource) {
      const m = this.modules.get(module);
      if (m?.source.missing) return Unknown.because(`${mode === 'data' ? 'data.' : ''}${type}.${name}: ${m.source.missing}`);
      return undefined;
    }
    const block = this.blocks.get(resource);
    const lazy = (i: TfInstance): Lazy => ({
      lazy: true,
      label: i.address,
      get: (attr) => this.attribute(i, attr),
      all: () => {
        const unknown = i.unknown && typeof i.unknown === 'object' ? Object.keys(i.unknown) : [];
        const names = new Set([...Object.keys(i.planned ?? {}), ...unknown, ...Object.keys(block?.body.attrs ?? {}), ...Object.keys(block?.body.blocks ?? {})]);
        return Object.fromEntries([...names].map((n) => [n, this.attribute(i, n)]));
      },
    });
    if (block?.forEach) return Object.fromEntries(resource.instances.map((i) => [String(i.index), lazy(i)]));
    if (block?.count) return [...resource.instances].sort((a, b) => Number(a.index) - Number(b.index)).map(lazy);
    const only = resource.instances[0];
    if (only) return lazy(only);
    return Unknown.because(`${resource.address} has no instance in this input`);
  }

  /**
   * The `region` of the root module's provider configuration `aws` (or `aws.<alias>`),
   * evaluated in the root module; undefined when the configuration sets none.
   */
  providerRegion(name = 'aws'): Value | undefined {
    const expr = this.modules.get('')?.source.providerRegions?.[name];
    if (!expr) return undefined;
    try {
      return evaluate(this, expr, { module: '' });
    } catch (error) {
      if (error instanceof EvalError) return Unknown.because(error.message);
      throw error;
    }
  }

  path(module: string, what: string): Value {
    const dir = this.modules.get(module)?.source.dir ?? '.';
    if (what === 'module') return dir;
    if (what === 'root' || what === 'cwd') return this.modules.get('')?.source.dir ?? '.';
    throw new EvalError(`path.${what}`);
  }

  /** Where an instance's own expressions are evaluated: its module, `count.index`, `each.key`/`each.value`. */
  private scopeOf(instance: TfInstance): Scope {
    let scope = this.scopes.get(instance);
    if (scope) return scope;
    const { module } = instance.resource;
    const block = this.blocks.get(instance.resource);
    scope = { module, names: this.iterationNames(module, instance.index, block?.count !== undefined, block?.forEach) };
    this.scopes.set(instance, scope);
    return scope;
  }

  /** A module call's arguments are evaluated in the caller, with the call's own `each`/`count`. */
  private callScope(m: ModuleInstance): Scope {
    const parent = this.modules.get(m.parent!)!;
    const call = parent.source.calls[m.call!];
    return { module: parent.address, names: this.iterationNames(parent.address, m.key, call?.count !== undefined, call?.forEach) };
  }

  private iterationNames(module: string, key: number | string | undefined, counted: boolean, forEach: Expr | undefined): Record<string, Value> {
    if (key === undefined) return {};
    if (counted || typeof key === 'number') return { count: { index: key } };
    if (!forEach) return { each: { key, value: key } };
    const all = this.memoized(`${module}\u0000for_each\u0000${forEach.text ?? ''}\u0000${JSON.stringify(forEach).length}`, () => evaluate(this, forEach, { module }));
    let value: Value;
    if (all instanceof Unknown) value = new Unknown(`each.value: ${all.reason}`, all.origins, false);
    else if (Array.isArray(all)) value = key;
    else if (isLazy(all)) value = all.get(key) ?? Unknown.because(`each.value: no key "${key}"`);
    else if (isObject(all)) value = key in all ? all[key] : Unknown.because(`each.value: no key "${key}" in the for_each`);
    else value = Unknown.because('each.value: the for_each is not a collection');
    return { each: { key, value } };
  }

  private memoized(key: string, compute: () => Value): Value {
    const hit = this.memo.get(key);
    if (hit !== undefined) return hit;
    if (this.busy.has(key)) throw new EvalError(`a cycle through ${key.replace(/\u0000/g, ' ')}`);
    this.busy.add(key);
    try {
      const v = compute();
      this.memo.set(key, v);
      return v;
    } finally {
      this.busy.delete(key);
    }
  }
}

/** A marker for "the configuration does not set this" in the memo (undefined means not computed). */
const ABSENT = Object.freeze({ lazy: true, label: 'absent', get: () => undefined, all: () => ({}) }) as unknown as Value;

function join2(module: string, rest: string): string {
  return module ? `${module}.${rest}` : rest;
}

function indexText(index: number | string): string {
  return typeof index === 'number' ? `[${index}]` : `[${JSON.stringify(index)}]`;
}

function parseIndex(text: string): number | string {
  const inner = text.slice(1, -1);
  return inner.startsWith('"') ? (JSON.parse(inner) as string) : Number(inner);
}

/** One top-level attribute as the plan has it (unknown parts as unknowns); undefined when the plan does not list it. */
function plannedAttribute(instance: TfInstance, name: string): Value | undefined {
  const unknown = instance.unknown as Record<string, unknown> | undefined;
  if (instance.planned === undefined || !(name in instance.planned || (unknown !== undefined && name in unknown))) return undefined;
  return plannedValue(instance.planned[name], unknown?.[name], instance.address, name);
}

/** A planned value with its unknown parts (per `after_unknown`) as unknowns of that attribute. */
function plannedValue(after: unknown, unknown: unknown, address: string, path: string): Value {
  if (unknown === true) return Unknown.of(address, path);
  if (Array.isArray(after)) return after.map((x, i) => plannedValue(x, Array.isArray(unknown) ? unknown[i] : undefined, address, path));
  if (after && typeof after === 'object') {
    const u = (unknown && typeof unknown === 'object' ? unknown : {}) as Record<string, unknown>;
    const out: Record<string, Value> = {};
    for (const [k, v] of Object.entries(after)) out[k] = plannedValue(v, u[k], address, `${path}.${k}`);
    for (const [k, flag] of Object.entries(u)) if (!(k in out) && flag === true) out[k] = Unknown.of(address, `${path}.${k}`);
    return out;
  }
  if (after === undefined && Array.isArray(unknown)) return unknown.map((x, i) => plannedValue(undefined, x, address, `${path}.${i}`));
  return (after ?? null) as Value;
}

/** The planned value with its unknown parts filled from the configuration's evaluation. */
function fill(planned: Value, configured: Value, depth = 0): Value {
  if (depth > 32) return planned;
  if (planned instanceof Unknown) {
    if (!(configured instanceof Unknown) || configured.origins.length > 0 || planned.origins.length === 0) return configured;
    // Known only at apply, and its expression could not be evaluated either: both reasons.
    return new Unknown(`${planned.reason}; its expression: ${configured.reason}`, planned.origins, planned.exact, planned.parts, planned.json, planned.excludes);
  }
  if (configured instanceof Unknown && configured.origins.length === 0 && hasUnknown(planned)) return explain(planned, configured.reason);
  // A nested block written as an object in JSON syntax is a list of one in the plan.
  if (Array.isArray(planned) && isObject(configured)) return fill(planned, [configured], depth + 1);
  if (Array.isArray(planned) && Array.isArray(configured) && planned.length === configured.length) return planned.map((p, i) => fill(p, configured[i], depth + 1));
  if (Array.isArray(planned) && Array.isArray(configured) && hasUnknown(planned)) return configured;
  if (isObject(planned) && isObject(configured)) {
    const out: Record<string, Value> = {};
    for (const [k, v] of Object.entries(planned)) out[k] = k in configured && hasUnknown(v) ? fill(v, configured[k], depth + 1) : v;
    return out;
  }
  return planned;
}

/** The value with each unknown's reason extended by why its expression was not evaluated. */
function explain(v: Value, why: string, depth = 0): Value {
  if (v instanceof Unknown) return new Unknown(`${v.reason}; its expression: ${why}`, v.origins, v.exact, v.parts, v.json, v.excludes);
  if (depth > 32) return v;
  if (Array.isArray(v)) return v.map((x) => explain(x, why, depth + 1));
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, explain(x, why, depth + 1)]));
  return v;
}

/** A dotted path into a value; through a list of blocks it collects every block's value. */
function walk(value: Value | undefined, path: string[]): Value | undefined {
  let current: Value | undefined = value;
  for (const key of path) {
    if (current === undefined || current === null) return undefined;
    if (current instanceof Unknown) return new Unknown(current.reason, current.origins, false);
    if (Array.isArray(current)) {
      const items = current.map((c) => walk(c, [key])).filter((v): v is Value => v !== undefined && v !== null);
      current = items.length === 0 ? undefined : items.length === 1 ? items[0] : items.flatMap((x) => (Array.isArray(x) ? x : [x]));
    } else if (isLazy(current)) current = current.get(key);
    else if (isObject(current)) current = current[key];
    else return undefined;
  }
  return current;
}

function walkPlain(value: unknown, path: string[]): unknown {
  let current: unknown = value;
  for (const key of path) {
    if (Array.isArray(current)) {
      const items = current.map((c) => (c && typeof c === 'object' ? (c as Record<string, unknown>)[key] : undefined)).filter((v) => v !== undefined);
      current = items.length === 0 ? undefined : items.length === 1 ? items[0] : items.flat();
    } else if (current && typeof current === 'object') current = (current as Record<string, unknown>)[key];
    else return undefined;
  }
  return current;
}

/** All strings inside a value (arrays and objects walked). */
export function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object' && !(value instanceof Unknown) && !isLazy(value)) return Object.values(value).flatMap(strings);
  return [];
}

// ---------------------------------------------------------------------------------------
// Loaders

/** The parts of a synthesized `cdk.tf.json` read here. */
export interface StackJson {
  provider?: Record<string, unknown>;
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  locals?: Record<string, unknown>;
  variable?: Record<string, unknown>;
}

/** Reads a synthesized stack (`cdk.tf.json`); `dir` is its folder (for `path.module`). Needs the HCL parser loaded. */
export function graphFromStack(json: StackJson, dir?: string): TerraformGraph {
  const source = { ...emptySource(), ...(dir ? { dir } : {}) };
  addJsonConfig(source, json as Record<string, unknown>);
  return new TerraformGraph('stack', new Map([['', source]]), undefined);
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
  configuration?: { root_module?: PlanConfigModule; provider_config?: Record<string, { name?: string; alias?: string; module_address?: string; expressions?: Record<string, unknown> }> };
  prior_state?: { values?: { root_module?: PlanStateModule } };
  variables?: Record<string, { value?: unknown }>;
  resource_drift?: Parameters<typeof reachabilityDrift>[0]['resource_drift'];
}

/** Options of {@link graphFromPlan}. */
export interface PlanGraphOptions {
  /**
   * The root module's folder: its `.tf` files (and its modules', by their `source`, or
   * `.terraform/modules/modules.json` for registry modules) are evaluated. Without them, the
   * plan's own configuration is read: its HCL expressions are references only, not evaluated.
   */
  readonly sourceDir?: string;
}

/** The module instance part of a resource address (`module.x["k"].aws_a.b[0]` -> `module.x["k"]`). */
function moduleOfAddress(address: string): string {
  const m = /^((?:module\.[\w-]+(?:\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?\.?)*)/.exec(address);
  return (m?.[1] ?? '').replace(/\.$/, '');
}

/** Reads a plan (`terraform show -json <planfile>`), every module instance, data sources included. Needs the HCL parser loaded. */
export function graphFromPlan(plan: PlanInput, options: PlanGraphOptions = {}): TerraformGraph {
  const planned = new Map<string, PlannedInstance[]>();
  const modules = new Set<string>();
  const add = (moduleAddress: string, mode: string | undefined, type: string, name: string, p: PlannedInstance) => {
    const key = join2(moduleAddress, `${mode === 'data' ? 'data.' : ''}${type}.${name}`);
    const list = planned.get(key) ?? [];
    if (!list.some((x) => x.address === p.address)) list.push(p);
    planned.set(key, list);
    for (let m = moduleAddress; m; m = m.replace(/\.?module\.[\w-]+(?:\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?$/, '')) modules.add(m);
  };
  for (const c of plan.resource_changes ?? []) {
    if (c.change.actions.length === 1 && c.change.actions[0] === 'delete') continue;
    add(c.module_address ?? '', c.mode, c.type, c.name, { index: c.index, address: c.address, after: c.change.after ?? {}, unknown: c.change.after_unknown });
  }
  // Data sources read at plan are only in the prior state.
  const walkState = (module: PlanStateModule | undefined) => {
    if (!module) return;
    for (const r of module.resources ?? []) if (r.mode === 'data') add(moduleOfAddress(r.address), 'data', r.type, r.name, { index: r.index, address: r.address, after: r.values ?? {} });
    for (const child of module.child_modules ?? []) walkState(child);
  };
  walkState(plan.prior_state?.values?.root_module);

  const sources = new Map<string, ModuleSource>();
  const readSources = (config: PlanConfigModule | undefined, path: string, dir: string | undefined, installKey: string) => {
    const fromFiles = dir ? readModuleFolder(dir) : undefined;
    const plannedHere = (config?.resources ?? []).map((r) => `${r.mode === 'data' ? 'data.' : ''}${r.type}.${r.name}`);
    const matches = fromFiles && plannedHere.every((a) => a in fromFiles.resources) && Object.keys(config?.module_calls ?? {}).every((c) => c in fromFiles.calls);
    const where = path || 'the root module';
    const why = fromFiles
      ? `the .tf files in ${dir} do not match the plan's ${where}`
      : `${where}'s .tf files are not beside the plan (run check in the root module's folder or pass --source-dir)`;
    sources.set(path, matches ? fromFiles : sourceFromPlan(config ?? {}, why));
    for (const [name, call] of Object.entries(config?.module_calls ?? {})) {
      const key = installKey ? `${installKey}.${name}` : name;
      const childDir = dir && call.source && /^\.\.?\//.test(call.source) ? join(dir, call.source) : options.sourceDir ? installedModuleDir(options.sourceDir, key) : undefined;
      readSources(call.module, path ? `${path}.module.${name}` : `module.${name}`, childDir, key);
    }
  };
  readSources(plan.configuration?.root_module, '', options.sourceDir, '');
  // The root's provider configurations, from the plan when its .tf files did not give them.
  const root = sources.get('') as { -readonly [K in keyof ModuleSource]: ModuleSource[K] } | undefined;
  if (root && !root.providerRegions) {
    for (const config of Object.values(plan.configuration?.provider_config ?? {})) {
      const region = config.expressions?.region;
      if (config.module_address || region === undefined || !config.name) continue;
      (root.providerRegions ??= {})[config.alias ? `${config.name}.${config.alias}` : config.name] = planExpr(region, root.missing ?? 'the provider region is not a constant in the plan');
    }
  }
  const variables = Object.fromEntries(Object.entries(plan.variables ?? {}).map(([k, v]) => [k, v.value]));
  const graph = new TerraformGraph('plan', sources, planned, variables, modules);
  graph.drift = reachabilityDrift(plan);
  return graph;
}

/** The parts of `terraform show -json` of a state (no plan file) read here. */
export interface StateInput {
  format_version?: string;
  values?: { root_module?: PlanStateModule };
}

/**
 * Reads a state (`terraform show -json` without a plan file): every value is what was
 * applied, so nothing is evaluated and no source is read (the configuration may have moved on
 * since). Links come from the ids themselves: a subnet's `vpc_id` is the VPC's `id`; the
 * DynamoDB route is the endpoint's `route_table_ids` (the provider does not list `vpce-`
 * routes in a route table's `route`).
 */
export function graphFromState(state: StateInput): TerraformGraph {
  const planned = new Map<string, PlannedInstance[]>();
  const modules = new Set<string>();
  const walkState = (module: PlanStateModule | undefined) => {
    if (!module) return;
    for (const r of module.resources ?? []) {
      const moduleAddress = moduleOfAddress(r.address);
      const key = join2(moduleAddress, `${r.mode === 'data' ? 'data.' : ''}${r.type}.${r.name}`);
      planned.set(key, [...(planned.get(key) ?? []), { index: r.index, address: r.address, after: r.values ?? {} }]);
      if (moduleAddress) modules.add(moduleAddress);
    }
    for (const child of module.child_modules ?? []) walkState(child);
  };
  walkState(state.values?.root_module);
  return new TerraformGraph('state', new Map([['', emptySource()]]), planned, {}, modules);
}

/** Reads whichever input this JSON is: a plan has `format_version` and `resource_changes`/`configuration`. */
export function graphFromJson(json: unknown, options: PlanGraphOptions & { stackDir?: string } = {}): TerraformGraph {
  const j = json as Record<string, unknown>;
  if (j && typeof j === 'object' && 'format_version' in j && ('configuration' in j || 'resource_changes' in j)) return graphFromPlan(j as PlanInput, options);
  return graphFromStack(j as StackJson, options.stackDir ?? (options.sourceDir ? dirname(options.sourceDir) : undefined));
}
