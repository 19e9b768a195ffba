import { TerraformJson } from './synth';

/**
 * What a reviewer checks in a stack, independent of Terraform addresses: how many of each
 * resource type, and per function, table, security group, endpoint and database the
 * properties that decide security (role actions on which tables, egress targets, encryption,
 * public access). References are named by the target's own name (`table:<name>`), so a
 * rename of construct ids or a move to `for_each` leaves the summary unchanged; a change of
 * what is allowed does not.
 */
export interface StackSummary {
  readonly counts: Record<string, number>;
  readonly functions: Record<string, unknown>;
  readonly tables: Record<string, unknown>;
  /** The DynamoDB gateway endpoint's policy. */
  readonly endpointPolicy: unknown;
  /** The S3 gateway endpoint's policy (null when it keeps AWS's default), absent when there is no S3 endpoint. */
  readonly s3EndpointPolicy?: unknown;
  readonly database: unknown;
  readonly flowLogs: unknown;
}

type Blocks = Record<string, Record<string, Record<string, unknown>>>;

const NAME_KEYS = ['function_name', 'identifier', 'name', 'service_name'];

/** The summary of a synthesized stack whose counts are literals (the deploy stack). */
export function summarizeStack(json: TerraformJson): StackSummary {
  const resources = (json.resource ?? {}) as Blocks;
  const locals = ((json as { locals?: Record<string, unknown> }).locals ?? {}) as Record<string, unknown>;
  const counts: Record<string, number> = {};
  for (const [type, blocks] of Object.entries(resources)) {
    for (const block of Object.values(blocks)) {
      const n = block.count === undefined ? 1 : Number(block.count);
      if (n > 0) counts[type] = (counts[type] ?? 0) + n;
    }
  }
  const live = (type: string) => Object.values(resources[type] ?? {}).filter((b) => b.count === undefined || Number(b.count) > 0);

  // `${aws_x.y[0].attr}` -> `x:<name of y>`; locals are followed once.
  const nameOf = (type: string, logical: string): string => {
    const block = resources[type]?.[logical];
    const key = block && NAME_KEYS.find((k) => typeof block[k] === 'string');
    const tagName = (block?.tags as Record<string, unknown> | undefined)?.Name;
    return `${type.replace(/^aws_/, '')}:${key ? String(block![key]) : typeof tagName === 'string' ? tagName.replace(/-[a-z]{2}-[a-z]+-\d[a-z]$/, '') : logical}`;
  };
  const describe = (value: unknown): unknown => {
    if (typeof value !== 'string') return Array.isArray(value) ? value.map(describe) : value;
    return value.replace(/\$\{([^}]*)\}/g, (_all, inner: string) => {
      const local = /^local\.([\w-]+)$/.exec(inner.trim());
      if (local) return String(describe(locals[local[1]] ?? inner)).replace(/^\$\{|\}$/g, '');
      return inner.replace(/(aws_[a-z0-9_]+)\.([\w-]+)(\[[^\]]*\])?(\.[\w.\[\]*]+)?/g, (_m, type: string, logical: string, _i, attr?: string) => `${nameOf(type, logical)}${attr ? attr.replace(/\[\d+\]/g, '') : ''}`);
    });
  };
  const statements = (policy: unknown) => {
    const doc = JSON.parse(String(policy)) as { Statement: Array<Record<string, unknown>> };
    return doc.Statement.map((s) => ({
      effect: s.Effect,
      actions: [...(Array.isArray(s.Action) ? s.Action : [s.Action])].map(String).sort(),
      resources: [...(Array.isArray(s.Resource) ? s.Resource : [s.Resource])].map((r) => describe(r)).map(String).sort(),
    })).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  };
  const ruleTargets = (groupName: string, type: string) =>
    live(type)
      .filter((r) => describe(r.security_group_id) === `security_group:${groupName}.id`)
      .map((r) => ({
        protocol: r.ip_protocol,
        ports: [r.from_port, r.to_port],
        to: describe(r.prefix_list_id ?? r.referenced_security_group_id ?? r.cidr_ipv4 ?? r.cidr_ipv6),
      }))
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

  const functions: Record<string, unknown> = {};
  for (const fn of live('aws_lambda_function')) {
    const name = String(fn.function_name);
    const roleRef = String(describe(fn.role)).replace(/\.arn$/, '');
    const roleName = roleRef.replace(/^iam_role:/, '');
    const policies = live('aws_iam_role_policy').filter((p) => String(describe(p.role)).replace(/\.(id|name)$/, '') === roleRef || describe(p.role) === roleName);
    const groups = (describe((fn.vpc_config as Record<string, unknown>).security_group_ids) as string[]).map((g) => g.replace(/^security_group:/, '').replace(/\.id$/, ''));
    const env = ((fn.environment as { variables?: Record<string, unknown> } | undefined)?.variables ?? {}) as Record<string, unknown>;
    functions[name] = {
      runtime: fn.runtime,
      architectures: fn.architectures,
      subnets: describe((fn.vpc_config as Record<string, unknown>).subnet_ids),
      environment: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, describe(v)]).sort(([a], [b]) => String(a).localeCompare(String(b)))),
      role: policies.flatMap((p) => statements(p.policy)).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      securityGroups: groups.map((g) => ({ group: g, egress: ruleTargets(g, 'aws_vpc_security_group_egress_rule'), ingress: ruleTargets(g, 'aws_vpc_security_group_ingress_rule') })),
    };
  }
  const tables: Record<string, unknown> = {};
  for (const t of live('aws_dynamodb_table')) {
    tables[String(t.name)] = {
      billing: t.billing_mode,
      keys: [t.hash_key, t.range_key ?? null],
      attributes: t.attribute,
      pointInTimeRecovery: t.point_in_time_recovery,
      encryption: t.server_side_encryption,
      deletionProtection: t.deletion_protection_enabled,
    };
  }
  const endpointOf = (service: string) => live('aws_vpc_endpoint').find((e) => String(e.service_name).endsWith(`.${service}`));
  const endpoint = endpointOf('dynamodb');
  const s3Endpoint = endpointOf('s3');
  const db = live('aws_db_instance')[0];
  const dbGroup = live('aws_security_group').find((g) => db && describe((db.vpc_security_group_ids as unknown[])[0]) === `security_group:${g.name}.id`);
  const flowLog = live('aws_flow_log')[0];
  return {
    counts: Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b))),
    functions,
    tables,
    endpointPolicy: endpoint?.policy ? statements(endpoint.policy) : null,
    ...(s3Endpoint ? { s3EndpointPolicy: s3Endpoint.policy ? statements(s3Endpoint.policy) : null } : {}),
    database: db
      ? {
          engine: db.engine,
          publiclyAccessible: db.publicly_accessible,
          storageEncrypted: db.storage_encrypted,
          iamAuthentication: db.iam_database_authentication_enabled,
          managedMasterPassword: db.manage_master_user_password,
          deletionProtection: db.deletion_protection,
          ingress: dbGroup ? ruleTargets(String(dbGroup.name), 'aws_vpc_security_group_ingress_rule') : [],
        }
      : null,
    flowLogs: flowLog ? { trafficType: flowLog.traffic_type } : null,
  };
}
