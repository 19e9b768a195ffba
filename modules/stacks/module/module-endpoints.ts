import { Fn, ref, TerraformIterator, TerraformLocal, TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { ENDPOINT_HTTPS_PORT, endpointSecurityGroupShape } from '../../constructs/interface-endpoints';
import { counted, tagsWithName } from '../../private/tokens';

/** What the interface endpoints need from the rest of the module. */
export interface ModuleInterfaceEndpointsProps {
  readonly namePrefix: string;
  readonly region: string;
  readonly vpcId: string;
  readonly privateSubnetIds: string[];
  /** The functions' security groups (for_each over var.functions). */
  readonly functionSecurityGroups: SecurityGroup;
  readonly tags: Record<string, string>;
}

/** The module's interface endpoints, for outputs and tests. */
export interface ModuleInterfaceEndpoints {
  readonly endpoints: VpcEndpoint;
  readonly securityGroup: SecurityGroup;
}

/**
 * `var.interface_endpoints` as resources, the way terraform-aws-modules/vpc's `vpc-endpoints`
 * and CDK's `addInterfaceEndpoint` build them: one `aws_vpc_endpoint.interface` per service
 * (Interface, private DNS, every private subnet), one shared group `<name_prefix>-endpoints`,
 * 443 into it from each function's group (one rule per function, by group reference) and 443
 * out of each function's group to it. With no service listed, none of these exist.
 */
export function moduleInterfaceEndpoints(scope: Construct, props: ModuleInterfaceEndpointsProps): ModuleInterfaceEndpoints {
  const any = new TerraformLocal(scope, 'interface_endpoints_enabled', '${length(var.interface_endpoints) > 0}');
  const securityGroup = new SecurityGroup(scope, 'endpoints', {
    count: Token.asNumber(Fn.conditional(any.asBoolean, 1, 0)),
    ...endpointSecurityGroupShape(props.namePrefix, props.vpcId, props.tags),
  });
  const groupId = counted(securityGroup, '[0].id');
  const variable = (name: string) => ref(`var.${name}`, TerraformStack.of(scope));
  const each = TerraformIterator.fromList(Token.asList(variable('interface_endpoints')));
  const endpoints = new VpcEndpoint(scope, 'interface', {
    forEach: each,
    vpcId: props.vpcId,
    serviceName: `com.amazonaws.${props.region}.${each.value}`,
    vpcEndpointType: 'Interface',
    privateDnsEnabled: true,
    subnetIds: props.privateSubnetIds,
    securityGroupIds: [groupId],
    tags: tagsWithName(props.tags, `${props.namePrefix}-${each.value}`),
  });
  const functions = TerraformIterator.fromMap(Token.asAnyMap(Fn.conditional(any.asBoolean, variable('functions'), {})));
  const functionGroup = counted(props.functionSecurityGroups, '[each.key].id');
  const https = { ipProtocol: 'tcp', fromPort: ENDPOINT_HTTPS_PORT, toPort: ENDPOINT_HTTPS_PORT };
  new VpcSecurityGroupIngressRule(scope, 'endpoints_from_function', {
    forEach: functions,
    ...https,
    securityGroupId: groupId,
    referencedSecurityGroupId: functionGroup,
    description: `HTTPS from Lambda ${props.namePrefix}-${functions.key}`,
  });
  new VpcSecurityGroupEgressRule(scope, 'function_endpoints_https', {
    forEach: functions,
    ...https,
    securityGroupId: functionGroup,
    referencedSecurityGroupId: groupId,
    description: 'HTTPS to the interface VPC endpoints',
  });
  return { endpoints, securityGroup };
}
