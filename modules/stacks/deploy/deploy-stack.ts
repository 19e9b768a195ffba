import { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DeployConfig } from './deploy-config';
import { PlainIdStack } from '../plain-id-stack';
import { FunctionBundles, seedSystemProps } from './seed-system';
import { VpcLambdaDynamoDb } from '../../constructs/vpc-lambda-dynamodb';
import { systemOutputs } from '../system-outputs';
import { addStateBackend, StateBackend } from './state-backend';

export { FunctionBundles };

/**
 * The deploy envelope: the system plus what only a root module may have, the AWS
 * provider (tags through `default_tags`) and the state backend.
 */
export class DeployStack extends PlainIdStack {
  public readonly system: VpcLambdaDynamoDb;

  /**
   * @param bundles the bundled handler folders (functions/bundle.ts); required when
   *   `config.functions.enabled`, which is the default
   * @param backend where state lives (state-backend.ts); local `terraform.tfstate` by default
   */
  constructor(scope: Construct, config: DeployConfig, bundles?: FunctionBundles, backend: StateBackend = { kind: 'local', path: 'terraform.tfstate' }) {
    super(scope, config.stackName);
    new AwsProvider(this, 'aws', {
      region: config.region,
      defaultTags: [{ tags: config.tags }],
    });
    addStateBackend(this, backend);

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
      logKmsKeyArn: config.logKmsKeyArn,
      accountId: config.accountId,
      endpointPolicy: config.endpointPolicy,
      s3GatewayEndpoint: config.s3GatewayEndpoint,
      interfaceEndpoints: config.interfaceEndpoints,
      ...seedSystemProps(config, bundles),
    });

    systemOutputs(this, this.system);
  }
}
