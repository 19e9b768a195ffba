import { TerraformLocal } from 'cdktf';
import { Construct } from 'constructs';
import { DYNAMODB_INDEX_ACTIONS } from '../../constructs/dynamodb-table';
import { ModuleTables } from './module-tables';
import { hcl } from './variable-validations';


/** The functions' table grants, as the module's locals read them (HCL expressions, no `${}`). */
export interface ModuleTableGrants {
  /** `local.function_table_access`: per function, one `{ table, index, arn, name, env, actions, index_actions }` per table_access entry. */
  readonly grants: string;
  /** `local.function_table_statements`: per function, the IAM statements of its grants. */
  readonly statements: string;
  /** The DynamoDB endpoint's `system-tables` policy document. */
  readonly endpointPolicyDocument: string;
}

/**
 * Each function's `table_access`, read once into named locals: the role's statements and the
 * endpoint policy are derived from them, as the constructs derive them from their grants.
 * A key is a key of var.tables or a table ARN, optionally `<table>/index/<name>`.
 */
export function moduleTableGrants(scope: Construct, tables: ModuleTables): ModuleTableGrants {
  const local = (id: string, expression: unknown) => new TerraformLocal(scope, id, expression);

  // Per function, its table grants: the table (a key of var.tables, or an ARN), the index when
  // the key names one (`<table>/index/<name>`), its ARN and name, the actions, those of them that
  // read indexes (Query, Scan), and the environment variable naming it.
  const base = 'split("/index/", t)[0]';
  const tableKey = `contains(keys(var.tables), ${base})`;
  const fromArn = `regex("table/(.+)$", ${base})[0]`;
  const grant = [
    `table = ${base}`,
    'index = length(split("/index/", t)) == 2 ? split("/index/", t)[1] : null',
    `arn = ${tableKey} ? ${tables.byKey}[${base}].arn : ${base}`,
    `name = ${tableKey} ? ${tables.byKey}[${base}].name : ${fromArn}`,
    `env = format("%s_TABLE", upper(replace(${tableKey} ? ${base} : ${fromArn}, "/[^A-Za-z0-9_]/", "_")))`,
    'actions = actions',
    `index_actions = sort(setintersection(actions, ${hcl(DYNAMODB_INDEX_ACTIONS)}))`,
  ];
  const grants = local('function_table_access', `\${{ for k, f in var.functions : k => [for t, actions in f.table_access : { ${grant.join(', ')} }] }}`);
  const grantsOf = `local.${grants.friendlyUniqueId}`;
  // A grant's statements: on one index, that index only; else the table, and its indexes
  // (`index/*`) for the actions that read them, so no write is granted on an index.
  const allow = (actions: string, resource: string) => `{ Effect = "Allow", Action = ${actions}, Resource = [${resource}] }`;
  const onIndexes = `length(g.index_actions) > 0 ? [${allow('g.index_actions', '"${g.arn}/index/*"')}] : []`;
  const statements = local(
    'function_table_statements',
    `\${{ for k, gs in ${grantsOf} : k => flatten([for g in gs : g.index != null ? [${allow('g.actions', '"${g.arn}/index/${g.index}"')}] : concat([${allow('g.actions', 'g.arn')}], ${onIndexes})]) }}`,
  );

  // The endpoint's system-tables policy: the union of every grant's actions on the union of
  // their tables and indexes; with no grant at all, a policy that allows nothing.
  const allActions = 'sort(distinct(flatten([for k, f in var.functions : values(f.table_access)])))';
  // A table grant opens the table and its indexes; a grant on one index, that index only.
  const allArns = `distinct(flatten([for k, gs in ${grantsOf} : [for g in gs : g.index != null ? ["\${g.arn}/index/\${g.index}"] : [g.arn, "\${g.arn}/index/*"]]]))`;
  const denyAll = { Version: '2012-10-17', Statement: [{ Sid: 'NoTableAccessDeclared', Effect: 'Deny', Principal: '*', Action: ['dynamodb:*'], Resource: ['*'] }] };
  const endpointPolicyDocument = `length(${allActions}) == 0 ? jsonencode(${hcl(denyAll)}) : jsonencode({ Version = "2012-10-17", Statement = [{ Sid = "SystemTablesOnly", Effect = "Allow", Principal = "*", Action = ${allActions}, Resource = ${allArns} }] })`;

  return { grants: grantsOf, statements: `local.${statements.friendlyUniqueId}`, endpointPolicyDocument };
}
