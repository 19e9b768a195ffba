import { Fn, TerraformIterator, TerraformLocal, TerraformVariableValidationConfig, Token } from 'cdktf';
import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { S3_BUCKET_ACTIONS, S3_BUCKET_ARN_PATTERN, S3_DATA_ACTIONS } from '../../constructs/s3-gateway-endpoint';
import { counted } from '../../private/tokens';
import { hclList, nestedValidation } from './variable-validations';
import { functionsWhere } from './module-function-subsets';

// A function's `bucket_access`, in the module: the `functions` field's rules, the role policy
// and the S3 egress of each function that declares some, and the S3 endpoint's policy derived
// from all of them. Kept apart from module-functions.ts: the grants are their own resources.

/** What `functions.<k>.bucket_access` is, for the `functions` description. */
export const BUCKET_ACCESS_DESCRIPTION =
  'bucket_access maps an S3 bucket ARN (arn:aws:s3:::<bucket>) to the exact S3 actions the function uses: bucket-level ones (ListBucket) are granted on the bucket, ' +
  'object ones (GetObject) on <arn>/*, and the function gets 443 to the S3 prefix list (the S3 gateway endpoint; without it, internet_egress through NAT).';

/** Per `bucket_access` entry `b => actions` of every function `k => f`. */
function perBucket(holds: string, message: string): TerraformVariableValidationConfig {
  return nestedValidation((item) => `flatten([for k, f in var.functions : [for b, actions in f.bucket_access : ${item}]])`, `try(${holds}, false)`, message);
}

/** The `functions` validations of `bucket_access`, in order; each message starts `functions.<k>.bucket_access.<b>: `. */
export function bucketAccessRules(): TerraformVariableValidationConfig[] {
  return [
    perBucket(`can(regex("${S3_BUCKET_ARN_PATTERN}", b))`, 'functions.${k}.bucket_access.${b}: not an S3 bucket ARN (arn:aws:s3:::<bucket>; no object path, no wildcard)'),
    perBucket('length(actions) > 0', 'functions.${k}.bucket_access.${b}: lists no action; name the S3 actions the function uses'),
    nestedValidation(
      (item) => `flatten([for k, f in var.functions : [for b, actions in f.bucket_access : [for a in actions : ${item}]]])`,
      `contains(${hclList(S3_DATA_ACTIONS)}, a)`,
      `functions.\${k}.bucket_access.\${b}: \${a} is not allowed; name actions from ${S3_DATA_ACTIONS.join(', ')} (no wildcards)`,
    ),
    perBucket(
      // local.s3_gateway_endpoint_enabled reads s3_gateway_endpoint and existing_vpc_id, not functions: no cycle.
      'local.s3_gateway_endpoint_enabled || f.internet_egress',
      'functions.${k}.bucket_access.${b}: needs a path to S3: s3_gateway_endpoint (off by default with existing_vpc_id; set it true) or internet_egress through NAT',
    ),
  ];
}

/** What bucket access needs from the rest of the module. */
export interface ModuleBucketAccessProps {
  readonly roles: IamRole;
  readonly securityGroups: SecurityGroup;
  /** Whether the S3 gateway endpoint exists (an expression). */
  readonly s3GatewayEndpoint: boolean;
  /** Its prefix list id (null when it does not exist). */
  readonly s3PrefixListId: string;
}

/**
 * Per function with `bucket_access`: an inline policy `bucket-access` (bucket-level actions on
 * the bucket, object actions on `<arn>/*`) and, when the S3 endpoint exists, 443 to its prefix
 * list. Returns the S3 endpoint's `system-tables` policy: the union of every declared action on
 * every declared bucket and its objects; with none declared, a policy that allows nothing.
 */
export function moduleBucketAccess(scope: Construct, props: ModuleBucketAccessProps): { endpointPolicyDocument: string } {
  const withBuckets = functionsWhere(scope, 'functions_with_bucket_access', 'length(f.bucket_access) > 0');
  const each = TerraformIterator.fromMap(withBuckets.asAnyMap);
  // A named local: the policy reads `local.s3_bucket_level_actions` rather than the list twice.
  const bucketLevel = `local.${new TerraformLocal(scope, 's3_bucket_level_actions', [...S3_BUCKET_ACTIONS]).friendlyUniqueId}`;
  const statement = (actions: string, resource: string) => `{ Effect = "Allow", Action = ${actions}, Resource = [${resource}] }`;
  const perBucket = [
    `length(setintersection(actions, ${bucketLevel})) > 0 ? [${statement(`sort(setintersection(actions, ${bucketLevel}))`, 'b')}] : []`,
    `length(setsubtract(actions, ${bucketLevel})) > 0 ? [${statement(`sort(setsubtract(actions, ${bucketLevel}))`, '"${b}/*"')}] : []`,
  ];
  new IamRolePolicy(scope, 'function_bucket_policy', {
    forEach: each,
    name: 'bucket-access',
    role: counted(props.roles, '[each.key].id'),
    policy: `\${jsonencode({ Version = "2012-10-17", Statement = flatten([for b, actions in each.value.bucket_access : concat(${perBucket.join(', ')})]) })}`,
  });
  new VpcSecurityGroupEgressRule(scope, 'function_s3_https', {
    forEach: TerraformIterator.fromMap(Token.asAnyMap(Fn.conditional(props.s3GatewayEndpoint, withBuckets.asAnyMap, {}))),
    securityGroupId: counted(props.securityGroups, '[each.key].id'),
    description: 'HTTPS to S3 through the gateway endpoint',
    ipProtocol: 'tcp',
    fromPort: 443,
    toPort: 443,
    prefixListId: props.s3PrefixListId,
  });

  const allActions = 'sort(distinct(flatten([for k, f in var.functions : values(f.bucket_access)])))';
  const allArns = 'sort(distinct(flatten([for k, f in var.functions : keys(f.bucket_access)])))';
  const denyAll = { Version: '2012-10-17', Statement: [{ Sid: 'NoBucketAccessDeclared', Effect: 'Deny', Principal: '*', Action: ['s3:*'], Resource: ['*'] }] };
  const allowDeclared = `{ Version = "2012-10-17", Statement = [{ Sid = "SystemBucketsOnly", Effect = "Allow", Principal = "*", Action = ${allActions}, Resource = flatten([for b in ${allArns} : [b, "\${b}/*"]]) }] }`;
  return { endpointPolicyDocument: `length(${allActions}) == 0 ? jsonencode(${JSON.stringify(denyAll)}) : jsonencode(${allowDeclared})` };
}
