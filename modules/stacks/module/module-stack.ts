import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { ModuleInputs } from './module-inputs';
import { ModuleFunctionInputs } from './module-function-inputs';
import { FunctionBundles } from '../deploy/deploy-stack';
import { systemOutputs } from '../system-outputs';
import { PlainIdStack } from '../plain-id-stack';
import { VpcLambdaDynamoDb } from '../../constructs/vpc-lambda-dynamodb';

/** Oldest Terraform the module supports: validations that refer to other variables need 1.9. */
export const MODULE_REQUIRED_TERRAFORM = '>= 1.9.0';
/**
 * AWS provider versions the module accepts: 5.51 re-implemented the Lambda function's
 * `replace_security_groups_on_destroy` (terraform-provider-aws #37624), which keeps
 * `terraform destroy` from hanging on hyperplane ENIs; 5.100.0 is the one mirrored offline.
 */
export const MODULE_REQUIRED_AWS_PROVIDER = '>= 5.51, < 6.0';

/**
 * The module envelope: the same system, with every choice a Terraform variable, no
 * provider block and no backend, so a caller can instantiate it many times (count,
 * for_each, several regions through provider aliases).
 */
export class ModuleStack extends PlainIdStack {
  public readonly inputs: ModuleInputs;
  public readonly system: VpcLambdaDynamoDb;
  /** Every output, by name, for docs and tests. */
  public readonly outputs: Map<string, TerraformOutput>;
  public readonly functionInputs: ModuleFunctionInputs;

  /** @param bundles the bundled handler folders (functions/bundle.ts) shipped inside the module */
  constructor(scope: Construct, id: string, bundles: FunctionBundles) {
    super(scope, id);
    // CDKTF gives every stack a local backend; a child module must have none.
    this.addOverride('terraform.backend', undefined);
    this.addOverride('terraform.required_version', MODULE_REQUIRED_TERRAFORM);
    this.addOverride('terraform.required_providers', {
      aws: { source: 'hashicorp/aws', version: MODULE_REQUIRED_AWS_PROVIDER },
    });

    const inputs = new ModuleInputs(this, 'inputs');
    const fn = new ModuleFunctionInputs(this, 'function_inputs');
    this.inputs = inputs;
    this.functionInputs = fn;
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
      endpointPolicy: fn.endpointPolicy as 'system-tables' | 'open',
      functions: {
        bundles,
        memorySize: fn.memorySize,
        timeout: fn.timeout,
        architecture: fn.architecture,
        reservedConcurrency: fn.reservedConcurrency,
        logRetentionInDays: fn.logRetentionDays,
        allowInternetEgress: fn.allowInternetEgress,
      },
      tables: { create: fn.createTables, existing: fn.existingTables, deletionProtection: fn.tableDeletionProtection },
      database: {
        enabled: fn.databaseEnabled,
        existing: fn.existingDatabase,
        useExisting: fn.useExistingDatabase,
        instanceClass: fn.databaseInstanceClass,
        deletionProtection: fn.databaseDeletionProtection,
      },
      tags: inputs.tags,
    });
    this.outputs = systemOutputs(this, this.system);
  }
}

