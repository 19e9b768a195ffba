/**
 * Attributes the provider computes from arguments the configuration does know, derived here
 * the way the provider derives them, so a check can read them before apply:
 *
 * - `data.aws_iam_policy_document.x.json`: the document its statements (static and `dynamic`)
 *   evaluate to; a document holding unknowns (a table ARN) is an {@link Unknown} carrying it.
 * - `aws_iam_role.x.arn` with a known name: `arn:<partition>:iam::<account>:role/<path><name>`,
 *   unknown in its account only, so `split("/", arn)` still yields the name.
 * - `id` of a role, table or function: its name.
 */
import type { TerraformGraph, TfInstance } from '../terraform-graph';
import { managedPolicyByName } from '../facts/managed-policies';
import { hasUnknown, isObject, listOf, materialize, Unknown, unknownsIn, Value } from './values';

/** The derived value, or undefined when this attribute is not derived here. */
export function derivedAttribute(graph: TerraformGraph, instance: TfInstance, name: string): Value | undefined {
  const { type, mode } = instance.resource;
  if (mode === 'data' && type === 'aws_iam_policy_document' && (name === 'json' || name === 'minified_json')) return policyDocumentJson(graph, instance);
  if (mode === 'data' && type === 'aws_iam_policy' && name === 'policy') return managedPolicyJson(graph, instance);
  if (mode !== 'managed') return undefined;
  if (name === 'id') {
    const by: Record<string, string | undefined> = { aws_iam_role: 'name', aws_dynamodb_table: 'name', aws_lambda_function: 'function_name' };
    const attr = by[type];
    if (!attr) return undefined;
    const v = graph.raw(instance, attr);
    return typeof v === 'string' ? v : undefined;
  }
  if (type === 'aws_iam_role' && name === 'arn') {
    const roleName = graph.raw(instance, 'name');
    if (typeof roleName !== 'string') return undefined;
    const path = graph.raw(instance, 'path');
    const prefix = new Unknown(`the account of ${instance.address} is known only after apply`, [], false, undefined, undefined, '/');
    return new Unknown(`${instance.address}.arn is known only after apply`, [{ address: instance.address, attribute: 'arn' }], true, [prefix, `:role${typeof path === 'string' ? path : '/'}${roleName}`]);
  }
  return undefined;
}

/**
 * `data "aws_iam_policy"` of an AWS managed policy, read at apply (its ARN holds the partition
 * from another data source): the dated copy of its document, when it is one known here.
 */
function managedPolicyJson(graph: TerraformGraph, data: TfInstance): Value | undefined {
  const arn = graph.raw(data, 'arn');
  const text = typeof arn === 'string' ? arn : arn instanceof Unknown && arn.parts ? arn.parts.map((p) => (typeof p === 'string' ? p : '?')).join('') : undefined;
  const m = text ? /:iam::aws:policy\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/.exec(text) : undefined;
  const doc = m ? managedPolicyByName(m[1]) : undefined;
  return doc ? JSON.stringify(doc) : undefined;
}

type Doc = { Version: string; Statement: Array<Record<string, Value>> };

/** The IAM JSON of a policy document data source: a string when fully known, else an unknown carrying the document. */
function policyDocumentJson(graph: TerraformGraph, doc: TfInstance): Value {
  const statements: Array<Record<string, Value>> = [];
  const sources = graph.raw(doc, 'source_policy_documents');
  for (const source of listOf(sources)) {
    const parsed = documentOf(source);
    if (!parsed) return Unknown.because(`${doc.address}.source_policy_documents holds a document that is not known before apply`);
    statements.push(...parsed.Statement);
  }
  const blocks = graph.raw(doc, 'statement');
  if (blocks instanceof Unknown) return new Unknown(blocks.reason, blocks.origins, false);
  for (const block of listOf(blocks)) {
    if (!isObject(block)) return Unknown.because(`a statement of ${doc.address} is not known before apply`);
    const s = statementOf(block);
    const at = typeof s.Sid === 'string' && s.Sid !== '' ? statements.findIndex((x) => x.Sid === s.Sid) : -1;
    if (at >= 0) statements[at] = s;
    else statements.push(s);
  }
  for (const override of listOf(graph.raw(doc, 'override_policy_documents'))) {
    const parsed = documentOf(override);
    if (!parsed) return Unknown.because(`${doc.address}.override_policy_documents holds a document that is not known before apply`);
    for (const s of parsed.Statement) {
      const at = typeof s.Sid === 'string' && s.Sid !== '' ? statements.findIndex((x) => x.Sid === s.Sid) : -1;
      if (at >= 0) statements[at] = s;
      else statements.push(s);
    }
  }
  const document: Doc = { Version: '2012-10-17', Statement: statements };
  const plain = materialize(document as unknown as Value);
  if (!hasUnknown(plain)) return JSON.stringify(plain);
  return new Unknown(`${doc.address}.json holds values known only after apply`, unknownsIn(plain).flatMap((u) => u.origins), false, undefined, plain);
}


/** A policy JSON string, or an unknown carrying its document. */
function documentOf(v: Value): Doc | undefined {
  if (typeof v === 'string') {
    try {
      const parsed = JSON.parse(v) as { Statement?: unknown };
      const list = parsed.Statement === undefined ? [] : Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
      return { Version: '2012-10-17', Statement: list as Array<Record<string, Value>> };
    } catch {
      return undefined;
    }
  }
  if (v instanceof Unknown && v.json && typeof v.json === 'object') {
    const d = v.json as { Statement?: unknown };
    const list = d.Statement === undefined ? [] : Array.isArray(d.Statement) ? d.Statement : [d.Statement];
    return { Version: '2012-10-17', Statement: list as Array<Record<string, Value>> };
  }
  return undefined;
}

/** One `statement {}` block as IAM JSON. */
function statementOf(b: Record<string, Value>): Record<string, Value> {
  const s: Record<string, Value> = {};
  const set = (key: string, v: Value | undefined) => {
    if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) return;
    s[key] = v;
  };
  set('Sid', b.sid);
  s.Effect = b.effect ?? 'Allow';
  set('Action', b.actions);
  set('NotAction', b.not_actions);
  set('Resource', b.resources);
  set('NotResource', b.not_resources);
  set('Principal', principals(b.principals));
  set('NotPrincipal', principals(b.not_principals));
  const conditions = listOf(b.condition);
  if (conditions.length > 0) {
    const out: Record<string, Record<string, Value>> = {};
    for (const c of conditions) {
      if (!isObject(c)) {
        s.Condition = Unknown.because('a condition block not known before apply');
        return s;
      }
      const test = typeof c.test === 'string' ? c.test : '?';
      const variable = typeof c.variable === 'string' ? c.variable : '?';
      (out[test] ??= {})[variable] = c.values ?? [];
    }
    s.Condition = out;
  }
  return s;
}

function principals(v: Value | undefined): Value | undefined {
  const list = listOf(v);
  if (list.length === 0) return undefined;
  const out: Record<string, Value> = {};
  for (const p of list) {
    if (!isObject(p)) return Unknown.because('a principals block not known before apply');
    const type = typeof p.type === 'string' ? p.type : 'AWS';
    if (type === '*') return '*';
    const ids = listOf(p.identifiers);
    out[type] = [...(Array.isArray(out[type]) ? (out[type] as Value[]) : []), ...ids];
  }
  return out;
}
