/**
 * A plan's twin after apply: the state `terraform show -json` would print once the plan was
 * applied, with what the plan leaves to apply (ids, ARNs) filled in consistently. A value
 * known only after apply is the same made-up value wherever the configuration refers to it
 * (a subnet's `vpc_id` is the VPC's `id`), because each is derived from the attribute it is
 * (analysis/evaluate's origin), not from where it is read. No AWS account: the tests check
 * `check --state` against `check --plan` on the same system with this.
 */
import { createHash } from 'node:crypto';
import { Unknown, Value, isLazy, isObject, materialize } from '../../analysis/evaluate/values';
import { graphFromPlan, PlanInput, StateInput } from '../../analysis/terraform-graph';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';

/** Id prefixes AWS uses, by resource type. */
const PREFIX: Record<string, string> = {
  aws_vpc: 'vpc',
  aws_subnet: 'subnet',
  aws_route_table: 'rtb',
  aws_security_group: 'sg',
  aws_vpc_endpoint: 'vpce',
  aws_internet_gateway: 'igw',
  aws_nat_gateway: 'nat',
  aws_eip: 'eipalloc',
  aws_flow_log: 'fl',
  aws_vpc_security_group_egress_rule: 'sgr',
  aws_vpc_security_group_ingress_rule: 'sgr',
  aws_route_table_association: 'rtbassoc',
  aws_db_instance: 'db',
};

const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 17);

/** The value AWS would give this attribute of this instance. */
function madeUp(address: string, attribute: string, type: string, name: () => unknown): string {
  const h = hash(`${address}.${attribute}`);
  if (attribute === 'prefix_list_id') return `pl-${h.slice(0, 8)}`;
  if (attribute === 'arn') {
    const n = name();
    const label = typeof n === 'string' ? n : h;
    if (type === 'aws_iam_role') return `arn:aws:iam::${ACCOUNT}:role/${label}`;
    if (type === 'aws_dynamodb_table') return `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${label}`;
    if (type === 'aws_lambda_function') return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${label}`;
    if (type === 'aws_cloudwatch_log_group') return `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${label}`;
    return `arn:aws:${type.replace(/^aws_/, '').split('_')[0]}:${REGION}:${ACCOUNT}:${h}`;
  }
  if (attribute === 'id' || /_id$/.test(attribute)) return PREFIX[type] ? `${PREFIX[type]}-${h}` : h;
  if (attribute === 'owner_id' || attribute === 'account_id') return ACCOUNT;
  return `${attribute}-${h.slice(0, 8)}`;
}

/** The state the plan would leave, as `terraform show -json` prints it. */
export function stateFromPlan(plan: PlanInput, sourceDir: string): StateInput {
  const graph = graphFromPlan(plan, { sourceDir });
  const typeOf = (address: string) => graph.instance(address)?.resource.type ?? '';
  const filled = (v: Value, self: string, path: string, depth = 0): unknown => {
    if (depth > 40) return null;
    if (v instanceof Unknown) {
      if (v.json !== undefined) return JSON.stringify(filled(v.json as Value, self, path, depth + 1));
      if (v.exact && v.origins.length === 1) {
        const o = v.origins[0];
        if (!/(^|\.)(id|arn|prefix_list_id|owner_id|account_id)$|_id$/.test(o.attribute) && o.address === self) return null;
        const owner = graph.instance(o.address);
        return madeUp(o.address, o.attribute, typeOf(o.address), () => (owner ? graph.value(owner, 'name') ?? graph.value(owner, 'function_name') : undefined));
      }
      if (v.parts) return v.parts.map((p) => (typeof p === 'string' ? p : filled(p, self, path, depth + 1))).join('');
      // Ids and ARNs AWS assigns; anything else computed and not configured is left empty
      // (a role's managed_policy_arns with none attached).
      return /(^|\.)(id|arn)$|_id$/.test(path) ? madeUp(self, path, typeOf(self), () => undefined) : null;
    }
    if (isLazy(v)) return filled(materialize(v), self, path, depth + 1);
    if (Array.isArray(v)) return v.map((x, i) => filled(x, self, `${path}.${i}`, depth + 1));
    if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, filled(x, self, `${path}.${k}`, depth + 1)]));
    return v;
  };
  type StateResource = { address: string; mode: string; type: string; name: string; index?: number | string; values: Record<string, unknown> };
  const byModule = new Map<string, StateResource[]>();
  for (const r of graph.resources) {
    for (const i of r.instances) {
      const keys = new Set([...Object.keys(i.planned ?? {}), ...Object.keys((i.unknown as Record<string, unknown> | undefined) ?? {})]);
      const values: Record<string, unknown> = {};
      for (const key of keys) values[key] = filled(graph.evaluated(i, key) ?? null, i.address, key);
      const list = byModule.get(r.module) ?? [];
      list.push({ address: i.address, mode: r.mode, type: r.type, name: r.name, ...(i.index === undefined ? {} : { index: i.index }), values });
      byModule.set(r.module, list);
    }
  }
  const child_modules = [...byModule.entries()].filter(([m]) => m !== '').map(([address, resources]) => ({ address, resources }));
  return { format_version: '1.0', values: { root_module: { resources: byModule.get('') ?? [], child_modules } } } as StateInput;
}
