/**
 * IAM policy documents as written in the configuration (JSON strings whose ARNs may be
 * `${aws_dynamodb_table.x[0].arn}` interpolations), and the question every check asks of
 * them: is this action on this table allowed?
 */
import { TerraformGraph, TfInstance } from './terraform-graph';

/** One statement, normalized to lists. */
export interface Statement {
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly actions: string[];
  /** `NotAction`: the statement covers every action except these. */
  readonly notActions?: string[];
  readonly resources: string[];
  readonly principal?: unknown;
  readonly hasCondition: boolean;
}

/** A parsed policy and the resource it belongs to (its references resolve in that context). */
export interface PolicyDocument {
  readonly owner: TfInstance;
  readonly statements: Statement[];
}

/** A DynamoDB table a function uses: a resource here, or a literal name/ARN. */
export interface TableTarget {
  readonly label: string;
  readonly instance?: TfInstance;
  readonly name?: string;
  readonly arn?: string;
}

/** `unknown` when the document is computed at apply (a `jsonencode` of unknowns, a conditional). */
export function parsePolicy(graph: TerraformGraph, owner: TfInstance, path = 'policy'): PolicyDocument | 'absent' | 'unknown' {
  const raw = graph.raw(owner, path);
  const known = graph.value(owner, path);
  const text = typeof raw === 'string' && raw.trimStart().startsWith('{') ? raw : typeof known === 'string' ? known : typeof raw === 'string' ? raw : undefined;
  if (raw === undefined && known === undefined) return graph.isUnknown(owner, path) ? 'unknown' : 'absent';
  if (raw !== undefined && typeof raw === 'object') return normalize(owner, raw);
  if (text !== undefined && text.trimStart().startsWith('{')) {
    try {
      return normalize(owner, JSON.parse(text));
    } catch {
      return 'unknown';
    }
  }
  // `data.aws_iam_policy_document.x.json` (through variables and module calls): its statements.
  const documents = graph.resolve(owner, path).instances.filter((i) => i.resource.type === 'aws_iam_policy_document' && i.resource.mode === 'data');
  if (documents.length === 1) return fromPolicyDocument(graph, documents[0]);
  return 'unknown';
}

/**
 * A `data "aws_iam_policy_document"`: its `json` when the plan knows it, else its statement
 * blocks, each value as planned or, where computed at apply (a table's ARN), as the
 * configuration's references (`${aws_dynamodb_table.x.arn}`), which {@link coversTable} follows.
 */
export function fromPolicyDocument(graph: TerraformGraph, doc: TfInstance): PolicyDocument | 'unknown' {
  const json = graph.value(doc, 'json');
  if (typeof json === 'string' && json.trimStart().startsWith('{')) {
    try {
      return normalize(doc, JSON.parse(json));
    } catch {
      return 'unknown';
    }
  }
  if (graph.raw(doc, 'source_policy_documents') !== undefined || graph.raw(doc, 'override_policy_documents') !== undefined) return 'unknown';
  const planned = (doc.values.statement as Array<Record<string, unknown>> | undefined) ?? [];
  const configured = (doc.resource.config.statement as Array<Record<string, unknown>> | Record<string, unknown> | undefined) ?? [];
  const blocks = Array.isArray(configured) ? configured : [configured];
  const unknown = (doc.unknown as { statement?: Array<Record<string, unknown>> } | undefined)?.statement ?? [];
  const count = Math.max(planned.length, blocks.length);
  const statements: Statement[] = [];
  for (let i = 0; i < count; i++) {
    const p = planned[i] ?? {};
    const c = blocks[i] ?? blocks[0] ?? {};
    const u = unknown[i] ?? {};
    const pick = (key: string): unknown => (anyTrue(u[key]) || p[key] === undefined || p[key] === null ? c[key] : p[key]);
    const principals = (pick('principals') as Array<{ type?: string; identifiers?: unknown }> | undefined) ?? [];
    let principal: unknown;
    if (principals.length > 0) {
      principal = {};
      for (const pr of principals) {
        const ids = list(pr.identifiers);
        if (pr.type === '*' && ids.includes('*')) principal = '*';
        else if (typeof principal === 'object') (principal as Record<string, string[]>)[pr.type ?? 'AWS'] = ids;
      }
    }
    const notActions = pick('not_actions');
    const resources = pick('resources');
    statements.push({
      sid: typeof pick('sid') === 'string' ? (pick('sid') as string) : undefined,
      effect: pick('effect') === 'Deny' ? 'Deny' : 'Allow',
      actions: list(pick('actions')).flatMap(splitRefs),
      notActions: notActions === undefined || (Array.isArray(notActions) && notActions.length === 0) ? undefined : list(notActions),
      resources: resources === undefined && pick('not_resources') !== undefined ? ['*'] : list(resources),
      principal,
      hasCondition: Array.isArray(pick('condition')) ? (pick('condition') as unknown[]).length > 0 : pick('condition') !== undefined,
    });
  }
  return { owner: doc, statements };
}

function anyTrue(value: unknown): boolean {
  if (value === true) return true;
  if (Array.isArray(value)) return value.some(anyTrue);
  if (value && typeof value === 'object') return Object.values(value).some(anyTrue);
  return false;
}

/** An action list written as one expression (`${var.actions}`) is kept as it is: it matches no action. */
function splitRefs(action: string): string[] {
  return [action];
}

function list(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

function normalize(owner: TfInstance, doc: unknown): PolicyDocument {
  const d = doc as { Statement?: unknown };
  const raw = d.Statement === undefined ? [] : Array.isArray(d.Statement) ? d.Statement : [d.Statement];
  const statements = (raw as Array<Record<string, unknown>>).map((s) => ({
    sid: typeof s.Sid === 'string' ? s.Sid : undefined,
    effect: s.Effect === 'Deny' ? ('Deny' as const) : ('Allow' as const),
    actions: list(s.Action),
    notActions: s.NotAction === undefined ? undefined : list(s.NotAction),
    resources: s.Resource === undefined && s.NotResource !== undefined ? ['*'] : list(s.Resource),
    principal: s.Principal,
    hasCondition: s.Condition !== undefined,
  }));
  return { owner, statements };
}

/** IAM-style wildcard match (`*`, `?`), case-insensitive as IAM compares actions. */
export function globMatch(pattern: string, value: string, caseInsensitive = true): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, caseInsensitive ? 'i' : '');
  return re.test(value);
}

function coversAction(s: Statement, action: string): boolean {
  if (s.notActions) return !s.notActions.some((p) => globMatch(p, action));
  return s.actions.some((p) => globMatch(p, action));
}

/** Does a `Resource` entry cover the table itself (not only its indexes)? */
export function coversTable(graph: TerraformGraph, owner: TfInstance, resource: string, table: TableTarget): boolean {
  if (resource === '*') return true;
  const interpolated = /^\$\{([^}]*)\}(.*)$/.exec(resource);
  if (interpolated) {
    if (!['', '*'].includes(interpolated[2])) return false;
    // A plain `x.arn`, or a conditional the module resolves at plan (`create ? one(t[*].arn) : local.existing_arn`).
    if (!/\.arn\b/.test(interpolated[1])) return false;
    return table.instance !== undefined && graph.resolveValue(owner, `\${${interpolated[1]}}`).instances.includes(table.instance);
  }
  if (resource.includes('${')) return false;
  if (table.arn && !table.arn.includes('${')) return globMatch(resource, table.arn, false);
  if (table.name) {
    const parts = resource.split(':');
    return parts.length >= 6 && globMatch(parts[2], 'dynamodb') && globMatch(parts.slice(5).join(':'), `table/${table.name}`, false);
  }
  return false;
}

function principalIsEveryone(principal: unknown): boolean {
  if (principal === undefined || principal === '*') return true;
  if (principal && typeof principal === 'object') return list((principal as Record<string, unknown>).AWS).includes('*');
  return false;
}

/** The answer for one action on one table. */
export interface Decision {
  readonly allowed: boolean;
  /** The Deny statement that blocks it, when one does. */
  readonly deniedBy?: Statement;
  /** An allowing statement has a Condition this analysis does not evaluate. */
  readonly conditional: boolean;
}

/**
 * Evaluates documents the way IAM does for one principal: an explicit Deny wins, else some
 * Allow must cover the action and the table. `forEndpoint` also requires the statement to
 * apply to every principal (a gateway endpoint policy's `Principal: "*"`).
 */
export function decide(graph: TerraformGraph, documents: PolicyDocument[], action: string, table: TableTarget, forEndpoint = false): Decision {
  let allowed = false;
  let conditional = false;
  for (const doc of documents) {
    for (const s of doc.statements) {
      if (!coversAction(s, action)) continue;
      if (!s.resources.some((r) => coversTable(graph, doc.owner, r, table))) continue;
      if (forEndpoint && !principalIsEveryone(s.principal) && s.effect === 'Allow') continue;
      if (s.effect === 'Deny') return { allowed: false, deniedBy: s, conditional: s.hasCondition };
      allowed = true;
      conditional ||= s.hasCondition;
    }
  }
  return { allowed, conditional };
}

/** DynamoDB actions a document allows on the table (named actions only, as written). */
export function dynamoActionsOn(graph: TerraformGraph, documents: PolicyDocument[], table: TableTarget): string[] {
  const out = new Set<string>();
  for (const doc of documents) {
    for (const s of doc.statements) {
      if (s.effect !== 'Allow' || s.notActions) continue;
      if (!s.resources.some((r) => coversTable(graph, doc.owner, r, table))) continue;
      for (const a of s.actions) if (/^dynamodb:/i.test(a) || a === '*') out.add(a);
    }
  }
  return [...out];
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
