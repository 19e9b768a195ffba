/**
 * IAM policy documents as data, and the question every check asks of them: is this action on
 * this table allowed? Three answers: allowed, denied, or unknown (a resource, condition or
 * action that is known only at apply, or a condition key this analysis does not evaluate).
 * Unknown is never read as either of the others.
 *
 * A document comes from whatever the configuration evaluates to: a JSON string (with
 * `${...}` interpolations in a synthesized stack: those are holes, kept as unknowns with their
 * origin), `jsonencode({...})` of values known only at apply (the document is kept), or an
 * `aws_iam_policy_document`'s `json` (analysis/evaluate/derived.ts builds it from its static
 * and `dynamic` statements).
 */
import { isObject, listOf, materialize, Unknown, Value } from './evaluate/values';
import { concatParts } from './evaluate/functions';
import { TerraformGraph, TfInstance } from './terraform-graph';

/** true, false, or not known before apply. */
export type Tri = boolean | 'unknown';

/** One statement, normalized to lists. */
export interface Statement {
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  /** Action patterns known before apply. */
  readonly actions: string[];
  /** `NotAction`: the statement covers every action except these. */
  readonly notActions?: string[];
  /** Resources: strings, or unknowns with their origin (a table's `arn`). */
  readonly resources: Value[];
  readonly notResources?: Value[];
  readonly principal?: Value;
  /** The `Condition` object as written (operator -> key -> values). */
  readonly condition?: Value;
  /** Why part of the statement (its effect or actions) is not known before apply. */
  readonly unknown?: string;
}

/** A parsed policy and the resource it belongs to. */
export interface PolicyDocument {
  readonly owner: TfInstance;
  readonly statements: Statement[];
}

/** A policy that cannot be read before apply, and why. */
export interface UnknownPolicy {
  readonly unknown: string;
  readonly owner: TfInstance;
}

/** A DynamoDB table a function uses: a resource (or data source) here, or a literal name/ARN. */
export interface TableTarget {
  readonly label: string;
  readonly instance?: TfInstance;
  readonly name?: string;
  readonly arn?: string;
  /** One index of the table (`<arn>/index/<index>`) rather than the table itself. */
  readonly index?: string;
}

/** What a request is made from, for conditions (`aws:SourceVpc`, `aws:SourceVpce`, `aws:PrincipalAccount`) and principals. */
export interface RequestContext {
  readonly vpc?: Value;
  readonly endpoint?: Value;
  readonly account?: Value;
  /** The function's role, for an endpoint policy that names it as principal. */
  readonly role?: TfInstance;
}

export function isUnknownPolicy(doc: unknown): doc is UnknownPolicy {
  return typeof doc === 'object' && doc !== null && 'unknown' in doc && typeof (doc as UnknownPolicy).unknown === 'string';
}

/** The document at `path` of `owner`: absent, unknown (with why), or its statements. */
export function parsePolicy(graph: TerraformGraph, owner: TfInstance, path = 'policy'): PolicyDocument | 'absent' | UnknownPolicy {
  const v = graph.argument(owner, path);
  if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) return 'absent';
  return documentFrom(owner, Array.isArray(v) && v.length === 1 ? v[0] : v, `${owner.address}.${path}`);
}

/** A document from a value: a JSON string, a template with holes, or a `jsonencode` of unknowns. */
export function documentFrom(owner: TfInstance, v: Value, where: string): PolicyDocument | UnknownPolicy {
  let doc: Value | undefined;
  if (typeof v === 'string') {
    try {
      doc = JSON.parse(v) as Value;
    } catch {
      return { owner, unknown: `${where} is not JSON` };
    }
  } else if (v instanceof Unknown && v.json !== undefined) doc = v.json as Value;
  else if (v instanceof Unknown && v.parts) doc = jsonWithHoles(v.parts);
  else if (isObject(v)) doc = v; // a managed policy's document
  if (doc === undefined) return { owner, unknown: v instanceof Unknown ? `${where}: ${v.reason}` : `${where} is not a policy document` };
  return { owner, statements: statementsOf(doc) };
}

/** JSON text whose interpolations are known only at apply: parsed with each hole kept as its unknown. */
function jsonWithHoles(parts: ReadonlyArray<string | Unknown>): Value | undefined {
  const holes: Unknown[] = [];
  const text = parts.map((p) => (typeof p === 'string' ? p : `\uE000${holes.push(p) - 1}\uE000`)).join('');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const restore = (x: unknown): Value => {
    if (typeof x === 'string') {
      if (!x.includes('\uE000')) return x;
      const pieces = x.split('\uE000').map((piece, i) => (i % 2 === 1 ? holes[Number(piece)] : piece));
      return concatParts(pieces);
    }
    if (Array.isArray(x)) return x.map(restore);
    if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, y]) => [k, restore(y)]));
    return x as Value;
  };
  return restore(parsed);
}


function statementsOf(doc: Value): Statement[] {
  const d = materialize(doc);
  if (!isObject(d)) return [{ effect: 'Allow', actions: [], resources: [], unknown: 'the document is not an object' }];
  return listOf(d.Statement).map((raw) => {
    if (!isObject(raw)) return { effect: 'Allow', actions: [], resources: [], unknown: raw instanceof Unknown ? raw.reason : 'a statement is not an object' };
    const unknowns: string[] = [];
    const names = (v: Value | undefined): string[] => {
      const out: string[] = [];
      for (const x of listOf(v)) {
        if (typeof x === 'string') out.push(x);
        else unknowns.push(x instanceof Unknown ? x.reason : 'an action is not a string');
      }
      return out;
    };
    const effect = raw.Effect;
    if (effect instanceof Unknown) unknowns.push(effect.reason);
    const s: Statement = {
      sid: typeof raw.Sid === 'string' ? raw.Sid : undefined,
      effect: effect === 'Deny' ? 'Deny' : 'Allow',
      actions: names(raw.Action),
      ...(raw.NotAction === undefined ? {} : { notActions: names(raw.NotAction) }),
      resources: raw.Resource === undefined && raw.NotResource === undefined ? [] : listOf(raw.Resource),
      ...(raw.NotResource === undefined ? {} : { notResources: listOf(raw.NotResource) }),
      ...(raw.Principal === undefined ? {} : { principal: raw.Principal }),
      ...(raw.Condition === undefined ? {} : { condition: raw.Condition }),
    };
    return unknowns.length > 0 ? { ...s, unknown: unknowns.join('; ') } : s;
  });
}

/** IAM-style wildcard match (`*`, `?`), case-insensitive as IAM compares actions. */
export function globMatch(pattern: string, value: string, caseInsensitive = true): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, caseInsensitive ? 'i' : '');
  return re.test(value);
}

const or = (a: Tri, b: Tri): Tri => (a === true || b === true ? true : a === 'unknown' || b === 'unknown' ? 'unknown' : false);
const and = (a: Tri, b: Tri): Tri => (a === false || b === false ? false : a === 'unknown' || b === 'unknown' ? 'unknown' : true);
const not = (a: Tri): Tri => (a === 'unknown' ? 'unknown' : !a);
const any = (items: Tri[]): Tri => items.reduce<Tri>(or, false);

function coversAction(s: Statement, action: string): Tri {
  if (s.notActions) return s.notActions.some((p) => globMatch(p, action)) ? false : s.unknown ? 'unknown' : true;
  if (s.actions.some((p) => globMatch(p, action))) return true;
  return s.unknown ? 'unknown' : false;
}

/**
 * Does a `Resource` entry cover the table itself (not only its indexes)? A resource that is
 * the table's own `arn` (known only at apply) covers it; another table's does not; a value
 * known only at apply from anything else is unknown.
 */
export function coversTable(graph: TerraformGraph, resource: Value, table: TableTarget): Tri {
  if (table.index !== undefined) return coversIndex(graph, resource, table, table.index);
  if (typeof resource === 'string') {
    if (resource === '*') return true;
    if (table.arn) return globMatch(resource, table.arn, false);
    const parts = resource.split(':');
    if (parts.length < 6 || !globMatch(parts[2], 'dynamodb')) return false;
    const tail = parts.slice(5).join(':');
    if (table.name) return globMatch(tail, `table/${table.name}`, false);
    return /^table\/\*$/.test(tail) || tail === '*' ? true : 'unknown';
  }
  if (!(resource instanceof Unknown)) return false;
  if (resource.exact && resource.origins.length === 1) return isTableArn(graph, resource.origins[0], table);
  if (resource.parts) {
    const [head, ...rest] = resource.parts;
    const tail = rest.map((p) => (typeof p === 'string' ? p : '\u0002')).join('');
    // `${table.arn}` followed by a suffix: `/index/*` covers only the indexes, `*` the table too.
    if (head instanceof Unknown && head.exact && head.origins.length === 1 && !tail.includes('\u0002')) {
      const same = isTableArn(graph, head.origins[0], table);
      if (same === false) return false;
      return tail === '' || tail === '*' ? same : false;
    }
    // A literal ARN with unknown region or account: unknown parts match anything.
    const pattern = resource.parts.map((p) => (typeof p === 'string' ? p : '*')).join('');
    const wildcard = coversTable(graph, pattern, table);
    if (wildcard === false) return false;
    const known = resource.parts[resource.parts.length - 1];
    if (typeof known === 'string' && table.name && new RegExp(`:table/${table.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`).test(known)) return true;
    return 'unknown';
  }
  return 'unknown';
}

/**
 * Does a `Resource` entry cover one index of the table (`<arn>/index/<index>`)? The table's
 * ARN alone does not; `<arn>/index/*`, `<arn>/index/<index>`, `<arn>*` and `*` do; a part known
 * only at apply makes it unknown unless the known parts already rule it out.
 */
function coversIndex(graph: TerraformGraph, resource: Value, table: TableTarget, index: string): Tri {
  const suffix = `/index/${index}`;
  if (typeof resource === 'string') {
    if (resource === '*') return true;
    if (table.arn) return globMatch(resource, `${table.arn}${suffix}`, false);
    const parts = resource.split(':');
    if (parts.length < 6 || !globMatch(parts[2], 'dynamodb')) return false;
    const tail = parts.slice(5).join(':');
    if (table.name) return globMatch(tail, `table/${table.name}${suffix}`, false);
    return /^table\/\*$/.test(tail) || tail === '*' ? true : 'unknown';
  }
  if (!(resource instanceof Unknown)) return false;
  // The table's own ARN names the table, not its indexes.
  if (resource.exact && resource.origins.length === 1) return isTableArn(graph, resource.origins[0], table) === 'unknown' ? 'unknown' : false;
  if (resource.parts) {
    const [head, ...rest] = resource.parts;
    const tail = rest.map((p) => (typeof p === 'string' ? p : '\u0002')).join('');
    if (head instanceof Unknown && head.exact && head.origins.length === 1) {
      const same = isTableArn(graph, head.origins[0], table);
      if (same === false || !globMatch(tail.replace(/\u0002/g, '*'), suffix, false)) return false;
      return tail.includes('\u0002') ? 'unknown' : same;
    }
    const pattern = resource.parts.map((p) => (typeof p === 'string' ? p : '*')).join('');
    if (coversIndex(graph, pattern, table, index) === false) return false;
    const known = resource.parts[resource.parts.length - 1];
    if (typeof known === 'string' && table.name && known.endsWith(`:table/${table.name}${suffix}`)) return true;
    return 'unknown';
  }
  return 'unknown';
}

/**
 * The index a `Resource` entry names exactly on this table (`<arn>/index/<name>`, no wildcard),
 * or undefined: the indexes a role is granted one by one.
 */
export function indexNamed(graph: TerraformGraph, resource: Value, table: TableTarget): string | undefined {
  const name = (tail: string) => /^\/index\/([A-Za-z0-9_.-]+)$/.exec(tail)?.[1];
  if (typeof resource === 'string') {
    if (table.arn && resource.startsWith(`${table.arn}/index/`)) return name(resource.slice(table.arn.length));
    const m = /:table\/([^/]+)(\/index\/.*)$/.exec(resource);
    return m && table.name && m[1] === table.name ? name(m[2]) : undefined;
  }
  if (!(resource instanceof Unknown) || !resource.parts) return undefined;
  const [head, ...rest] = resource.parts;
  if (!(head instanceof Unknown) || !head.exact || head.origins.length !== 1 || rest.some((p) => typeof p !== 'string')) return undefined;
  return isTableArn(graph, head.origins[0], table) === true ? name(rest.join('')) : undefined;
}

/** Is this origin the table's ARN? */
function isTableArn(graph: TerraformGraph, origin: { address: string; attribute: string }, table: TableTarget): Tri {
  if (origin.attribute !== 'arn') return 'unknown';
  if (table.instance && origin.address === table.instance.address) return true;
  const other = graph.instance(origin.address);
  if (!other || other.resource.type !== 'aws_dynamodb_table') return 'unknown';
  // Another table: its name tells whether it is the same table (a data source of it) or not.
  const name = graph.value(other, 'name');
  if (typeof name === 'string' && table.name) return name === table.name;
  return table.instance && other.resource.mode === 'managed' && table.instance.resource.mode === 'managed' ? false : 'unknown';
}

/** Whether a principal covers the function's role (endpoint policies name `*` or a role). */
function principalCovers(graph: TerraformGraph, principal: Value | undefined, ctx: RequestContext): Tri {
  if (principal === undefined || principal === '*') return true;
  if (principal instanceof Unknown) return 'unknown';
  if (!isObject(principal)) return false;
  const ids = listOf(principal.AWS);
  let result: Tri = false;
  for (const id of ids) {
    if (id === '*') return true;
    // An account (`123456789012` or its `:root` ARN) covers every principal of that account.
    const account = typeof id === 'string' ? /^(?:arn:aws[\w-]*:iam::(\d{12}):root|(\d{12}))$/.exec(id) : null;
    if (account) {
      const same = equalValues(ctx.account, account[1] ?? account[2], false);
      if (same === true) return true;
      if (same === 'unknown') result = 'unknown';
      continue;
    }
    if (ctx.role && id instanceof Unknown && id.exact && id.origins.some((o) => o.address === ctx.role!.address)) return true;
    if (ctx.role && typeof id === 'string' && graph.identify(id).includes(ctx.role)) return true;
    if (id instanceof Unknown) result = 'unknown';
  }
  return result;
}

const CONDITION_KEYS: Record<string, keyof RequestContext> = { 'aws:sourcevpc': 'vpc', 'aws:sourcevpce': 'endpoint', 'aws:principalaccount': 'account' };

/** Two values equal? Unknowns are equal to themselves (same origin), and unknown otherwise. */
function equalValues(a: Value | undefined, b: Value, like: boolean): Tri {
  if (typeof a === 'string' && typeof b === 'string') return like ? globMatch(b, a, false) : a === b;
  // A resource created by this plan gets a fresh id: never one written as a literal.
  if (!like && typeof b === 'string' && createdId(a)) return false;
  if (!like && typeof a === 'string' && createdId(b)) return false;
  if (a instanceof Unknown && b instanceof Unknown && a.exact && b.exact && a.origins.length === 1 && b.origins.length === 1) {
    const [x, y] = [a.origins[0], b.origins[0]];
    if (x.address === y.address && x.attribute === y.attribute) return true;
    // Two resources of one type created here get distinct ids.
    if (x.attribute === 'id' && y.attribute === 'id' && x.address !== y.address && x.address.replace(/\[.*$/, '').split('.').slice(-2, -1)[0] === y.address.replace(/\[.*$/, '').split('.').slice(-2, -1)[0]) return false;
  }
  return 'unknown';
}

/** The id of a managed resource known only after apply: one this plan creates. */
function createdId(v: Value | undefined): boolean {
  return v instanceof Unknown && v.exact && v.origins.length === 1 && v.origins[0].attribute === 'id' && !/(^|\.)data\./.test(v.origins[0].address);
}

/** A statement's `Condition` for this request: true when every operator and key holds. */
function conditionHolds(condition: Value | undefined, ctx: RequestContext): Tri {
  if (condition === undefined || condition === null) return true;
  if (!isObject(condition)) return 'unknown';
  let result: Tri = true;
  for (const [operator, keys] of Object.entries(condition)) {
    const op = operator.replace(/IfExists$/, '');
    const negated = /^String(Not)(Equals|Like)$/.test(op);
    const like = /Like$/.test(op);
    if (!/^String(Not)?(Equals|Like)$/.test(op) || !isObject(keys)) return 'unknown';
    for (const [key, values] of Object.entries(keys)) {
      const field = CONDITION_KEYS[key.toLowerCase()];
      if (!field) return 'unknown';
      const actual = ctx[field] as Value | undefined;
      if (actual === undefined) return 'unknown';
      const matches = any(listOf(values).map((v) => equalValues(actual, v, like)));
      result = and(result, negated ? not(matches) : matches);
      if (result === false) return false;
    }
  }
  return result;
}

/** The answer for one action on one table: allowed, denied, or unknown with why. */
export interface Decision {
  readonly allowed: Tri;
  /** The Deny statement that blocks it, when one does. */
  readonly deniedBy?: Statement;
  /** Why the answer is unknown. */
  readonly unknown: string[];
}

function describeStatement(doc: PolicyDocument, s: Statement): string {
  return `${doc.owner.address}${s.sid ? ` (${s.sid})` : ''}`;
}

/**
 * Evaluates documents the way IAM does for one principal: an explicit Deny wins, else some
 * Allow must cover the action, the table and its conditions. `forEndpoint` also requires the
 * statement's principal to cover the function's role (a gateway endpoint policy).
 */
export function decide(graph: TerraformGraph, documents: PolicyDocument[], action: string, table: TableTarget, ctx: RequestContext = {}, forEndpoint = false): Decision {
  let allowed: Tri = false;
  const allowUnknown: string[] = [];
  const denyUnknown: string[] = [];
  for (const doc of documents) {
    for (const s of doc.statements) {
      const a = coversAction(s, action);
      if (a === false) continue;
      let r: Tri = any(s.resources.map((x) => coversTable(graph, x, table)));
      if (s.notResources) r = not(any(s.notResources.map((x) => coversTable(graph, x, table))));
      if (r === false) continue;
      const p = forEndpoint ? principalCovers(graph, s.principal, ctx) : true;
      const c = conditionHolds(s.condition, ctx);
      const m = and(and(a, r), and(p, c));
      if (m === false) continue;
      const why = () => {
        const parts: string[] = [];
        if (a === 'unknown') parts.push(`its actions (${s.unknown ?? 'unknown'})`);
        if (r === 'unknown') parts.push(`its resource (${s.resources.filter((x) => x instanceof Unknown).map((x) => (x as Unknown).reason).join(', ') || 'a pattern that may cover the table'})`);
        if (p === 'unknown') parts.push('its principal');
        if (c === 'unknown') parts.push(`its condition ${JSON.stringify(materialize(s.condition ?? null), (_k, v) => (v instanceof Unknown ? '(unknown)' : v))}`);
        return `${s.effect} in ${describeStatement(doc, s)}: ${parts.join(', ')} not known before apply`;
      };
      if (s.effect === 'Deny') {
        if (m === true) return { allowed: false, deniedBy: s, unknown: [] };
        denyUnknown.push(why());
      } else {
        allowed = or(allowed, m);
        if (m === 'unknown') allowUnknown.push(why());
      }
    }
  }
  if (allowed === false) return { allowed: false, unknown: [] };
  if (denyUnknown.length > 0) return { allowed: 'unknown', unknown: denyUnknown };
  return allowed === true ? { allowed: true, unknown: [] } : { allowed: 'unknown', unknown: allowUnknown };
}

/** DynamoDB actions a document allows (or may allow) on the table: named actions as written, else the wildcards that grant. */
export function dynamoActionsOn(graph: TerraformGraph, documents: PolicyDocument[], table: TableTarget): string[] {
  const named = new Set<string>();
  const wild = new Set<string>();
  for (const doc of documents) {
    for (const s of doc.statements) {
      if (s.effect !== 'Allow' || s.notActions) continue;
      if (!s.resources.some((r) => coversTable(graph, r, table) !== false)) continue;
      for (const a of s.actions) {
        if (/^dynamodb:/i.test(a) && !a.includes('*') && !a.includes('?')) named.add(a);
        else if (a === '*' || /^dynamodb:/i.test(a)) wild.add(a);
      }
    }
  }
  return named.size > 0 ? [...named] : [...wild];
}

/** Allow statements whose actions are wildcards over data (`*`, `dynamodb:*`, `dynamodb:Put*`). */
export function wildcardDataActions(doc: PolicyDocument): string[] {
  const out: string[] = [];
  for (const s of doc.statements) {
    if (s.effect !== 'Allow') continue;
    if (s.notActions) {
      out.push(`NotAction ${s.notActions.join(',')}`);
      continue;
    }
    for (const a of s.actions) if (a === '*' || (/^dynamodb:/i.test(a) && a.includes('*'))) out.push(a);
  }
  return out;
}
