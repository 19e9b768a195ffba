import { Construct } from 'constructs';
import { SecurityGroup, SecurityGroupConfig } from '@cdktf/provider-aws/lib/security-group';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { ConfigError } from '../private/config-error';
import { checkProps, PropSpec } from '../private/known-props';
import { awsRegion } from '../private/region';
import { isLiteral, tagsWithName } from '../private/tokens';
import { checkFramework } from '../private/framework';

/**
 * The AWS services an interface endpoint may be asked for, by the short name of
 * `com.amazonaws.<region>.<service>`: those a Lambda function in a private subnet typically
 * calls. Not here: `dynamodb` and `s3`, which have the free gateway endpoints. Whether a region
 * offers a service is not knowable offline; AWS refuses the endpoint at apply if it does not.
 */
export const INTERFACE_ENDPOINT_SERVICES = [
  'secretsmanager',
  'sqs',
  'sns',
  'kms',
  'sts',
  'ssm',
  'ssmmessages',
  'ec2messages',
  'logs',
  'monitoring',
  'events',
  'states',
  'lambda',
  'xray',
  'execute-api',
  'kinesis-streams',
  'kinesis-firehose',
  'rds-data',
  'appconfigdata',
  'ecr.api',
  'ecr.dkr',
  'bedrock-runtime',
  'sagemaker.runtime',
  'elasticache',
] as const;

/** One of {@link INTERFACE_ENDPOINT_SERVICES}. */
export type InterfaceEndpointService = (typeof INTERFACE_ENDPOINT_SERVICES)[number];

/** HTTPS: the only port the endpoints' group opens. */
export const ENDPOINT_HTTPS_PORT = 443;

/** Refuses an unknown or repeated service, naming `input` and the entry. */
export function checkInterfaceEndpoints(input: string, services: readonly string[]): void {
  if (!isLiteral(services)) return;
  if (!Array.isArray(services)) throw new ConfigError(input, `expected a list of service names like ["secretsmanager", "sqs"], got ${JSON.stringify(services)}`);
  for (const service of services) {
    if (!isLiteral(service)) continue;
    if (service === 'dynamodb' || service === 's3') {
      throw new ConfigError(`${input}.${service}`, `has a free gateway endpoint (${service === 's3' ? 's3GatewayEndpoint' : 'always on'}); an interface endpoint would add an hourly charge`);
    }
    if (!(INTERFACE_ENDPOINT_SERVICES as readonly string[]).includes(service)) {
      throw new ConfigError(`${input}.${service}`, `is not a known interface endpoint service; allowed: ${INTERFACE_ENDPOINT_SERVICES.join(', ')}`);
    }
  }
  const repeated = services.filter((s, i) => services.indexOf(s) !== i);
  if (repeated.length > 0) throw new ConfigError(`${input}.${repeated[0]}`, 'is listed twice; one endpoint per service');
}

/** The endpoints' shared security group, `<namePrefix>-endpoints`: no rule of its own (ingress is added per function). */
export function endpointSecurityGroupShape(namePrefix: string, vpcId: string, tags: Record<string, string>): SecurityGroupConfig {
  const name = `${namePrefix}-endpoints`;
  return {
    name,
    description: 'Interface VPC endpoints: HTTPS from the Lambda functions security groups only',
    vpcId,
    revokeRulesOnDelete: true,
    tags: tagsWithName(tags, name),
  };
}

/** Props of {@link InterfaceEndpoints}. */
export interface InterfaceEndpointsProps {
  /** Name prefix: the group is `<namePrefix>-endpoints`, each endpoint tagged `<namePrefix>-<service>`. */
  readonly namePrefix: string;
  /**
   * Region of the VPC; each service is `com.amazonaws.<region>.<service>`.
   * @default the stack's AWS provider's region
   */
  readonly region?: string;
  /** VPC the endpoints belong to. */
  readonly vpcId: string;
  /** The private subnets: one endpoint network interface in each (billed per AZ-hour). */
  readonly subnetIds: string[];
  /** Services by short name, from {@link INTERFACE_ENDPOINT_SERVICES}. */
  readonly services: string[];
  /**
   * Tags besides `Name`.
   * @default {}
   */
  readonly tags?: Record<string, string>;
}

const INTERFACE_ENDPOINTS_PROPS = {
  namePrefix: 'required',
  region: 'optional',
  vpcId: 'required',
  subnetIds: 'required',
  services: 'required',
  tags: 'optional',
} as const satisfies PropSpec<InterfaceEndpointsProps>;

/**
 * Interface VPC endpoints (PrivateLink) for AWS services a function without NAT must reach
 * (Secrets Manager, SQS, KMS, STS...): one per service in the private subnets, private DNS on
 * (the SDK's default hostname resolves to the endpoint), and one security group that admits
 * 443 only from the groups {@link allowFrom} names. Each costs per AZ-hour and per GB
 * (`npm run check` prices them). Policies are AWS's default: IAM limits each principal.
 */
export class InterfaceEndpoints extends Construct {
  /** The endpoints' security group id. */
  public readonly securityGroupId: string;
  /** The endpoint ids, by service. */
  public readonly endpointIds: Readonly<Record<string, string>>;
  private readonly sources = new Set<string>();

  constructor(scope: Construct, id: string, props: InterfaceEndpointsProps) {
    super(scope, id);
    checkFramework(this, 'InterfaceEndpoints');
    checkProps('', props, 'InterfaceEndpointsProps', INTERFACE_ENDPOINTS_PROPS);
    checkInterfaceEndpoints('services', props.services);
    if (!isLiteral(props.services)) throw new ConfigError('services', 'must be a literal list (the module takes interface_endpoints as a variable)');
    if (props.services.length === 0) throw new ConfigError('services', 'is empty; name at least one service, or create no InterfaceEndpoints');
    const tags = props.tags ?? {};
    const region = awsRegion(this, props.region);
    const group = new SecurityGroup(this, 'security_group', endpointSecurityGroupShape(props.namePrefix, props.vpcId, tags));
    this.securityGroupId = group.id;
    const ids: Record<string, string> = {};
    for (const service of props.services) {
      const endpoint = new VpcEndpoint(this, service.replace(/[^a-z0-9]/g, '_'), {
        vpcId: props.vpcId,
        serviceName: `com.amazonaws.${region}.${service}`,
        vpcEndpointType: 'Interface',
        privateDnsEnabled: true,
        subnetIds: props.subnetIds,
        securityGroupIds: [group.id],
        tags: tagsWithName(tags, `${props.namePrefix}-${service}`),
      });
      ids[service] = endpoint.id;
    }
    this.endpointIds = ids;
  }

  /**
   * Lets a function's security group reach the endpoints: 443 into the endpoints' group from
   * it, and 443 out of it to the endpoints' group. `id` names the rules (the function's key).
   */
  allowFrom(id: string, functionSecurityGroupId: string): void {
    if (this.sources.has(id)) return;
    this.sources.add(id);
    const https = { ipProtocol: 'tcp', fromPort: ENDPOINT_HTTPS_PORT, toPort: ENDPOINT_HTTPS_PORT };
    new VpcSecurityGroupIngressRule(this, `from_${id}`, { ...https, securityGroupId: this.securityGroupId, referencedSecurityGroupId: functionSecurityGroupId, description: `HTTPS from Lambda ${id}` });
    new VpcSecurityGroupEgressRule(this, `to_endpoints_${id}`, { ...https, securityGroupId: functionSecurityGroupId, referencedSecurityGroupId: this.securityGroupId, description: 'HTTPS to the interface VPC endpoints' });
  }
}
