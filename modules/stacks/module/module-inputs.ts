import { Fn, Op, ref, TerraformLocal, TerraformStack, Token, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { declareVariable, oneOf, onlyWhen } from './variable-validations';
import { allInside, cidrBounds, isNetworkCidr, noneOverlap } from './cidr-conditions';
import { FLOW_LOG_FORMATS } from '../../constructs/flow-logs';
import { LOG_RETENTION_DAYS } from '../../private/log-retention';
import { MAX_AVAILABILITY_ZONES, MIN_AVAILABILITY_ZONES, PUBLIC_SUBNET_SLOT_OFFSET, SUBNET_NEWBITS, VPC_PREFIX_RANGE } from '../../constructs/network';
import { NAT_MODES, NatMode } from '../../constructs/nat-gateways';
import { awsRegion, DEFAULT_MAX_AZS, REGION_IDS, regionZones } from '../../private/region';
import { asBoolean } from '../../private/tokens';
import { INTERFACE_ENDPOINT_SERVICES } from '../../constructs/interface-endpoints';

/**
 * The published module's inputs: one Terraform variable per per-environment choice, each
 * with a description, a type, a default and a `validation` that rejects at plan what the
 * constructs reject at synth, with a message naming the variable and what is allowed.
 */
export interface ModuleInputs {
  readonly namePrefix: string;
  /** The caller's AWS provider's region (`local.aws_region_name`); the `region` variable only cross-checks it. */
  readonly region: string;
  /** The given zones, or the region's first `max_availability_zones` (`local.azs`). */
  readonly availabilityZones: string[];
  readonly vpcCidr: string;
  readonly privateSubnetCidrs: string[];
  readonly publicSubnetCidrs: string[];
  readonly existingVpcId: string;
  readonly existingPrivateSubnetIds: string[];
  readonly existingPrivateRouteTableIds: string[];
  readonly natMode: NatMode;
  readonly flowLogsEnabled: boolean;
  readonly flowLogRetentionDays: number;
  readonly flowLogKmsKeyArn: string;
  /** `flow_log_format`: default or v5. */
  readonly flowLogFormat: string;
  readonly logKmsKeyArn: string;
  readonly accountId: string;
  readonly tags: Record<string, string>;
  /** Whether the S3 gateway endpoint exists: `s3_gateway_endpoint`, or (null) whether the VPC is created here. */
  readonly s3GatewayEndpoint: boolean;
  /** `var.interface_endpoints`: service short names. */
  readonly interfaceEndpoints: string[];
  /** Every declared variable, by name, for docs and tests. */
  readonly variables: Map<string, TerraformVariable>;
}

/** Declares the variables on `scope` (the module's stack) and returns their references. */
export function declareModuleInputs(scope: Construct): ModuleInputs {
  const variables = new Map<string, TerraformVariable>();
  const v = (name: string, config: ConstructorParameters<typeof TerraformVariable>[2]) => declareVariable(scope, variables, name, config);
  // The subnet CIDRs Network derives when a list is null.
  const derived = (offset: number) => `[for i in range(length(local.azs)) : cidrsubnet(var.vpc_cidr, ${SUBNET_NEWBITS}, i + ${offset})]`;
  // The CIDR blocks the validations compare, as numbers (cidr-conditions.ts), each a named local.
  const bounds = (name: string, list: string) => `local.${new TerraformLocal(scope, name, `\${${cidrBounds(list)}}`).friendlyUniqueId}`;

  const namePrefix = v('name_prefix', {
    type: 'string',
    default: 'vpc-lambda-dynamodb',
    description: 'Prefix of every resource name; 2 to 32 lowercase letters, digits and hyphens.',
    validation: [
      {
        condition: '${can(regex("^[a-z][a-z0-9-]{0,30}[a-z0-9]$", var.name_prefix))}',
        errorMessage: 'name_prefix must be 2 to 32 lowercase letters, digits and hyphens, starting with a letter.',
      },
    ],
  }).stringValue;

  // The region is the caller's AWS provider's (data "aws_region"); `region` only cross-checks it.
  const providerRegion = `local.${REGION_IDS.name}`;
  const region = awsRegion(scope, undefined);
  v('region', {
    type: 'string',
    default: Token.nullValue(),
    nullable: true,
    description: "Optional cross-check: the region you expect the caller's AWS provider to be in. The module reads the region from the provider (data \"aws_region\"); a different region here fails at plan. null: no check.",
    validation: [
      {
        condition: onlyWhen('var.region != null', 'can(regex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$", var.region))'),
        errorMessage: 'region must be an AWS region name like us-east-1.',
      },
      {
        condition: `\${var.region == null || var.region == ${providerRegion}}`,
        errorMessage: `region is \${coalesce(var.region, "null")} but the caller's AWS provider is in \${${providerRegion}}; leave region out (the module reads the provider's) or point the provider at \${coalesce(var.region, "null")}.`,
      },
    ],
  });

  const maxAzs = v('max_availability_zones', {
    type: 'number',
    default: DEFAULT_MAX_AZS,
    description: `How many of the region's availability zones to use when availability_zones is null: the first N by name (like CDK's maxAzs); ${MIN_AVAILABILITY_ZONES} to ${MAX_AVAILABILITY_ZONES}.`,
    validation: [
      {
        condition: `\${floor(var.max_availability_zones) == var.max_availability_zones && var.max_availability_zones >= ${MIN_AVAILABILITY_ZONES} && var.max_availability_zones <= ${MAX_AVAILABILITY_ZONES}}`,
        errorMessage: `max_availability_zones must be a whole number from ${MIN_AVAILABILITY_ZONES} to ${MAX_AVAILABILITY_ZONES}.`,
      },
    ],
  }).numberValue;

  // Inline, not a local: in a module call a local built from var.availability_zones would wait
  // for this very validation (a cycle).
  const outside = `[for az in coalesce(var.availability_zones, []) : az if !can(regex("^\${${providerRegion}}[a-z]$", az))]`;
  const givenZones = v('availability_zones', {
    type: 'list(string)',
    default: Token.nullValue(),
    nullable: true,
    description: `Availability zones, one private subnet and route table each; ${MIN_AVAILABILITY_ZONES} to ${MAX_AVAILABILITY_ZONES}, all in the AWS provider's region. null: the region's first max_availability_zones zones by name (data "aws_availability_zones", which calls EC2 at plan).`,
    validation: [
      {
        condition: onlyWhen('var.availability_zones != null', `length(var.availability_zones) >= ${MIN_AVAILABILITY_ZONES} && length(var.availability_zones) <= ${MAX_AVAILABILITY_ZONES}`),
        errorMessage: `availability_zones needs ${MIN_AVAILABILITY_ZONES} to ${MAX_AVAILABILITY_ZONES} zones.`,
      },
      {
        condition: onlyWhen('var.availability_zones != null', 'length(distinct(var.availability_zones)) == length(var.availability_zones)'),
        errorMessage: 'availability_zones lists a zone twice.',
      },
      {
        condition: `\${length(${outside}) == 0}`,
        // format(), not a template: the zone list is an expression the printer can lay out over lines.
        errorMessage: `\${format("availability_zones must all be in the AWS provider's region %s; outside it: %s.", ${providerRegion}, join(", ", ${outside}))}`,
      },
    ],
  });
  // The zones Terraform uses: the given ones, or the region's first max_availability_zones
  // (read only for a VPC the module creates: an adopted one needs none, and no EC2 call).
  const derivedZones = regionZones(scope, maxAzs, asBoolean(Op.and(Op.eq(givenZones.value, Token.nullValue()), Op.eq(ref('var.existing_vpc_id', TerraformStack.of(scope)), Token.nullValue()))));
  const availabilityZones = new TerraformLocal(scope, 'azs', Fn.conditional(Op.neq(givenZones.value, Token.nullValue()), givenZones.value, derivedZones)).asList;

  const vpcCidr = v('vpc_cidr', {
    type: 'string',
    default: '10.0.0.0/16',
    description: `CIDR of the created VPC, prefix /${VPC_PREFIX_RANGE.min} to /${VPC_PREFIX_RANGE.max}. Ignored when existing_vpc_id is set.`,
    validation: [
      {
        condition: `\${${isNetworkCidr('var.vpc_cidr')} && try(tonumber(split("/", var.vpc_cidr)[1]) >= ${VPC_PREFIX_RANGE.min} && tonumber(split("/", var.vpc_cidr)[1]) <= ${VPC_PREFIX_RANGE.max}, false)}`,
        errorMessage: `vpc_cidr must be an IPv4 network address with prefix /${VPC_PREFIX_RANGE.min} to /${VPC_PREFIX_RANGE.max}, like 10.0.0.0/16.`,
      },
    ],
  }).stringValue;

  const vpcBounds = bounds('vpc_cidr_bounds', '[var.vpc_cidr]');
  // A list's own blocks, inline in its validations (cidr-conditions.ts says why not a local).
  const givenBounds = {
    private_subnet_cidrs: cidrBounds('var.private_subnet_cidrs'),
    public_subnet_cidrs: cidrBounds('var.public_subnet_cidrs'),
  };
  // For the one check that compares both lists: the private blocks given or derived, the public ones derived.
  const privateOrDerivedBounds = bounds('private_subnet_bounds_or_derived', `coalesce(var.private_subnet_cidrs, ${derived(0)})`);
  const publicDerivedBounds = bounds('public_subnet_derived_bounds', derived(PUBLIC_SUBNET_SLOT_OFFSET));
  const subnetList = (name: 'private_subnet_cidrs' | 'public_subnet_cidrs', kind: string, slots: string) =>
    v(name, {
      type: 'list(string)',
      default: Token.nullValue(),
      nullable: true,
      description: `CIDR of each ${kind} subnet, one per availability zone, inside vpc_cidr and not overlapping. null derives them: cidrsubnet(vpc_cidr, 4, ${slots}).`,
      validation: [
        {
          condition: onlyWhen(`var.${name} != null`, `length(var.${name}) == length(local.azs)`),
          errorMessage: `${name} must have one block per availability zone.`,
        },
        {
          condition: onlyWhen(`var.${name} != null`, `alltrue([for c in var.${name} : ${isNetworkCidr('c')}])`),
          errorMessage: `${name} must hold IPv4 network addresses like 10.0.0.0/20.`,
        },
        {
          condition: onlyWhen(`var.${name} != null && ${isNetworkCidr('var.vpc_cidr')}`, `try(${allInside(givenBounds[name], vpcBounds)}, false)`),
          errorMessage: `${name} must lie inside vpc_cidr.`,
        },
        {
          // Only the public list's validation compares both lists (given or derived): both
          // validations referring to each other's variable would be a dependency cycle.
          condition:
            name === 'private_subnet_cidrs'
              ? onlyWhen('var.private_subnet_cidrs != null', `try(${noneOverlap(givenBounds.private_subnet_cidrs)}, false)`)
              : `\${try(${noneOverlap(`concat(var.public_subnet_cidrs != null ? ${givenBounds.public_subnet_cidrs} : ${publicDerivedBounds}, ${privateOrDerivedBounds})`)}, true)}`,
          errorMessage:
            name === 'private_subnet_cidrs'
              ? 'private_subnet_cidrs must not overlap each other.'
              : 'public_subnet_cidrs and private_subnet_cidrs (given, or derived when null) must not overlap.',
        },
      ],
    });
  const privateSubnetCidrs = subnetList('private_subnet_cidrs', 'private', 'i').listValue;
  const publicSubnetCidrs = subnetList('public_subnet_cidrs', 'public (NAT only)', '8 + i').listValue;

  const existingVpcId = v('existing_vpc_id', {
    type: 'string',
    default: Token.nullValue(),
    nullable: true,
    description: 'Adopt this VPC instead of creating one (null creates one). Give its private subnets and their route tables too.',
    validation: [
      {
        condition: onlyWhen('var.existing_vpc_id != null', 'can(regex("^vpc-[0-9a-f]{8}([0-9a-f]{9})?$", var.existing_vpc_id))'),
        errorMessage: 'existing_vpc_id must be a VPC id like vpc-0123456789abcdef0.',
      },
    ],
  }).stringValue;

  const existingPrivateSubnetIds = v('existing_private_subnet_ids', {
    type: 'list(string)',
    default: [],
    description: 'Private subnets of the adopted VPC the functions run in (at least 2, in different AZs).',
    validation: [
      {
        condition: onlyWhen('var.existing_vpc_id != null', `length(var.existing_private_subnet_ids) >= ${MIN_AVAILABILITY_ZONES}`),
        errorMessage: `existing_private_subnet_ids needs at least ${MIN_AVAILABILITY_ZONES} subnets when existing_vpc_id is set.`,
      },
      {
        condition: '${alltrue([for id in var.existing_private_subnet_ids : can(regex("^subnet-[0-9a-f]{8}([0-9a-f]{9})?$", id))])}',
        errorMessage: 'existing_private_subnet_ids must hold subnet ids like subnet-0123456789abcdef0.',
      },
    ],
  }).listValue;

  const existingPrivateRouteTableIds = v('existing_private_route_table_ids', {
    type: 'list(string)',
    default: [],
    description: 'Route tables of the adopted VPC\'s private subnets; the DynamoDB endpoint is attached to each.',
    validation: [
      {
        condition: onlyWhen('var.existing_vpc_id != null', 'length(var.existing_private_route_table_ids) >= 1'),
        errorMessage: 'existing_private_route_table_ids must list the private route tables when existing_vpc_id is set: the DynamoDB endpoint is attached to them.',
      },
      {
        condition: '${alltrue([for id in var.existing_private_route_table_ids : can(regex("^rtb-[0-9a-f]{8}([0-9a-f]{9})?$", id))])}',
        errorMessage: 'existing_private_route_table_ids must hold route table ids like rtb-0123456789abcdef0.',
      },
    ],
  }).listValue;

  const natMode = v('nat_mode', {
    type: 'string',
    default: 'none',
    description: 'NAT for internet egress: none (no internet path, $0), single (one gateway for all AZs) or per-az (one per AZ). DynamoDB needs none.',
    validation: [
      oneOf('nat_mode', NAT_MODES),
      {
        condition: '${var.existing_vpc_id == null || var.nat_mode == "none"}',
        errorMessage: 'nat_mode must be none when existing_vpc_id is set: an adopted VPC keeps its own internet path.',
      },
    ],
  }).stringValue as NatMode;

  const flowLogsEnabled = asBoolean(
    v('flow_logs_enabled', {
      type: 'bool',
      default: true,
      description: 'Create VPC flow logs (all traffic) to CloudWatch Logs.',
    }).booleanValue,
  );

  const flowLogRetentionDays = v('flow_log_retention_days', {
    type: 'number',
    default: 30,
    description: 'Days CloudWatch keeps the flow logs; one of the retention values CloudWatch accepts.',
    validation: [
      oneOf('flow_log_retention_days', LOG_RETENTION_DAYS),
    ],
  }).numberValue;

  const flowLogKmsKeyArn = v('flow_log_kms_key_arn', {
    type: 'string',
    default: Token.nullValue(),
    nullable: true,
    description: 'KMS key ARN to encrypt the flow log group (null: CloudWatch\'s own encryption).',
    validation: [
      {
        condition: onlyWhen('var.flow_log_kms_key_arn != null', 'can(regex("^arn:aws[a-z-]*:kms:", var.flow_log_kms_key_arn))'),
        errorMessage: 'flow_log_kms_key_arn must be a KMS key ARN (arn:aws:kms:...).',
      },
    ],
  }).stringValue;

  const flowLogFormat = v('flow_log_format', {
    type: 'string',
    default: 'default',
    description:
      'Flow-log record format: default (AWS\'s 14 fields) or v5 (those plus pkt-srcaddr, pkt-dstaddr, pkt-dst-aws-service, flow-direction, traffic-path: ' +
      'about 36% more bytes per record (109 to 148 characters on a sample DynamoDB record); lets verify --evidence flow-logs tell endpoint traffic from NAT traffic).',
    validation: [oneOf('flow_log_format', FLOW_LOG_FORMATS)],
  }).stringValue;

  const logKmsKeyArn = v('log_kms_key_arn', {
    type: 'string',
    default: Token.nullValue(),
    nullable: true,
    description:
      "KMS key ARN for the functions' and the database's log groups (null: CloudWatch's own encryption). Its key policy must let logs.<region>.amazonaws.com use it. The flow log group takes flow_log_kms_key_arn.",
    validation: [
      {
        condition: onlyWhen('var.log_kms_key_arn != null', 'can(regex("^arn:aws[a-z-]*:kms:", var.log_kms_key_arn))'),
        errorMessage: 'log_kms_key_arn must be a KMS key ARN (arn:aws:kms:...).',
      },
    ],
  }).stringValue;

  const accountId = v('account_id', {
    type: 'string',
    default: Token.nullValue(),
    nullable: true,
    description: 'Account id for the flow-log role trust (aws:SourceAccount). Needed only with existing_vpc_id and flow logs; a created VPC supplies its owner.',
    validation: [
      {
        condition: onlyWhen('var.account_id != null', 'can(regex("^[0-9]{12}$", var.account_id))'),
        errorMessage: 'account_id must be a 12-digit AWS account id.',
      },
      {
        condition: '${var.existing_vpc_id == null || !var.flow_logs_enabled || var.account_id != null}',
        errorMessage: 'account_id is required when existing_vpc_id is set and flow_logs_enabled is true: it scopes the flow-log role trust to your account.',
      },
    ],
  }).stringValue;

  v('s3_gateway_endpoint', {
    type: 'bool',
    default: Token.nullValue(),
    nullable: true,
    description:
      'The free S3 gateway endpoint on the private route tables; its policy follows endpoint_policy (system-tables: only the functions\' bucket_access, nothing when none). ' +
      'null (the default): on for a VPC the module creates, off for an adopted one (existing_vpc_id), whose route tables carry other workloads\' S3 traffic; true attaches it there too.',
  });
  const s3GatewayEndpoint = asBoolean(new TerraformLocal(scope, 's3_gateway_endpoint_enabled', '${var.s3_gateway_endpoint != null ? var.s3_gateway_endpoint : var.existing_vpc_id == null}').asBoolean);

  const unknownServices = `[for s in var.interface_endpoints : s if !contains(${JSON.stringify(INTERFACE_ENDPOINT_SERVICES)}, s)]`;
  const repeatedServices = '[for s in distinct(var.interface_endpoints) : s if length([for t in var.interface_endpoints : t if t == s]) > 1]';
  const interfaceEndpoints = v('interface_endpoints', {
    type: 'list(string)',
    default: [],
    description:
      'Interface VPC endpoints by service short name (com.amazonaws.<region>.<service>), like ["secretsmanager", "sqs"]: each in the private subnets with private DNS, ' +
      'behind one security group <name_prefix>-endpoints that admits 443 from the functions\' groups only. Billed per AZ-hour and per GB (npm run check prices them). ' +
      `Known services: ${INTERFACE_ENDPOINT_SERVICES.join(', ')} (dynamodb and s3 have the free gateway endpoints).`,
    validation: [
      {
        condition: `\${length(${unknownServices}) == 0}`,
        errorMessage: `\${format("interface_endpoints: %s not a known interface endpoint service; allowed: ${INTERFACE_ENDPOINT_SERVICES.join(', ')} (dynamodb and s3 have gateway endpoints).", join(", ", ${unknownServices}))}`,
      },
      {
        condition: `\${length(${repeatedServices}) == 0}`,
        errorMessage: `\${format("interface_endpoints: %s listed more than once; one endpoint per service.", join(", ", ${repeatedServices}))}`,
      },
    ],
  }).listValue;

  const tags = Token.asStringMap(
    v('tags', {
      type: 'map(string)',
      default: {},
      description: 'Tags added to every resource.',
    }).value,
  );
  return {
    namePrefix, region, availabilityZones, vpcCidr, privateSubnetCidrs, publicSubnetCidrs,
    existingVpcId, existingPrivateSubnetIds, existingPrivateRouteTableIds, natMode, flowLogsEnabled,
    flowLogRetentionDays, flowLogKmsKeyArn, flowLogFormat, logKmsKeyArn, accountId, tags,
    s3GatewayEndpoint, interfaceEndpoints, variables,
  };
}
