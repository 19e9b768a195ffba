import { Construct } from 'constructs';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { ConfigError } from '../private/config-error';
import { checkProps, PropSpec } from '../private/known-props';
import { EndpointPolicy } from './endpoint-policy';
import { awsRegion } from '../private/region';
import { isLiteral, tagsWithName } from '../private/tokens';
import { checkFramework } from '../private/framework';

/** Props of {@link DynamoDbGatewayEndpoint}. */
export interface DynamoDbGatewayEndpointProps {
  /** Name prefix for the `Name` tag. */
  readonly namePrefix: string;
  /**
   * Region of the VPC; the service is `com.amazonaws.<region>.dynamodb`.
   * @default the stack's AWS provider's region (`data "aws_region"` when it is not a literal)
   */
  readonly region?: string;
  /** VPC the endpoint belongs to. */
  readonly vpcId: string;
  /** Every private route table: each gets the prefix-list route through the endpoint. */
  readonly routeTableIds: string[];
  /**
   * What the endpoint lets through.
   * @default EndpointPolicy.open(): AWS's default (full access), which every principal's IAM policy still limits
   */
  readonly policy?: EndpointPolicy;
  /**
   * Tags besides `Name`.
   * @default {}
   */
  readonly tags?: Record<string, string>;
}

/** Every prop of {@link DynamoDbGatewayEndpointProps}: unknown ones are refused (see checkProps). */
const ENDPOINT_PROPS = {
  namePrefix: 'required',
  region: 'optional',
  vpcId: 'required',
  routeTableIds: 'required',
  policy: 'optional',
  tags: 'optional',
} as const satisfies PropSpec<DynamoDbGatewayEndpointProps>;

/**
 * The free gateway VPC endpoint for DynamoDB. Attaching it to a route table adds a route
 * from DynamoDB's prefix list to the endpoint, so traffic from the private subnets reaches
 * DynamoDB on the AWS network with no NAT and no internet gateway.
 */
export class DynamoDbGatewayEndpoint extends Construct {
  /** The endpoint id (`vpce-...`). */
  public readonly endpointId: string;
  /** The DynamoDB prefix list id (`pl-...`): the destination of the route, and of Lambda's 443 egress. */
  public readonly prefixListId: string;
  /** The service name, `com.amazonaws.<region>.dynamodb`. */
  public readonly serviceName: string;

  constructor(scope: Construct, id: string, props: DynamoDbGatewayEndpointProps) {
    super(scope, id);
    checkFramework(this, 'DynamoDbGatewayEndpoint');
    checkProps('', props, 'DynamoDbGatewayEndpointProps', ENDPOINT_PROPS);
    if (isLiteral(props.routeTableIds) && props.routeTableIds.length === 0) {
      throw new ConfigError('routeTableIds', 'is empty; the endpoint must be attached to every private route table');
    }
    this.serviceName = `com.amazonaws.${awsRegion(this, props.region)}.dynamodb`;
    const endpoint = new VpcEndpoint(this, 'endpoint', {
      vpcId: props.vpcId,
      serviceName: this.serviceName,
      vpcEndpointType: 'Gateway',
      routeTableIds: props.routeTableIds,
      policy: props.policy?.document(),
      tags: tagsWithName(props.tags ?? {}, `${props.namePrefix}-dynamodb`),
    });
    this.endpointId = endpoint.id;
    this.prefixListId = endpoint.prefixListId;
  }
}
