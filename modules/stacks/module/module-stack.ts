import { Construct, Node } from 'constructs';
import { Fn, Lazy, TerraformDataSource, TerraformElement, TerraformLocal, TerraformOutput, TerraformResource, Token } from 'cdktf';
import { declareModuleInputs, ModuleInputs } from './module-inputs';
import { declareModuleFunctionInputs, ModuleFunctionInputs } from './module-function-inputs';
import { ModuleFunctions, moduleFunctions } from './module-functions';
import { ModuleTables, moduleTables } from './module-tables';
import { moduleOutputs } from './module-outputs';
import { moduleBucketAccess } from './module-bucket-access';
import { ModuleInterfaceEndpoints, moduleInterfaceEndpoints } from './module-endpoints';
import { S3GatewayEndpoint } from '../../constructs/s3-gateway-endpoint';
import { movesFrom01, resourceOf } from './module-moves';
import { PlainIdStack } from '../plain-id-stack';
import { DynamoDbGatewayEndpoint } from '../../constructs/dynamodb-gateway-endpoint';
import { EndpointPolicy } from '../../constructs/endpoint-policy';
import { FlowLogFormat, FlowLogs, flowLogFormatString } from '../../constructs/flow-logs';
import { NatGateways } from '../../constructs/nat-gateways';
import { Network } from '../../constructs/network';
import { PostgresDatabase } from '../../constructs/postgres-database';
import { isLiteral } from '../../private/tokens';

/** Oldest Terraform the module supports: validations that refer to other variables need 1.9. */
export const MODULE_REQUIRED_TERRAFORM = '>= 1.9.0';
/**
 * AWS provider versions the module accepts, both major lines a root module may be on.
 * Lower bound: 5.51 re-implemented the Lambda function's `replace_security_groups_on_destroy`
 * (terraform-provider-aws #37624), which keeps `terraform destroy` from hanging on hyperplane
 * ENIs, and made `source_code_hash` the synthetic redeploy trigger the module relies on.
 * Upper bound: every resource, attribute and block the module uses exists in 6.x
 * (modules/stacks/hcl/schema/aws-6.json, checked by __tests__/unit/provider-compat.test.ts);
 * 5.100.0 is the one mirrored offline and planned in the tests.
 */
export const MODULE_REQUIRED_AWS_PROVIDER = '>= 5.51, < 7.0';

/**
 * The module envelope: the private network (created or adopted), the DynamoDB gateway
 * endpoint, optional NAT and flow logs, and the caller's own tables and functions given as
 * two maps (`tables`, `functions`), each function with exactly the table access it declares.
 * Every choice is a Terraform variable; no provider block and no backend, so a caller can
 * instantiate it many times (count, for_each, several regions through provider aliases).
 *
 * The shared pieces read like a hand-written module (`aws_vpc.this`, `aws_subnet.private`,
 * `aws_vpc_endpoint.dynamodb`; {@link MODULE_RENAMES}); `moved` blocks carry a state made by
 * 0.2.x, whose addresses were construct paths (`aws_vpc.system_network_vpc`), to the new
 * names with no replacement, and one made by 0.1.0 too, whose built-in functions and tables
 * move to the map entries keyed by their names (module-moves.ts; UPGRADING.md).
 */
export class ModuleStack extends PlainIdStack {
  public readonly inputs: ModuleInputs;
  public readonly functionInputs: ModuleFunctionInputs;
  public readonly network: Network;
  public readonly endpoint: DynamoDbGatewayEndpoint;
  public readonly s3Endpoint: S3GatewayEndpoint;
  public readonly interfaceEndpoints: ModuleInterfaceEndpoints;
  public readonly nat: NatGateways;
  public readonly flowLogs: FlowLogs;
  public readonly database: PostgresDatabase;
  public readonly tables: ModuleTables;
  public readonly functions: ModuleFunctions;
  /** Every output, by name, for docs and tests. */
  public readonly outputs: Map<string, TerraformOutput>;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // CDKTF gives every stack a local backend; a child module must have none.
    this.addOverride('terraform.backend', undefined);
    this.addOverride('terraform.required_version', MODULE_REQUIRED_TERRAFORM);
    this.addOverride('terraform.required_providers', {
      aws: { source: 'hashicorp/aws', version: MODULE_REQUIRED_AWS_PROVIDER },
    });

    const inputs = declareModuleInputs(this);
    const fn = declareModuleFunctionInputs(this);
    this.inputs = inputs;
    this.functionInputs = fn;
    const namePrefix = inputs.namePrefix;
    const tags = inputs.tags;
    // The network's construct scope: its addresses read `system_network_...` as before.
    const system = new Construct(this, 'system');

    this.network = new Network(system, 'network', {
      namePrefix,
      region: inputs.region,
      availabilityZones: inputs.availabilityZones,
      vpcCidr: inputs.vpcCidr,
      privateSubnetCidrs: inputs.privateSubnetCidrs,
      publicSubnetCidrs: inputs.publicSubnetCidrs,
      existingVpc: { vpcId: inputs.existingVpcId, privateSubnetIds: inputs.existingPrivateSubnetIds, privateRouteTableIds: inputs.existingPrivateRouteTableIds },
      tags,
    });
    this.nat = new NatGateways(system, 'nat', { namePrefix, mode: inputs.natMode, network: this.network, tags });

    this.database = new PostgresDatabase(system, 'database', {
      namePrefix,
      vpcId: this.network.vpcId,
      subnets: this.network.privateSubnets,
      enabled: fn.databaseEnabled,
      instanceClass: fn.databaseInstanceClass,
      deletionProtection: fn.databaseDeletionProtection,
      multiAz: fn.databaseMultiAz,
      performanceInsights: fn.databasePerformanceInsights,
      monitoringIntervalSeconds: fn.databaseMonitoringInterval,
      kmsKeyArn: fn.databaseKmsKeyArn,
      logKmsKeyArn: inputs.logKmsKeyArn,
      alternative: { existing: fn.existingDatabase, use: fn.useExistingDatabase },
      tags,
    });

    this.tables = moduleTables(this, namePrefix, tags);
    // The endpoint comes before the functions (their egress names its prefix list) but its
    // policy is built from their grants: the document is filled in once they exist.
    let policyDocument = '';
    // Written as one expression: var.endpoint_policy is a variable, read directly.
    const policy = EndpointPolicy.fromDocument(Lazy.stringValue({ produce: () => `\${var.endpoint_policy == "system-tables" ? (${policyDocument}) : null}` }));
    this.endpoint = new DynamoDbGatewayEndpoint(system, 'dynamodb', {
      namePrefix,
      region: inputs.region,
      vpcId: this.network.vpcId,
      routeTableIds: this.network.privateRouteTableIds,
      policy,
      tags,
    });
    this.functions = moduleFunctions(this, this.tables, {
      namePrefix,
      vpcId: this.network.vpcId,
      privateSubnetIds: this.network.privateSubnetIds,
      dynamoDbPrefixListId: this.endpoint.prefixListId,
      database: this.database,
      logKmsKeyArn: inputs.logKmsKeyArn,
      tags,
    });
    policyDocument = this.functions.endpointPolicyDocument;

    // The S3 endpoint likewise: its system-tables policy is the functions' bucket_access.
    let s3PolicyDocument = '';
    this.s3Endpoint = new S3GatewayEndpoint(system, 's3', {
      namePrefix,
      region: inputs.region,
      vpcId: this.network.vpcId,
      routeTableIds: this.network.privateRouteTableIds,
      policy: EndpointPolicy.fromDocument(Lazy.stringValue({ produce: () => `\${var.endpoint_policy == "system-tables" ? (${s3PolicyDocument}) : null}` })),
      enabled: inputs.s3GatewayEndpoint,
      tags,
    });
    s3PolicyDocument = moduleBucketAccess(this, {
      roles: this.functions.roles,
      securityGroups: this.functions.securityGroups,
      s3GatewayEndpoint: inputs.s3GatewayEndpoint,
      s3PrefixListId: this.s3Endpoint.prefixListId,
    }).endpointPolicyDocument;
    this.interfaceEndpoints = moduleInterfaceEndpoints(this, {
      namePrefix,
      region: inputs.region,
      vpcId: this.network.vpcId,
      privateSubnetIds: this.network.privateSubnetIds,
      functionSecurityGroups: this.functions.securityGroups,
      tags,
    });

    const v5Format = new TerraformLocal(this, 'flow_log_v5_format', flowLogFormatString('v5'));
    this.flowLogs = new FlowLogs(system, 'flow_logs', {
      namePrefix,
      region: inputs.region,
      vpcId: this.network.vpcId,
      accountId: flowLogAccountId(this, inputs.accountId, this.network.ownerAccountId),
      enabled: inputs.flowLogsEnabled,
      retentionInDays: inputs.flowLogRetentionDays,
      kmsKeyArn: inputs.flowLogKmsKeyArn,
      // The variable decides at plan: the v5 record (a named local: one long string), or null for AWS's default.
      format: Token.asString(Token.asAny(`\${var.flow_log_format == "v5" ? ${v5Format.fqn} : null}`)) as FlowLogFormat,
      tags,
    });

    this.outputs = moduleOutputs(this, {
      network: this.network,
      endpoint: this.endpoint,
      nat: this.nat,
      flowLogs: this.flowLogs,
      tables: this.tables,
      functions: this.functions,
      database: this.database,
      databaseEnabled: fn.databaseEnabled,
    });
    renameForReaders(this, system);
  }

  /** The construct-path id PlainIdStack gives (`system_network_vpc`). */
  public pathId(element: TerraformElement | Node): string {
    return super.allocateLogicalId(element);
  }

  /** The readable name for a renamed resource ({@link MODULE_RENAMES}), else the path id; read once, before any reference is written. */
  protected allocateLogicalId(element: TerraformElement | Node): string {
    const pathId = super.allocateLogicalId(element);
    const names = { ...MODULE_RENAMES, ...MODULE_NEW_NAMES };
    if (element instanceof TerraformResource) return names[`${element.terraformResourceType}.${pathId}`] ?? pathId;
    if (element instanceof TerraformDataSource) return names[`data.${element.terraformResourceType}.${pathId}`] ?? pathId;
    return pathId;
  }
}

/**
 * Readable names for the resources the network, NAT, endpoint, flow-log and database
 * constructs create inside the module, by their 0.2.x address (construct path). Data sources
 * hold no state, so they need no `moved` block.
 */
export const MODULE_RENAMES: Readonly<Record<string, string>> = {
  'aws_vpc.system_network_vpc': 'this',
  'aws_default_security_group.system_network_default_security_group': 'this',
  'aws_subnet.system_network_private': 'private',
  'aws_route_table.system_network_private_route_table': 'private',
  'aws_route_table_association.system_network_private_route_table_association': 'private',
  'aws_subnet.system_nat_public': 'public',
  'aws_route_table.system_nat_public_route_table': 'public',
  'aws_route_table_association.system_nat_public_route_table_association': 'public',
  'aws_internet_gateway.system_nat_internet_gateway': 'this',
  'aws_eip.system_nat_eip': 'nat',
  'aws_nat_gateway.system_nat_nat_gateway': 'this',
  'aws_route.system_nat_private_nat_route': 'private_nat',
  'aws_route.system_nat_public_internet_route': 'public_internet',
  'aws_vpc_endpoint.system_dynamodb_endpoint': 'dynamodb',
  'aws_flow_log.system_flow_logs_flow_log': 'this',
  'aws_cloudwatch_log_group.system_flow_logs_log_group': 'flow_logs',
  'aws_iam_role.system_flow_logs_role': 'flow_logs',
  'aws_iam_role_policy.system_flow_logs_role_policy': 'flow_logs',
  'aws_db_instance.system_database_instance': 'this',
  'aws_db_subnet_group.system_database_subnet_group': 'this',
  'aws_security_group.system_database_security_group': 'database',
};

/** Readable names for resources added after 0.2 (nothing to move from). */
export const MODULE_NEW_NAMES: Readonly<Record<string, string>> = {
  'aws_cloudwatch_log_group.system_database_log_group_postgresql': 'database_postgresql',
  'aws_cloudwatch_log_group.system_database_log_group_upgrade': 'database_upgrade',
  'aws_iam_role.system_database_monitoring_role': 'database_monitoring',
  'aws_iam_role_policy_attachment.system_database_monitoring_role_policy': 'database_monitoring',
  'data.aws_partition.partition': 'current',
  'data.aws_region.aws_region': 'current',
  'data.aws_availability_zones.aws_availability_zones': 'available',
  'aws_vpc_endpoint.system_s3_endpoint': 's3',
};

/**
 * Moves from the 0.2.x addresses and from 0.1.0's functions and tables, and a check that
 * every resource under `scope` got its readable name, so none keeps a path name by accident.
 */
function renameForReaders(stack: ModuleStack, scope: Construct): void {
  for (const node of scope.node.findAll()) {
    if (!(node instanceof TerraformResource) && !(node instanceof TerraformDataSource)) continue;
    const path = `${node instanceof TerraformDataSource ? 'data.' : ''}${node.terraformResourceType}.${stack.pathId(node)}`;
    if (!MODULE_RENAMES[path] && !MODULE_NEW_NAMES[path]) throw new Error(`module: no readable name for ${path} (add it to MODULE_RENAMES, or MODULE_NEW_NAMES when new)`);
  }
  const moved = Object.entries(MODULE_RENAMES)
    .filter(([from]) => !from.startsWith('data.'))
    .map(([from, name]) => ({ from, to: `${from.split('.')[0]}.${name}` }));
  // 0.1's built-in functions and tables onto the map instances: each target must be a
  // resource of this module, so a rename here cannot leave a move pointing nowhere.
  const resources = new Set(
    stack.node
      .findAll()
      .filter((node): node is TerraformResource => node instanceof TerraformResource)
      .map((r) => `${r.terraformResourceType}.${r.friendlyUniqueId}`),
  );
  for (const move of movesFrom01()) {
    if (!resources.has(resourceOf(move.to))) throw new Error(`module: moved block to ${move.to}, which is not a resource of the module (modules/stacks/module/module-moves.ts)`);
    if (resources.has(resourceOf(move.from))) throw new Error(`module: moved block from ${move.from}, which is still a resource of the module`);
  }
  stack.addOverride('moved', [...moved, ...movesFrom01()]);
}

/** The account for the flow-log role's trust: account_id, or the created VPC's owner. */
function flowLogAccountId(scope: Construct, given: string, owner: string | undefined): string {
  if (owner === undefined) return given;
  // A named local: the flow-log role's trust condition reads `${local.flow_log_account_id}`.
  return isLiteral(given) ? given : new TerraformLocal(scope, 'flow_log_account_id', Fn.coalesce([given, owner])).asString;
}
