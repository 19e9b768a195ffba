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
 */

/** One resource block (`aws_subnet.private`), with its instances (`[0]`, `[1]`). */
export interface TfResource {
  readonly type: string;
  readonly name: string;
  /** `module.x.module.y`, or '' for the root module. */
  readonly module: string;
  /** Address without index: `aws_subnet.private` (module-prefixed outside the root). */
  readonly address: string;
  /** The configuration block as written: strings may hold `${...}` interpolations. */
  readonly config: Record<string, unknown>;
  readonly instances: TfInstance[];
}

/** One instance of a resource; `index` is the count index or for_each key. */
export interface TfInstance {
  readonly resource: TfResource;
  readonly index?: number | string;
  /** `aws_subnet.private[0]`. */
  readonly address: string;
  /** Values known before apply: literals of the configuration, and the plan's `after`. */
  readonly values: Record<string, unknown>;
}

/** What an attribute points at: instances in this configuration, and literal ids. */
export interface Resolved {
  readonly instances: TfInstance[];
  /** Literal values such as `subnet-0abc...` (resources outside this configuration). */
  readonly literals: string[];
}

/** How a reference picks instances of its target. */
type IndexSpec = { kind: 'all' } | { kind: 'each' } | { kind: 'index'; index: number | string };

interface Reference {
  readonly target: string; // type.name
  readonly spec: IndexSpec;
}

/** Which input the graph was read from. */
export type GraphSource = 'stack' | 'plan';

/** The common model over both inputs. */
export class TerraformGraph {
  private readonly byAddress = new Map<string, TfResource>();

  constructor(
    readonly source: GraphSource,
    readonly resources: TfResource[],
    private readonly locals: Record<string, Record<string, unknown>> = {},
  ) {
    for (const r of resources) this.byAddress.set(r.address, r);
  }

  /** Every instance of a resource type, in configuration order. */
  instancesOf(type: string): TfInstance[] {
    return this.resources.filter((r) => r.type === type).flatMap((r) => r.instances);
  }

  /** The resource at an address, e.g. `aws_vpc_endpoint.system_dynamodb_endpoint`. */
  resource(address: string): TfResource | undefined {
    return this.byAddress.get(address);
  }

  /** The configuration value at a dotted path; blocks written as lists are flattened. */
  raw(instance: TfInstance, path: string): unknown {
    return walk(instance.resource.config, path.split('.'));
  }

  /** The value known before apply at a dotted path, or undefined when computed at apply. */
  value(instance: TfInstance, path: string): unknown {
    const fromValues = walk(instance.values, path.split('.'));
    if (fromValues !== undefined && fromValues !== null) return fromValues;
    return evaluateLiteral(this.raw(instance, path), instance.index);
  }

  /** The instances and literal ids an attribute refers to. */
  resolve(from: TfInstance, path: string): Resolved {
    return this.resolveValue(from, this.raw(from, path), this.value(from, path));
  }

  /** Resolves any configuration value (a policy's `Resource` string, say) in `from`'s context. */
  resolveValue(from: TfInstance, rawValue: unknown, known?: unknown): Resolved {
    const instances: TfInstance[] = [];
    const literals: string[] = [];
    const seen = new Set<TfInstance>();
    for (const text of strings(rawValue)) {
      if (!text.includes('${')) {
        literals.push(text);
        continue;
      }
      for (const ref of this.referencesIn(text, from.resource.module, new Set())) {
        for (const target of this.pick(from, ref)) {
          if (!seen.has(target)) {
            seen.add(target);
            instances.push(target);
          }
        }
      }
    }
    // A plan may know literal ids the configuration computed (`var.x` in a module).
    if (instances.length === 0 && literals.length === 0) for (const text of strings(known)) literals.push(text);
    return { instances, literals };
  }

  /** True when `instance` is among what `path` of `from` refers to. */
  refersTo(from: TfInstance, path: string, instance: TfInstance): boolean {
    return this.resolve(from, path).instances.includes(instance);
  }

  private referencesIn(text: string, module: string, visiting: Set<string>): Reference[] {
    const found: Reference[] = [];
    for (const segment of interpolations(text)) {
      const usesCountIndex = /\bcount\.index\b/.test(segment);
      const usesEachKey = /\beach\.key\b/.test(segment);
      const pattern = /(?<![\w.])(aws_[a-z0-9_]+)\.([A-Za-z_][\w-]*)(?:\[([^\]]*)\])?/g;
      for (const m of segment.matchAll(pattern)) {
        const before = segment.slice(0, m.index);
        if (/data\.$/.test(before)) continue;
        const index = m[3];
        let spec: IndexSpec;
        if (index === undefined) spec = usesCountIndex || usesEachKey ? { kind: 'each' } : { kind: 'all' };
        else if (/^\d+$/.test(index)) spec = { kind: 'index', index: Number(index) };
        else if (/^"[^"]*"$/.test(index)) spec = { kind: 'index', index: index.slice(1, -1) };
        else if (index === '*') spec = usesCountIndex || usesEachKey ? { kind: 'each' } : { kind: 'all' };
        else spec = { kind: 'each' }; // count.index, each.key
        found.push({ target: `${module ? `${module}.` : ''}${m[1]}.${m[2]}`, spec });
      }
      for (const m of segment.matchAll(/(?<![\w.])local\.([A-Za-z_][\w-]*)/g)) {
        const key = `${module}/${m[1]}`;
        if (visiting.has(key)) continue;
        visiting.add(key);
        for (const text2 of strings(this.locals[module]?.[m[1]])) found.push(...this.referencesIn(text2, module, visiting));
      }
    }
    return found;
  }

  private pick(from: TfInstance, ref: Reference): TfInstance[] {
    const target = this.byAddress.get(ref.target);
    if (!target) return [];
    const all = target.instances;
    switch (ref.spec.kind) {
      case 'all':
        return all;
      case 'index':
        return all.filter((i) => i.index === (ref.spec as { index: number | string }).index);
      case 'each': {
        if (from.index === undefined) return all;
        if (typeof from.index === 'string') return all.filter((i) => i.index === from.index);
        if (all.length === 0) return [];
        // element(list, count.index) wraps around; list[count.index] is the same when in range.
        const numbered = all.filter((i) => typeof i.index === 'number');
        return numbered.length > 0 ? [numbered[from.index % numbered.length]] : all;
      }
    }
  }
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
      const resource: TfResource = { type, name, module: '', address: `${type}.${name}`, config, instances };
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
interface PlanConfigModule {
  resources?: PlanConfigResource[];
  module_calls?: Record<string, { module?: PlanConfigModule }>;
}
interface PlanChange {
  address: string;
  module_address?: string;
  mode?: string;
  type: string;
  name: string;
  index?: number | string;
  change: { actions: string[]; after: Record<string, unknown> | null };
}

/** The parts of `terraform show -json` read here. */
export interface PlanInput {
  format_version?: string;
  resource_changes?: PlanChange[];
  configuration?: { root_module?: PlanConfigModule };
}

/** Reads a plan (`terraform show -json <planfile>`), root module and module calls. */
export function graphFromPlan(plan: PlanInput): TerraformGraph {
  const changes = new Map<string, PlanChange[]>();
  for (const c of plan.resource_changes ?? []) {
    if (c.mode && c.mode !== 'managed') continue;
    if (c.change.actions.length === 1 && c.change.actions[0] === 'delete') continue;
    const key = `${c.module_address ? `${c.module_address}.` : ''}${c.type}.${c.name}`;
    changes.set(key, [...(changes.get(key) ?? []), c]);
  }
  const resources: TfResource[] = [];
  const walkModule = (module: PlanConfigModule | undefined, prefix: string) => {
    if (!module) return;
    for (const r of module.resources ?? []) {
      if (r.mode && r.mode !== 'managed') continue;
      const config = expressionsToConfig(r.expressions ?? {}) as Record<string, unknown>;
      const instances: TfInstance[] = [];
      const address = `${prefix ? `${prefix}.` : ''}${r.type}.${r.name}`;
      const resource: TfResource = { type: r.type, name: r.name, module: prefix, address, config, instances };
      for (const c of changes.get(address) ?? []) {
        const fromConfig = evaluateLiteral(config, c.index) as Record<string, unknown>;
        const after = Object.fromEntries(Object.entries(c.change.after ?? {}).filter(([, v]) => v !== null));
        instances.push({ resource, index: c.index, address: c.address, values: { ...fromConfig, ...after } });
      }
      resources.push(resource);
    }
    for (const [name, call] of Object.entries(module.module_calls ?? {})) walkModule(call.module, `${prefix ? `${prefix}.` : ''}module.${name}`);
  };
  walkModule(plan.configuration?.root_module, '');
  return new TerraformGraph('plan', resources);
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
    return refs.length > 0 ? `\${${refs.join(' ')}}` : undefined;
  }
  return Object.fromEntries(Object.entries(e).map(([k, v]) => [k, expressionsToConfig(v)]));
}

function addressWithIndex(address: string, index: number | string | undefined): string {
  if (index === undefined) return address;
  return typeof index === 'number' ? `${address}[${index}]` : `${address}["${index}"]`;
}

/** Reads whichever input this JSON is: a plan has `format_version` and `resource_changes`/`configuration`. */
export function graphFromJson(json: unknown): TerraformGraph {
  const j = json as Record<string, unknown>;
  if (j && typeof j === 'object' && 'format_version' in j && ('configuration' in j || 'resource_changes' in j)) return graphFromPlan(j as PlanInput);
  return graphFromStack(j as StackJson);
}
