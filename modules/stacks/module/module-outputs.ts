import { Fn, TerraformOutput, Token } from 'cdktf';
import { Construct } from 'constructs';
import { DynamoDbGatewayEndpoint } from '../../constructs/dynamodb-gateway-endpoint';
import { FlowLogs } from '../../constructs/flow-logs';
import { NatGateways } from '../../constructs/nat-gateways';
import { Network } from '../../constructs/network';
import { PostgresDatabase } from '../../constructs/postgres-database';
import { ModuleFunctions } from './module-functions';
import { ModuleTables } from './module-tables';
import { networkOutputs } from '../system-outputs';

/** What the module's outputs are read from. */
export interface ModuleOutputSources {
  readonly network: Network;
  readonly endpoint: DynamoDbGatewayEndpoint;
  readonly nat: NatGateways;
  readonly flowLogs: FlowLogs;
  readonly tables: ModuleTables;
  readonly functions: ModuleFunctions;
  readonly database: PostgresDatabase;
  /** A Terraform boolean: whether there is a database (created or wired). */
  readonly databaseEnabled: boolean;
}

/**
 * The published module's outputs, each with a description (the README's outputs table is
 * generated from them). Function and table outputs are maps keyed like `var.functions` and
 * `var.tables`, so a caller reads `module.x.function_arns["api"]`.
 */
export function moduleOutputs(scope: Construct, s: ModuleOutputSources): Map<string, TerraformOutput> {
  const outputs = new Map<string, TerraformOutput>();
  const output = (name: string, value: unknown, description: string) => outputs.set(name, new TerraformOutput(scope, name, { value, description }));
  const byKey = (resource: { terraformResourceType: string; friendlyUniqueId: string }, attribute: string) =>
    `\${{ for k, r in ${resource.terraformResourceType}.${resource.friendlyUniqueId} : k => r.${attribute} }}`;
  const { network, endpoint, nat, flowLogs, functions: f } = s;

  networkOutputs(output, { network, endpoint, nat, flowLogs });

  output('function_names', byKey(f.functions, 'function_name'), 'Names of the Lambda functions, by key of functions.');
  output('function_arns', byKey(f.functions, 'arn'), 'ARNs of the Lambda functions, by key of functions.');
  output('function_invoke_arns', byKey(f.functions, 'invoke_arn'), 'Invoke ARNs of the Lambda functions (for API Gateway), by key of functions.');
  output('function_alias_arns', byKey(f.aliases, 'arn'), 'ARNs of the alias live, by key of functions: only the functions with provisioned_concurrency.');
  output('function_urls', byKey(f.urls, 'function_url'), 'Function URLs, by key of functions: only the functions with function_url.');
  output('function_role_arns', byKey(f.roles, 'arn'), "ARNs of the functions' IAM roles, by key of functions.");
  output('function_role_names', byKey(f.roles, 'name'), "Names of the functions' IAM roles (to attach more policies), by key of functions.");
  output('function_log_group_names', byKey(f.logGroups, 'name'), "CloudWatch log groups of the functions, by key of functions.");
  output('lambda_security_group_ids', byKey(f.securityGroups, 'id'), "The functions' security groups (no ingress; 443 to DynamoDB's prefix list), by key of functions.");
  // The tables are two resources (autoscaled or not), read by key of var.tables.
  const tables = s.tables.byKey;
  output('table_names', `\${{ for k, r in ${tables} : k => r.name }}`, 'Names of the created DynamoDB tables, by key of tables.');
  output('table_arns', `\${{ for k, r in ${tables} : k => r.arn }}`, 'ARNs of the created DynamoDB tables, by key of tables.');
  output('table_stream_arns', `\${{ for k, r in ${tables} : k => r.stream_arn if r.stream_enabled == true }}`, 'ARNs of the tables\' streams, by key of tables: only the tables with stream_view_type set.');

  const whenDatabase = (value: string) => Fn.conditional(s.databaseEnabled, value, Token.nullValue());
  output('database_endpoint', whenDatabase(s.database.host), 'Host name of the PostgreSQL database the functions with database_access use; null when there is none.');
  output('database_security_group_id', whenDatabase(s.database.securityGroupId), 'Security group of the database; admits 5432 from the functions with database_access only. null when there is none.');
  return outputs;
}
