import { Construct } from 'constructs';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { countWhen } from '../private/tokens';
import { dynamoDbHttpsEgress, FUNCTION_SECURITY_GROUP_DESCRIPTIONS, functionSecurityGroupShape, INTERNET_HTTPS_EGRESS } from './vpc-function-shape';
import { checkProps, PropSpec } from '../private/known-props';
import { checkFramework } from '../private/framework';

/** Props of {@link FunctionSecurityGroup}. */
export interface FunctionSecurityGroupProps {
  /** Name of the group. */
  readonly name: string;
  /** VPC of the group. */
  readonly vpcId: string;
  /** DynamoDB prefix list (from the gateway endpoint): the only HTTPS destination by default. */
  readonly dynamoDbPrefixListId: string;
  /**
   * Also allow HTTPS to anywhere: only meaningful, and only allowed, when NAT gives an internet path.
   * @default false
   */
  readonly allowInternetEgress?: boolean;
  /**
   * Tags besides `Name`.
   * @default {}
   */
  readonly tags?: Record<string, string>;
}

/** Every prop of {@link FunctionSecurityGroupProps}: unknown ones are refused (see checkProps). */
const FUNCTION_SECURITY_GROUP_PROPS = {
  name: 'required',
  vpcId: 'required',
  dynamoDbPrefixListId: 'required',
  allowInternetEgress: 'optional',
  tags: 'optional',
} as const satisfies PropSpec<FunctionSecurityGroupProps>;

/**
 * A function's security group: no ingress (Lambda is invoked through its API, never by
 * inbound connections) and egress only where the function must go. AWS's default
 * allow-all egress rule is removed by Terraform when it creates the group. The group and its
 * rules are described in vpc-function-shape.ts, which the module's functions share.
 */
export class FunctionSecurityGroup extends Construct {
  /** Id of the group. */
  public readonly securityGroupId: string;

  constructor(scope: Construct, id: string, props: FunctionSecurityGroupProps) {
    super(scope, id);
    checkFramework(this, 'FunctionSecurityGroup');
    checkProps('', props, 'FunctionSecurityGroupProps', FUNCTION_SECURITY_GROUP_PROPS);
    const tags = props.tags ?? {};
    const description = FUNCTION_SECURITY_GROUP_DESCRIPTIONS.constructs({ group: props.name });
    const group = new SecurityGroup(this, 'security_group', functionSecurityGroupShape({ name: props.name, description, vpcId: props.vpcId, tags }));
    this.securityGroupId = group.id;

    new VpcSecurityGroupEgressRule(this, 'dynamodb_https', { securityGroupId: group.id, ...dynamoDbHttpsEgress(props.dynamoDbPrefixListId) });
    const internet = props.allowInternetEgress ?? false;
    if (internet !== false) {
      new VpcSecurityGroupEgressRule(this, 'internet_https', { count: countWhen(internet), securityGroupId: group.id, ...INTERNET_HTTPS_EGRESS });
    }
  }

  /** Allows HTTPS egress to a prefix list (a gateway endpoint's, like S3's), once per `id`. */
  allowHttpsToPrefixList(id: string, prefixListId: string, description: string): void {
    if (this.node.tryFindChild(id)) return;
    new VpcSecurityGroupEgressRule(this, id, { securityGroupId: this.securityGroupId, description, ipProtocol: 'tcp', fromPort: 443, toPort: 443, prefixListId });
  }

  /** Allows egress to another security group on a port (e.g. PostgreSQL on 5432). */
  allowEgressTo(id: string, securityGroupId: string, port: number, description: string, enabled: boolean = true): void {
    if (enabled === false) return;
    new VpcSecurityGroupEgressRule(this, id, {
      count: countWhen(enabled),
      securityGroupId: this.securityGroupId,
      description,
      ipProtocol: 'tcp',
      fromPort: port,
      toPort: port,
      referencedSecurityGroupId: securityGroupId,
    });
  }
}
