import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { ModuleInputs } from './module-inputs';
import { PlainIdStack } from './plain-id-stack';
import { VpcLambdaDynamoDb } from './vpc-lambda-dynamodb';

/** Oldest Terraform the module supports: validations that refer to other variables need 1.9. */
export const MODULE_REQUIRED_TERRAFORM = '>= 1.9.0';
/**
 * AWS provider versions the module accepts: 5.x has every argument used here
 * (`replace_security_groups_on_destroy` since 5.x), and 5.100.0 is the one mirrored offline.
 */
export const MODULE_REQUIRED_AWS_PROVIDER = '>= 5.0, < 6.0';

/**
 * The module envelope: the same system, with every choice a Terraform variable, no
 * provider block and no backend, so a caller can instantiate it many times (count,
 * for_each, several regions through provider aliases).
 */
export class ModuleStack extends PlainIdStack {
  public readonly inputs: ModuleInputs;
  public readonly system: VpcLambdaDynamoDb;
  /** Every output, by name, for docs and tests. */
  public readonly outputs: Map<string, TerraformOutput> = new Map();

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // CDKTF gives every stack a local backend; a child module must have none.
    this.addOverride('terraform.backend', undefined);
    this.addOverride('terraform.required_version', MODULE_REQUIRED_TERRAFORM);
    this.addOverride('terraform.required_providers', {
      aws: { source: 'hashicorp/aws', version: MODULE_REQUIRED_AWS_PROVIDER },
    });

    const inputs = new ModuleInputs(this, 'inputs');
    this.inputs = inputs;
    this.system = new VpcLambdaDynamoDb(this, 'system', {
      namePrefix: inputs.namePrefix,
      region: inputs.region,
      availabilityZones: inputs.availabilityZones,
      vpcCidr: inputs.vpcCidr,
      privateSubnetCidrs: inputs.privateSubnetCidrs,
      publicSubnetCidrs: inputs.publicSubnetCidrs,
      existingVpc: {
        vpcId: inputs.existingVpcId,
        privateSubnetIds: inputs.existingPrivateSubnetIds,
        privateRouteTableIds: inputs.existingPrivateRouteTableIds,
      },
      natMode: inputs.natMode,
      flowLogs: {
        enabled: inputs.flowLogsEnabled,
        retentionInDays: inputs.flowLogRetentionDays,
        kmsKeyArn: inputs.flowLogKmsKeyArn,
      },
      accountId: inputs.accountId,
      tags: inputs.tags,
    });

    const { network, endpoint, nat, flowLogs } = this.system;
    const output = (name: string, value: unknown, description: string) =>
      this.outputs.set(name, new TerraformOutput(this, name, { value, description }));
    output('vpc_id', network.vpcId, 'Id of the VPC (created or adopted).');
    output('private_subnet_ids', network.privateSubnetIds, 'Private subnets the functions run in, one per AZ.');
    output('private_route_table_ids', network.privateRouteTableIds, 'Private route tables; each routes DynamoDB through the gateway endpoint.');
    output('dynamodb_endpoint_id', endpoint.endpointId, 'Id of the DynamoDB gateway VPC endpoint.');
    output('dynamodb_prefix_list_id', endpoint.prefixListId, 'DynamoDB prefix list id: the route destination and the functions\' 443 egress target.');
    output('nat_gateway_ids', nat.gatewayIds, 'NAT gateway ids; empty when nat_mode is none.');
    output('public_subnet_ids', nat.publicSubnetIds, 'Public subnets holding the NAT gateways; empty when nat_mode is none.');
    output('flow_log_id', flowLogs.flowLogId, 'Id of the VPC flow log; null when flow logs are off.');
    output('flow_log_group_name', flowLogs.logGroupName, 'CloudWatch log group of the VPC flow logs.');
  }
}
