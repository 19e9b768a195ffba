import { Construct } from 'constructs';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { ConfigError } from '../private/config-error';
import { checkProps, PropSpec } from '../private/known-props';
import { EndpointPolicy } from './endpoint-policy';
import { awsRegion } from '../private/region';
import { PolicyStatement } from '../private/iam-statements';
import { countedOne, countWhen, isLiteral, tagsWithName } from '../private/tokens';
import { checkFramework } from '../private/framework';
import type { VpcFunction } from './vpc-function';

/** S3 actions on a bucket itself: granted on the bucket ARN. */
export const S3_BUCKET_ACTIONS = ['s3:ListBucket', 's3:ListBucketVersions', 's3:ListBucketMultipartUploads', 's3:GetBucketLocation'] as const;
/** S3 actions on objects: granted on `<bucket ARN>/*`. */
export const S3_OBJECT_ACTIONS = [
  's3:GetObject',
  's3:GetObjectVersion',
  's3:GetObjectAttributes',
  's3:GetObjectTagging',
  's3:PutObject',
  's3:PutObjectTagging',
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:AbortMultipartUpload',
  's3:ListMultipartUploadParts',
  's3:RestoreObject',
] as const;
/** Every S3 action `bucketAccess` / `bucket_access` accepts: named data actions, no wildcards, nothing that changes a bucket's configuration. */
export const S3_DATA_ACTIONS: readonly string[] = [...S3_BUCKET_ACTIONS, ...S3_OBJECT_ACTIONS];
/** One of {@link S3_DATA_ACTIONS}. */
export type S3Action = (typeof S3_BUCKET_ACTIONS)[number] | (typeof S3_OBJECT_ACTIONS)[number];
/** A bucket ARN (never an object ARN or a wildcard): `arn:aws:s3:::<bucket>`. */
export const S3_BUCKET_ARN_PATTERN = '^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$';

/** Refuses a bucket ARN or actions `bucketAccess` cannot grant, naming `input` (`functions.api.bucketAccess.<arn>`). */
export function checkBucketAccess(input: string, bucketArn: string, actions: readonly string[]): void {
  if (isLiteral(bucketArn) && !new RegExp(S3_BUCKET_ARN_PATTERN).test(bucketArn)) {
    throw new ConfigError(input, `"${bucketArn}" is not an S3 bucket ARN (arn:aws:s3:::<bucket>; no object path, no wildcard)`);
  }
  if (!Array.isArray(actions) || actions.length === 0) throw new ConfigError(input, 'lists no action; name the S3 actions the function uses');
  const bad = actions.filter((a) => isLiteral(a) && !S3_DATA_ACTIONS.includes(a));
  if (bad.length > 0) throw new ConfigError(input, `${bad.join(', ')} not allowed; name actions from ${S3_DATA_ACTIONS.join(', ')} (no wildcards)`);
}

/**
 * The role statements of a bucket grant: bucket-level actions on the bucket, object actions
 * on `<arn>/*`, each statement only when it has an action.
 */
export function bucketAccessStatements(bucketArn: string, actions: readonly string[]): PolicyStatement[] {
  const onBucket = actions.filter((a) => (S3_BUCKET_ACTIONS as readonly string[]).includes(a));
  const onObjects = actions.filter((a) => !(S3_BUCKET_ACTIONS as readonly string[]).includes(a));
  return [
    ...(onBucket.length > 0 ? [{ Effect: 'Allow' as const, Action: onBucket, Resource: [bucketArn] }] : []),
    ...(onObjects.length > 0 ? [{ Effect: 'Allow' as const, Action: onObjects, Resource: [`${bucketArn}/*`] }] : []),
  ];
}

/**
 * The S3 endpoint policy of `system-tables`: every granted action on every granted bucket and
 * its objects; with no grant, nothing (a Deny: the endpoint carries no S3 traffic).
 */
export function bucketEndpointStatements(grants: ReadonlyArray<{ readonly bucketArn: string; readonly actions: readonly string[] }>): PolicyStatement[] {
  if (grants.length === 0) return [{ Sid: 'NoBucketAccessDeclared', Effect: 'Deny', Principal: '*', Action: ['s3:*'], Resource: ['*'] }];
  const arns = [...new Set(grants.map((g) => g.bucketArn))];
  const actions = [...new Set(grants.flatMap((g) => g.actions))].sort();
  return [{ Sid: 'SystemBucketsOnly', Effect: 'Allow', Principal: '*', Action: actions, Resource: arns.flatMap((arn) => [arn, `${arn}/*`]) }];
}

/** Props of {@link S3GatewayEndpoint}: those of the DynamoDB one, and a switch. */
export interface S3GatewayEndpointProps {
  /** Name prefix for the `Name` tag (`<namePrefix>-s3`). */
  readonly namePrefix: string;
  /**
   * Region of the VPC; the service is `com.amazonaws.<region>.s3`.
   * @default the stack's AWS provider's region (`data "aws_region"` when it is not a literal)
   */
  readonly region?: string;
  /** VPC the endpoint belongs to. */
  readonly vpcId: string;
  /** Every private route table: each gets the S3 prefix-list route through the endpoint. */
  readonly routeTableIds: string[];
  /**
   * What the endpoint lets through.
   * @default EndpointPolicy.open(): AWS's default (full access), which every principal's IAM policy still limits
   */
  readonly policy?: EndpointPolicy;
  /**
   * Create the endpoint; may be a Terraform expression (the module's `s3_gateway_endpoint`).
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Tags besides `Name`.
   * @default {}
   */
  readonly tags?: Record<string, string>;
}

/** Every prop of {@link S3GatewayEndpointProps}: unknown ones are refused (see checkProps). */
const S3_ENDPOINT_PROPS = {
  namePrefix: 'required',
  region: 'optional',
  vpcId: 'required',
  routeTableIds: 'required',
  policy: 'optional',
  enabled: 'optional',
  tags: 'optional',
} as const satisfies PropSpec<S3GatewayEndpointProps>;

/**
 * The free gateway VPC endpoint for S3, the sibling of {@link DynamoDbGatewayEndpoint}: on the
 * same private route tables, it adds a route from S3's prefix list to the endpoint, so a
 * function reaches its buckets (same region) with no NAT. Functions still need 443 egress to
 * {@link prefixListId} (`bucketAccess` opens it) and IAM grants; the policy limits what any
 * principal in the VPC can do through it.
 */
export class S3GatewayEndpoint extends Construct {
  /** Whether the endpoint exists (a literal, or a Terraform expression). */
  public readonly enabled: boolean;
  /** The endpoint id (`vpce-...`); null in Terraform when not enabled. */
  public readonly endpointId: string;
  /** The S3 prefix list id (`pl-...`): the destination of the route, and of a function's 443 egress. */
  public readonly prefixListId: string;
  /** The service name, `com.amazonaws.<region>.s3`. */
  public readonly serviceName: string;

  constructor(scope: Construct, id: string, props: S3GatewayEndpointProps) {
    super(scope, id);
    checkFramework(this, 'S3GatewayEndpoint');
    checkProps('', props, 'S3GatewayEndpointProps', S3_ENDPOINT_PROPS);
    if (isLiteral(props.routeTableIds) && props.routeTableIds.length === 0) {
      throw new ConfigError('routeTableIds', 'is empty; the endpoint must be attached to every private route table');
    }
    this.enabled = props.enabled ?? true;
    this.serviceName = `com.amazonaws.${awsRegion(this, props.region)}.s3`;
    if (this.enabled === false) {
      this.endpointId = '';
      this.prefixListId = '';
      return;
    }
    const endpoint = new VpcEndpoint(this, 'endpoint', {
      count: isLiteral(this.enabled) ? undefined : countWhen(this.enabled),
      vpcId: props.vpcId,
      serviceName: this.serviceName,
      vpcEndpointType: 'Gateway',
      routeTableIds: props.routeTableIds,
      policy: props.policy?.document(),
      tags: tagsWithName(props.tags ?? {}, `${props.namePrefix}-s3`),
    });
    const single = isLiteral(this.enabled);
    this.endpointId = single ? endpoint.id : countedOne(endpoint, 'id');
    this.prefixListId = single ? endpoint.prefixListId : countedOne(endpoint, 'prefix_list_id');
  }

  /**
   * Grants a function `actions` on a bucket (its role: {@link VpcFunction.addBucketAccess}) and
   * opens its security group's 443 egress to S3's prefix list, through this endpoint.
   */
  grantBucketAccess(grantee: VpcFunction, bucketArn: string, actions: S3Action[]): void {
    grantee.addBucketAccess(bucketArn, actions);
    if (this.enabled === false) return;
    grantee.securityGroup.allowHttpsToPrefixList('s3_https', this.prefixListId, 'HTTPS to S3 through the gateway endpoint');
  }
}
