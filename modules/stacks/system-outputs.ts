import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { VpcLambdaDynamoDb } from '../constructs/vpc-lambda-dynamodb';
import { VpcFunction } from '../constructs/vpc-function';
import { DynamoDbTable } from '../constructs/dynamodb-table';

/** Declares one output (name, value, description). */
export type DeclareOutput = (name: string, value: unknown, description: string) => void;

/**
 * The network outputs both envelopes give, named and described once: the VPC, its private
 * subnets and route tables, the endpoint and its prefix list, NAT and flow logs.
 */
export function networkOutputs(
  output: DeclareOutput,
  parts: Pick<VpcLambdaDynamoDb, 'network' | 'endpoint' | 'nat' | 'flowLogs'>,
): void {
  const { network, endpoint, nat, flowLogs } = parts;
  output('vpc_id', network.vpcId, 'Id of the VPC (created or adopted).');
  output('private_subnet_ids', network.privateSubnetIds, 'Private subnets the functions run in, one per AZ.');
  output('private_route_table_ids', network.privateRouteTableIds, 'Private route tables; each routes DynamoDB through the gateway endpoint.');
  output('dynamodb_endpoint_id', endpoint.endpointId, 'Id of the DynamoDB gateway VPC endpoint.');
  output('dynamodb_prefix_list_id', endpoint.prefixListId, "DynamoDB prefix list id: the route destination and the functions' 443 egress target.");
  output('nat_gateway_ids', nat.gatewayIds, 'NAT gateway ids; empty when nat_mode is none.');
  output('public_subnet_ids', nat.publicSubnetIds, 'Public subnets holding the NAT gateways; empty when nat_mode is none.');
  output('flow_log_id', flowLogs.flowLogId, 'Id of the VPC flow log; null when flow logs are off.');
  output('flow_log_group_name', flowLogs.logGroupName, 'CloudWatch log group of the VPC flow logs; null when flow logs are off.');
}

/**
 * The outputs both envelopes give, each with a description (the module's README tables are
 * generated from them). Function and table outputs are keyed by the user's keys.
 */
export function systemOutputs(scope: Construct, system: VpcLambdaDynamoDb): Map<string, TerraformOutput> {
  const outputs = new Map<string, TerraformOutput>();
  const output = (name: string, value: unknown, description: string) => outputs.set(name, new TerraformOutput(scope, name, { value, description }));
  const { network, endpoint, nat, flowLogs, functions, tables, database } = system;

  networkOutputs(output, { network, endpoint, nat, flowLogs });
  const byFunction = <T>(pick: (f: VpcFunction) => T) => Object.fromEntries(Object.entries(functions).map(([key, f]) => [key, pick(f)]));
  output('function_names', byFunction((f) => f.functionName), 'Names of the Lambda functions, by function key.');
  output('function_arns', byFunction((f) => f.functionArn), 'ARNs of the Lambda functions, by function key.');
  output('function_role_arns', byFunction((f) => f.roleArn), "ARNs of the functions' IAM roles, by function key.");
  output('function_log_group_names', byFunction((f) => f.logGroupName), 'CloudWatch log groups of the functions, by function key.');
  output('lambda_security_group_ids', byFunction((f) => f.securityGroup.securityGroupId), "The functions' security groups (no ingress; 443 to DynamoDB's prefix list), by function key.");
  output('table_names', Object.fromEntries(Object.entries(tables).map(([key, t]) => [key, t.tableName])), 'Names of the created DynamoDB tables, by table key.');
  output('table_arns', Object.fromEntries(Object.entries(tables).map(([key, t]) => [key, t.tableArn])), 'ARNs of the created DynamoDB tables, by table key.');
  const streams = Object.entries(tables).flatMap(([key, t]) => (t instanceof DynamoDbTable && t.tableStreamArn ? [[key, t.tableStreamArn]] : []));
  output('table_stream_arns', Object.fromEntries(streams), "ARNs of the tables' streams, by table key: only the tables with streamViewType set.");
  if (database) {
    output('database_endpoint', database.host, 'Host name of the PostgreSQL database.');
    output('database_security_group_id', database.securityGroupId, 'Security group of the database; admits 5432 only from the functions with database access.');
  }
  return outputs;
}
