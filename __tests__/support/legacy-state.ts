import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PlanJson, PlannedModule, terraform, TerraformRun, TerraformToolchain } from '../../scripts/terraform-offline';

/**
 * A Terraform state (format 4) written from a plan, as if that plan had been applied: what an
 * upgrade test needs to plan a new module version against the resources an old one made,
 * offline. Known planned values are copied as they are; what only apply would know (ids,
 * ARNs, values read from other resources) is filled in, then settled by planning the old
 * configuration against the state until it has nothing to change (see {@link settleState}).
 */
export interface StateV4 {
  readonly version: 4;
  readonly terraform_version: string;
  serial: number;
  readonly lineage: string;
  readonly outputs: Record<string, never>;
  resources: StateResource[];
  readonly check_results: null;
}

/** One resource (all its instances) in a state file. */
export interface StateResource {
  readonly module?: string;
  readonly mode: 'managed';
  readonly type: string;
  readonly name: string;
  readonly each?: 'list' | 'map';
  readonly provider: string;
  instances: StateInstance[];
}

/** One instance of a resource in a state file. */
export interface StateInstance {
  readonly index_key?: number | string;
  readonly schema_version: number;
  attributes: Record<string, unknown>;
  /** Paths of the values the provider's schema marks sensitive (`password`), as Terraform records them. */
  readonly sensitive_attributes: SensitivePath[];
}

/** One step of a path in `sensitive_attributes`. */
export type SensitivePath = Array<{ type: 'get_attr'; value: string } | { type: 'index'; value: { value: number; type: 'number' } }>;

/** The fake account every filled ARN names (the offline provider requests none). */
export const FAKE_ACCOUNT = '123456789012';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type PlannedResource = NonNullable<PlannedModule['resources']>[number] & {
  mode?: string;
  name?: string;
  index?: number | string;
  provider_name?: string;
  schema_version?: number;
  sensitive_values?: Json;
};

function plannedResources(module: PlannedModule | undefined): PlannedResource[] {
  if (!module) return [];
  return [...((module.resources ?? []) as PlannedResource[]), ...(module.child_modules ?? []).flatMap(plannedResources)];
}

/** `module.a.aws_vpc.x[0]` → `module.a` (undefined in the root module). */
function moduleOf(address: string, type: string): string | undefined {
  const at = address.lastIndexOf(`${type}.`);
  const prefix = address.slice(0, at).replace(/\.$/, '');
  return prefix || undefined;
}

const short = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 17);

/** What AWS would have called a resource: its id and ARN, from its type and planned values. */
function identity(type: string, address: string, values: Record<string, Json>, region: string): { id: string; arn: string } {
  const name = typeof values.name === 'string' ? values.name : undefined;
  const hash = short(address);
  const arn = (service: string, resource: string, regional = true) => `arn:aws:${service}:${regional ? region : ''}:${FAKE_ACCOUNT}:${resource}`;
  switch (type) {
    case 'aws_iam_role':
      return { id: name!, arn: arn('iam', `role/${name}`, false) };
    case 'aws_iam_role_policy':
      return { id: `${String(values.role)}:${name}`, arn: '' };
    case 'aws_dynamodb_table':
      return { id: name!, arn: arn('dynamodb', `table/${name}`) };
    case 'aws_cloudwatch_log_group':
      return { id: name!, arn: arn('logs', `log-group:${name}`) };
    case 'aws_lambda_function':
      return { id: String(values.function_name), arn: arn('lambda', `function:${String(values.function_name)}`) };
    case 'aws_db_subnet_group':
      return { id: name!, arn: arn('rds', `subgrp:${name}`) };
    case 'aws_db_instance':
      return { id: `db-${hash.toUpperCase()}`, arn: arn('rds', `db:${String(values.identifier)}`) };
    case 'aws_sqs_queue':
      return { id: `https://sqs.${region}.amazonaws.com/${FAKE_ACCOUNT}/${name}`, arn: arn('sqs', String(name)) };
  }
  const prefixes: Record<string, string> = {
    aws_vpc: 'vpc',
    aws_subnet: 'subnet',
    aws_route_table: 'rtb',
    aws_route_table_association: 'rtbassoc',
    aws_internet_gateway: 'igw',
    aws_eip: 'eipalloc',
    aws_nat_gateway: 'nat',
    aws_route: 'r',
    aws_security_group: 'sg',
    aws_default_security_group: 'sg',
    aws_vpc_endpoint: 'vpce',
    aws_flow_log: 'fl',
    aws_vpc_security_group_egress_rule: 'sgr',
    aws_vpc_security_group_ingress_rule: 'sgr',
  };
  const id = `${prefixes[type] ?? type.replace(/^aws_/, '').replace(/_/g, '-')}-${hash}`;
  const ec2 = new Set(Object.keys(prefixes));
  return { id, arn: ec2.has(type) ? arn('ec2', `${id.split('-')[0]}/${id}`) : arn(type.split('_')[1] ?? 'aws', id) };
}

/** Values apply would have written that the plan could not know, beyond id and ARN. */
function computedByType(type: string, id: string, values: Record<string, Json>, region: string): Record<string, Json> {
  switch (type) {
    case 'aws_vpc_endpoint':
      return { prefix_list_id: `pl-${short(id).slice(0, 8)}` };
    case 'aws_eip':
      return { allocation_id: id, public_ip: '198.51.100.10', domain: 'vpc' };
    case 'aws_db_instance': {
      const address = `${String(values.identifier)}.${short(id).slice(0, 12)}.${region}.rds.amazonaws.com`;
      return { resource_id: id, address, endpoint: `${address}:5432`, port: 5432 };
    }
  }
  return {};
}

/** terraform_data's `input`/`output` are dynamic: stored as `{ value, type }` with the type spelled as cty JSON. */
function ctyType(value: Json): Json {
  if (value === null) return 'dynamic';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return ['tuple', value.map(ctyType)];
  return ['object', Object.fromEntries(Object.entries(value).map(([k, v]) => [k, ctyType(v)]))];
}

const DYNAMIC_ATTRIBUTES: Record<string, readonly string[]> = { terraform_data: ['input', 'output', 'triggers_replace'] };

/** The state file's JSON for one instance's attributes: dynamic values wrapped as Terraform stores them. */
function stored(type: string, attributes: Record<string, Json>): Record<string, unknown> {
  const dynamic = DYNAMIC_ATTRIBUTES[type] ?? [];
  return Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, dynamic.includes(k) && v !== null && v !== undefined ? { value: v, type: ctyType(v) } : v]));
}

/**
 * `sensitive_values` of a planned resource (true where sensitive) as state paths: without
 * them, a plan against the state sees the sensitivity of `password` change and updates.
 */
function sensitivePaths(marks: Json, path: SensitivePath = []): SensitivePath[] {
  if (marks === true) return [path];
  if (Array.isArray(marks)) return marks.flatMap((m, i) => sensitivePaths(m, [...path, { type: 'index', value: { value: i, type: 'number' } }]));
  if (marks && typeof marks === 'object') return Object.entries(marks).flatMap(([k, m]) => sensitivePaths(m, [...path, { type: 'get_attr', value: k }]));
  return [];
}

/** Known values from a plan's `after` laid over what the state holds: absent keys (unknown at plan) keep the state's. */
function overlay(held: Json | undefined, after: Json | undefined): Json {
  if (after === undefined) return held ?? null;
  if (Array.isArray(after) && Array.isArray(held) && after.length === held.length) return after.map((v, i) => overlay(held[i], v));
  if (after && typeof after === 'object' && !Array.isArray(after) && held && typeof held === 'object' && !Array.isArray(held)) {
    const merged: Record<string, Json> = { ...held };
    for (const [k, v] of Object.entries(after)) merged[k] = overlay(held[k], v);
    return merged;
  }
  return after;
}

/** Per-instance attributes of the state being built, by resource address. */
type Held = Map<string, { resource: PlannedResource; attributes: Record<string, Json> }>;

function fillIdentity(held: Held, region: string): void {
  for (const [address, entry] of held) {
    const { resource, attributes } = entry;
    const { id, arn } = identity(resource.type, address, attributes, region);
    // The id only when the plan did not know it; an ARN only where the type has one.
    if (attributes.id === undefined || attributes.id === null || resource.type === 'aws_iam_role_policy') attributes.id = id;
    if ((attributes.arn === undefined || attributes.arn === null) && arn) attributes.arn = arn;
    for (const [k, v] of Object.entries(computedByType(resource.type, String(attributes.id), attributes, region))) if (attributes[k] === undefined || attributes[k] === null) attributes[k] = v;
    if (resource.type === 'terraform_data') attributes.output = attributes.input ?? null;
  }
}

/** The state as written to disk. */
function toState(held: Held, terraformVersion: string, serial: number, lineage: string): StateV4 {
  const byResource = new Map<string, StateResource>();
  for (const [address, { resource, attributes }] of held) {
    const module = moduleOf(address, resource.type);
    const key = `${module ?? ''}|${resource.type}.${resource.name}`;
    let entry = byResource.get(key);
    if (!entry) {
      entry = {
        ...(module ? { module } : {}),
        mode: 'managed',
        type: resource.type,
        name: resource.name!,
        ...(resource.index === undefined ? {} : { each: typeof resource.index === 'number' ? ('list' as const) : ('map' as const) }),
        provider: `provider["${resource.provider_name}"]`,
        instances: [],
      };
      byResource.set(key, entry);
    }
    entry.instances.push({
      ...(resource.index === undefined ? {} : { index_key: resource.index }),
      schema_version: resource.schema_version ?? 0,
      attributes: stored(resource.type, attributes),
      sensitive_attributes: sensitivePaths(resource.sensitive_values ?? {}),
    });
  }
  return { version: 4, terraform_version: terraformVersion, serial, lineage, outputs: {}, resources: [...byResource.values()], check_results: null };
}

interface ConfiguredModule {
  resources?: Array<{ address: string; expressions?: Record<string, unknown> }>;
  module_calls?: Record<string, { module?: ConfiguredModule }>;
}

/** The attributes each resource's configuration sets, by module path and resource address (`module.a|aws_vpc.x`). */
function configuredAttributes(module: ConfiguredModule | undefined, path = ''): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  if (!module) return found;
  for (const resource of module.resources ?? []) found.set(`${path}|${resource.address}`, new Set(Object.keys(resource.expressions ?? {})));
  for (const [name, call] of Object.entries(module.module_calls ?? {})) {
    for (const [k, v] of configuredAttributes(call.module, `${path ? `${path}.` : ''}module.${name}`)) found.set(k, v);
  }
  return found;
}

/**
 * A stand-in for a value the configuration sets from another resource that does not exist
 * yet (`vpc_id = aws_vpc.this.id`): typed by the attribute's name, ids and ARNs as strings and
 * id lists as empty lists, so the provider can plan against it; the first settling round
 * replaces it with the real reference. Anything else stays null.
 */
function pending(attribute: string): Json | undefined {
  if (/(^|_)ids$/.test(attribute)) return [];
  if (/(^|_)(id|arn)$/.test(attribute)) return 'pending';
  return undefined;
}

/** The managed resources a plan would create, with what apply would have filled in. */
function stateFromPlan(plan: PlanJson, region: string): { state: StateV4; held: Held } {
  const held: Held = new Map();
  const configured = configuredAttributes((plan.configuration as { root_module?: ConfiguredModule } | undefined)?.root_module);
  const unknownOf = new Map((plan.resource_changes ?? []).map((c) => [c.address, c.change.after_unknown ?? {}]));
  for (const resource of plannedResources(plan.planned_values?.root_module)) {
    if ((resource.mode ?? 'managed') !== 'managed') continue;
    const attributes = JSON.parse(JSON.stringify(resource.values)) as Record<string, Json>;
    const module = moduleOf(resource.address, resource.type) ?? '';
    const sets = configured.get(`${module.replace(/\[[^\]]*\]/g, '')}|${resource.type}.${resource.name}`) ?? new Set<string>();
    for (const [attribute, unknown] of Object.entries(unknownOf.get(resource.address) ?? {})) {
      const standIn = pending(attribute);
      if (unknown === true && sets.has(attribute) && standIn !== undefined) attributes[attribute] = standIn;
    }
    held.set(resource.address, { resource, attributes });
  }
  fillIdentity(held, region);
  const version = (plan as { terraform_version?: string }).terraform_version ?? '1.11.0';
  return { state: toState(held, version, 1, `${short(JSON.stringify([...held.keys()])).slice(0, 8)}-0000-4000-8000-000000000000`), held };
}

/**
 * Writes `terraform.tfstate` into `dir` (an initialized root holding the old configuration)
 * from `plan`, then plans the same configuration against it without refreshing and lays the
 * plan's newly known values (each resource's references to the ids now in the state) over
 * the state, until the old configuration plans no change at all: the state then is what
 * applying that configuration would have left, up to the fake ids (ARNs in `region`, account
 * {@link FAKE_ACCOUNT}). Fails, naming what still changes, when that does not happen within
 * `rounds` plans (three suffice for the module: references, then computed collections).
 */
export function settleState(tool: TerraformToolchain, dir: string, plan: PlanJson, options: { region?: string; rounds?: number } = {}): StateV4 {
  const region = options.region ?? 'us-east-1';
  const rounds = options.rounds ?? 6;
  const { state, held } = stateFromPlan(plan, region);
  let current = state;
  for (let round = 1; round <= rounds; round++) {
    writeFileSync(join(dir, 'terraform.tfstate'), JSON.stringify(current, null, 2));
    const run = planWithoutRefresh(tool, dir);
    if (!run.ok) throw new Error(`plan of the old configuration against its state (round ${round}) failed:\n${run.stdout}\n${run.stderr}`);
    const changing = (run.plan!.resource_changes ?? []).filter((c) => c.change.actions.join(',') !== 'no-op');
    if (changing.length === 0) return current;
    if (round === rounds) throw new Error(`the old configuration still plans changes against its state after ${rounds} rounds: ${changing.map((c) => `${c.address} ${c.change.actions.join(',')}`).join('; ')}`);
    for (const change of changing) {
      const entry = held.get(change.address);
      if (!entry || !change.change.after) continue;
      entry.attributes = overlay(entry.attributes, change.change.after as Json) as Record<string, Json>;
      // Still unknown though nothing it depends on is: a computed collection the provider
      // plans as unknown while the state holds null (`egress`, `managed_policy_arns`); apply
      // leaves an empty one. A string here would fail the next plan's decoding, loudly.
      for (const [attribute, unknown] of Object.entries(change.change.after_unknown ?? {})) {
        if (unknown === true && (entry.attributes[attribute] ?? null) === null && change.change.actions.join(',') === 'update') entry.attributes[attribute] = [];
      }
    }
    fillIdentity(held, region);
    current = toState(held, current.terraform_version, current.serial + 1, current.lineage);
  }
  return current;
}

/**
 * `terraform plan -refresh=false`, then the plan as JSON: the state's fake ids are never sent
 * to AWS (a refresh would read every resource with the offline provider's dummy keys).
 */
export function planWithoutRefresh(tool: TerraformToolchain, dir: string): TerraformRun & { plan?: PlanJson } {
  const planFile = `plan-${process.pid}-${Date.now()}.bin`;
  const plan = terraform(tool, dir, ['plan', '-input=false', '-lock=false', '-refresh=false', `-out=${planFile}`]);
  if (!plan.ok) return plan;
  const shown = terraform(tool, dir, ['show', '-json', planFile]);
  if (!shown.ok) return shown;
  return { ...plan, plan: JSON.parse(shown.stdout) as PlanJson };
}
