import { Construct } from 'constructs';
import { LocalBackend, TerraformOutput } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DeployConfig } from './deploy-config';
import { PlainIdStack } from './plain-id-stack';
import { ConfigError } from './config-error';
import { VpcLambdaDynamoDb } from './vpc-lambda-dynamodb';

/** Bundled handler folders, one per function. */
export interface FunctionBundles {
  readonly products: string;
  readonly userActivity: string;
}

function requireBundles(bundles: FunctionBundles | undefined): FunctionBundles {
  if (!bundles) throw new ConfigError('functions', 'are enabled but no bundles were given; bundle them (functions/bundle.ts) or set functions.enabled false');
  return bundles;
}

/**
 * The deploy envelope: the system plus what only a root module may have, the AWS
 * provider (tags through `default_tags`) and the state backend.
 */
export class DeployStack extends PlainIdStack {
  public readonly system: VpcLambdaDynamoDb;

  /**
   * @param bundles the bundled handler folders (functions/bundle.ts); required when
   *   `config.functions.enabled`, which is the default
   */
  constructor(scope: Construct, config: DeployConfig, bundles?: FunctionBundles) {
    super(scope, config.stackName);
    new AwsProvider(this, 'aws', {
      region: config.region,
      defaultTags: [{ tags: config.tags }],
    });
    new LocalBackend(this, { path: 'terraform.tfstate' });

    this.system = new VpcLambdaDynamoDb(this, 'system', {
      namePrefix: config.namePrefix,
      region: config.region,
      availabilityZones: config.availabilityZones,
      vpcCidr: config.vpcCidr,
      privateSubnetCidrs: config.privateSubnetCidrs,
      publicSubnetCidrs: config.publicSubnetCidrs,
      existingVpc: config.existingVpc,
      natMode: config.natMode,
      flowLogs: config.flowLogs,
      accountId: config.accountId,
      endpointPolicy: config.endpointPolicy,
      functions: config.functions.enabled ? { ...config.functions, bundles: requireBundles(bundles) } : undefined,
      tables: config.tables,
      database: config.database,
    });

    const { network, endpoint, nat, flowLogs, productsFunction, userActivityFunction, tables, database } = this.system;
    const output = (id: string, value: unknown, description: string) =>
      new TerraformOutput(this, id, { value, description });
    output('vpc_id', network.vpcId, 'Id of the VPC (created or adopted).');
    output('private_subnet_ids', network.privateSubnetIds, 'Private subnets the functions run in, one per AZ.');
    output('private_route_table_ids', network.privateRouteTableIds, 'Private route tables; each routes DynamoDB through the gateway endpoint.');
    output('dynamodb_endpoint_id', endpoint.endpointId, 'Id of the DynamoDB gateway VPC endpoint.');
    output('dynamodb_prefix_list_id', endpoint.prefixListId, 'DynamoDB prefix list id: the route destination and the functions\' 443 egress target.');
    output('nat_gateway_ids', nat.gatewayIds, 'NAT gateway ids; empty when nat_mode is none.');
    output('flow_log_id', flowLogs.flowLogId, 'Id of the VPC flow log; empty when disabled.');
    output('flow_log_group_name', flowLogs.logGroupName, 'CloudWatch log group of the VPC flow logs.');
    if (productsFunction && userActivityFunction && tables) {
      output('function_names', { products: productsFunction.functionName, user_activity: userActivityFunction.functionName }, 'Names of the Lambda functions.');
      output('function_arns', { products: productsFunction.functionArn, user_activity: userActivityFunction.functionArn }, 'ARNs of the Lambda functions.');
      output('table_names', { products: tables.products.tableName, user_activity: tables.userActivity.tableName }, 'Names of the DynamoDB tables.');
    }
    if (database) output('database_endpoint', database.host, 'Host name of the PostgreSQL database.');
  }
}
