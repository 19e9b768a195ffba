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
  if (raw === undefined && known === undefined) return 'absent';
  if (raw !== undefined && typeof raw === 'object') return normalize(owner, raw);
  if (text === undefined || !text.trimStart().startsWith('{')) return 'unknown';
  try {
    return normalize(owner, JSON.parse(text));
  } catch {
    return 'unknown';
  }
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
