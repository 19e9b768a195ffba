import { Construct } from 'constructs';
import { Fn, Token } from 'cdktf';
import { ConfigError } from './config-error';
import { DynamoDbGatewayEndpoint, EndpointPolicyScope } from './dynamodb-gateway-endpoint';
import { FlowLogs } from './flow-logs';
import { NatGateways, NatMode } from './nat-gateways';
import { ExistingVpcProps, Network } from './network';
import { isLiteral } from './tokens';

/** Flow log settings. */
export interface FlowLogSettings {
  /**
   * Create VPC flow logs.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Days CloudWatch keeps them.
   * @default 30
   */
  readonly retentionInDays?: number;
  /**
   * KMS key ARN for the log group.
   * @default undefined: CloudWatch's own encryption
   */
  readonly kmsKeyArn?: string;
}

/** Props of {@link VpcLambdaDynamoDb}. */
export interface VpcLambdaDynamoDbProps {
  /**
   * Prefix of every resource name.
   * @default 'vpc-lambda-dynamodb'
   */
  readonly namePrefix?: string;
  /** AWS region. */
  readonly region: string;
  /** Availability zones, 2 to 6, all in `region`. */
  readonly availabilityZones: string[];
  /**
   * CIDR of the created VPC.
   * @default '10.0.0.0/16'
   */
  readonly vpcCidr?: string;
  /**
   * Private subnet CIDRs, one per AZ.
   * @default derived from vpcCidr
   */
  readonly privateSubnetCidrs?: string[];
  /**
   * Public subnet CIDRs, one per AZ (used with NAT only).
   * @default derived from vpcCidr
   */
  readonly publicSubnetCidrs?: string[];
  /**
   * Adopt an existing VPC.
   * @default undefined: create one
   */
  readonly existingVpc?: ExistingVpcProps;
  /**
   * NAT: `none`, `single` or `per-az`.
   * @default 'none'
   */
  readonly natMode?: NatMode;
  /**
   * VPC flow logs.
   * @default enabled, 30 days
   */
  readonly flowLogs?: FlowLogSettings;
  /**
   * Account id, for the flow-log role's trust. Needed only with an adopted VPC.
   * @default the created VPC's owner
   */
  readonly accountId?: string;
  /**
   * Scope of the DynamoDB endpoint policy.
   * @default undefined: AWS's default endpoint policy
   */
  readonly endpointPolicy?: EndpointPolicyScope;
  /**
   * Tags on every resource.
   * @default {}
   */
  readonly tags?: Record<string, string>;
}

/**
 * The whole private system: network, DynamoDB gateway endpoint, optional NAT and flow
 * logs. Both envelopes (the deploy stack and the published module) build exactly this.
 */
export class VpcLambdaDynamoDb extends Construct {
  public readonly network: Network;
  public readonly endpoint: DynamoDbGatewayEndpoint;
  public readonly nat: NatGateways;
  public readonly flowLogs: FlowLogs;
  public readonly namePrefix: string;

  constructor(scope: Construct, id: string, props: VpcLambdaDynamoDbProps) {
    super(scope, id);
    const namePrefix = props.namePrefix ?? 'vpc-lambda-dynamodb';
    if (isLiteral(namePrefix) && !/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/.test(namePrefix)) {
      throw new ConfigError(
        'namePrefix',
        `"${namePrefix}" must be 2 to 32 characters of lowercase letters, digits and hyphens, starting with a letter`,
      );
    }
    if (isLiteral(props.region) && !/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/.test(props.region)) {
      throw new ConfigError('region', `"${props.region}" is not an AWS region name like us-east-1`);
    }
    this.namePrefix = namePrefix;
    const tags = props.tags ?? {};

    this.network = new Network(this, 'network', {
      namePrefix,
      region: props.region,
      availabilityZones: props.availabilityZones,
      vpcCidr: props.vpcCidr,
      privateSubnetCidrs: props.privateSubnetCidrs,
      publicSubnetCidrs: props.publicSubnetCidrs,
      existingVpc: props.existingVpc,
      tags,
    });

    this.endpoint = new DynamoDbGatewayEndpoint(this, 'dynamodb', {
      namePrefix,
      region: props.region,
      vpcId: this.network.vpcId,
      routeTableIds: this.network.privateRouteTableIds,
      policyScope: props.endpointPolicy,
      tags,
    });

    this.nat = new NatGateways(this, 'nat', { namePrefix, mode: props.natMode, network: this.network, tags });

    const flowLogsEnabled = props.flowLogs?.enabled ?? true;
    const accountId = flowLogAccountId(props.accountId, this.network.ownerAccountId, flowLogsEnabled);
    this.flowLogs = new FlowLogs(this, 'flow_logs', {
      namePrefix,
      region: props.region,
      vpcId: this.network.vpcId,
      accountId,
      enabled: flowLogsEnabled,
      retentionInDays: props.flowLogs?.retentionInDays,
      kmsKeyArn: props.flowLogs?.kmsKeyArn,
      tags,
    });
  }
}

function flowLogAccountId(given: string | undefined, owner: string | undefined, enabled: boolean): string {
  if (given !== undefined && owner !== undefined && !isLiteral(given)) {
    return Token.asString(Fn.coalesce([given, owner]));
  }
  if (given !== undefined) return given;
  if (owner !== undefined) return owner;
  if (enabled === false) return '';
  throw new ConfigError(
    'accountId',
    'is required when flow logs are on and the VPC is adopted: it scopes the flow-log role trust (aws:SourceAccount) to your account',
  );
}
