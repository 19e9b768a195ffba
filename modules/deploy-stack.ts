import { Construct } from 'constructs';
import { LocalBackend, TerraformOutput } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DeployConfig } from './deploy-config';
import { PlainIdStack } from './plain-id-stack';
import { VpcLambdaDynamoDb } from './vpc-lambda-dynamodb';

/**
 * The deploy envelope: the system plus what only a root module may have, the AWS
 * provider (tags through `default_tags`) and the state backend.
 */
export class DeployStack extends PlainIdStack {
  public readonly system: VpcLambdaDynamoDb;

  constructor(scope: Construct, config: DeployConfig) {
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
    });

    const { network, endpoint, nat, flowLogs } = this.system;
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
  }
}
