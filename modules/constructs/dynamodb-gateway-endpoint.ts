import { Fn, Token } from 'cdktf';
import { Construct } from 'constructs';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { ConfigError } from '../private/config-error';
import { PolicyStatement, policyJson } from '../private/iam-statements';
import { isLiteral, tagsWithName } from '../private/tokens';

/** Restricts what the endpoint lets through: only these actions, only on these tables. */
export interface EndpointPolicyScope {
  /** Table ARNs the VPC may reach through the endpoint (their indexes are included). */
  readonly tableArns: string[];
  /** DynamoDB actions allowed, e.g. `dynamodb:GetItem`. No wildcard. */
  readonly actions: string[];
}

/** Props of {@link DynamoDbGatewayEndpoint}. */
export interface DynamoDbGatewayEndpointProps {
  /** Name prefix for the `Name` tag. */
  readonly namePrefix: string;
  /** Region of the VPC; the service is `com.amazonaws.<region>.dynamodb`. */
  readonly region: string;
  /** VPC the endpoint belongs to. */
  readonly vpcId: string;
  /** Every private route table: each gets the prefix-list route through the endpoint. */
  readonly routeTableIds: string[];
  /**
   * Scope the endpoint policy to the system's tables and actions.
   * @default undefined: AWS's default policy (full access), which any principal's IAM policy still limits
   */
  readonly policyScope?: EndpointPolicyScope;
  /**
   * Apply `policyScope`; a Terraform expression lets the published module switch it at plan.
   * @default true (when policyScope is given)
   */
  readonly policyEnabled?: boolean;
  /**
   * Tags besides `Name`.
   * @default {}
   */
  readonly tags?: Record<string, string>;
}

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
    if (isLiteral(props.routeTableIds) && props.routeTableIds.length === 0) {
      throw new ConfigError('routeTableIds', 'is empty; the endpoint must be attached to every private route table');
    }
    this.serviceName = `com.amazonaws.${props.region}.dynamodb`;
    const endpoint = new VpcEndpoint(this, 'endpoint', {
      vpcId: props.vpcId,
      serviceName: this.serviceName,
      vpcEndpointType: 'Gateway',
      routeTableIds: props.routeTableIds,
      policy: props.policyScope ? scopedPolicy(props.policyScope, props.policyEnabled ?? true) : undefined,
      tags: tagsWithName(props.tags ?? {}, `${props.namePrefix}-dynamodb`),
    });
    this.endpointId = endpoint.id;
    this.prefixListId = endpoint.prefixListId;
  }
}

function scopedPolicy(scope: EndpointPolicyScope, enabled: boolean): string | undefined {
  if (enabled === false) return undefined;
  if (isLiteral(enabled)) return endpointPolicy(scope, false);
  // null keeps AWS's default policy when the switch is off.
  return Token.asString(Fn.conditional(enabled, endpointPolicy(scope, true), Token.nullValue()));
}

/** The policy document; `asExpression` always jsonencodes (a JSON string cannot sit inside a conditional). */
function endpointPolicy(scope: EndpointPolicyScope, asExpression: boolean): string {
  if (isLiteral(scope.actions)) {
    if (scope.actions.length === 0) {
      throw new ConfigError('policyScope.actions', 'is empty; list the DynamoDB actions the functions use');
    }
    const bad = scope.actions.filter((a) => !/^dynamodb:[A-Za-z]+$/.test(a));
    if (bad.length > 0) {
      throw new ConfigError('policyScope.actions', `${bad.join(', ')}: expected named DynamoDB actions like dynamodb:GetItem, no wildcards`);
    }
  }
  if (isLiteral(scope.tableArns) && scope.tableArns.length === 0) {
    throw new ConfigError('policyScope.tableArns', 'is empty; list the tables reachable through the endpoint');
  }
  const statement = (resources: string[]): PolicyStatement => ({ Sid: 'SystemTablesOnly', Effect: 'Allow', Principal: '*', Action: scope.actions, Resource: resources });
  if (!asExpression && isLiteral(scope.tableArns) && isLiteral(scope.actions)) {
    return policyJson(() => [statement(scope.tableArns.flatMap((arn) => [arn, `${arn}/index/*`]))]);
  }
  // A list that is itself a Terraform expression cannot be spelled out here: jsonencode it.
  return Fn.jsonencode({
    Version: '2012-10-17',
    Statement: [statement(isLiteral(scope.tableArns) ? scope.tableArns.flatMap((arn) => [arn, `${arn}/index/*`]) : Token.asList(Fn.concat([scope.tableArns, Fn.formatlist('%s/index/*', [scope.tableArns])])))],
  });
}
