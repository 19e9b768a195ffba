import { Fn, Op, TerraformCount, Token } from 'cdktf';
import { Construct } from 'constructs';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Cidr, cidrSubnet, contains, overlaps, parseCidr } from '../private/cidr';
import { ConfigError } from '../private/config-error';
import { checkProps, PropSpec } from '../private/known-props';
import { awsRegion, DEFAULT_MAX_AZS, regionZones } from '../private/region';
import { asBoolean, choose, countWhen, counted, countedList, countedOne, isLiteral, lengthOf, tagsWithName } from '../private/tokens';
import { checkFramework } from '../private/framework';

/** Fewest AZs a network may span: Lambda and RDS both want two for availability. */
export const MIN_AVAILABILITY_ZONES = 2;
/** Most AZs: derived subnets use slots 0..5 (private) and 8..13 (public) of a /4 split. */
export const MAX_AVAILABILITY_ZONES = 6;
/** Bits added to the VPC prefix for each derived subnet (a /16 VPC gives /20 subnets). */
export const SUBNET_NEWBITS = 4;
/** Slot of the first derived public subnet, leaving room for six private ones before it. */
export const PUBLIC_SUBNET_SLOT_OFFSET = 8;
/** VPC prefixes that leave derived subnets at least the /28 AWS requires. */
export const VPC_PREFIX_RANGE = { min: 16, max: 24 } as const;

/** An existing VPC to adopt instead of creating one. */
export interface ExistingVpcProps {
  /** Id of the VPC, e.g. `vpc-0abc...`. */
  readonly vpcId: string;
  /** Private subnets the functions run in (at least two, in different AZs). */
  readonly privateSubnetIds: string[];
  /** Route tables of those subnets; the DynamoDB endpoint is attached to each. */
  readonly privateRouteTableIds: string[];
}

/** Subnets a function may be placed in, and whether they are public (route to an internet gateway). */
export interface SubnetGroup {
  /** Subnet ids. */
  readonly subnetIds: string[];
  /** True when the subnets' route table sends 0.0.0.0/0 to an internet gateway. */
  readonly public: boolean;
}

/** Props of {@link Network}. */
export interface NetworkProps {
  /** Name prefix of every resource (`<prefix>-private-us-east-1a`). */
  readonly namePrefix: string;
  /**
   * AWS region; every availability zone must belong to it. A region other than the stack's
   * AWS provider's is refused at synth.
   * @default the stack's AWS provider's region (`data "aws_region"` when it is not a literal)
   */
  readonly region?: string;
  /**
   * Availability zones, one private subnet and route table each. Between 2 and 6, all in the region.
   * @default the region's first `maxAzs` zones by name (`data "aws_availability_zones"`, read at plan)
   */
  readonly availabilityZones?: string[];
  /**
   * How many of the region's zones to use when `availabilityZones` is not given (CDK's `maxAzs`). 2 to 6.
   * @default 2
   */
  readonly maxAzs?: number;
  /**
   * CIDR of the created VPC, prefix /16 to /24.
   * @default '10.0.0.0/16'
   */
  readonly vpcCidr?: string;
  /**
   * CIDR of each private subnet, one per AZ, inside the VPC and not overlapping.
   * @default derived: cidrsubnet(vpcCidr, 4, i)
   */
  readonly privateSubnetCidrs?: string[];
  /**
   * CIDR of each public subnet (created only with NAT), inside the VPC and not overlapping.
   * @default derived: cidrsubnet(vpcCidr, 4, 8 + i)
   */
  readonly publicSubnetCidrs?: string[];
  /**
   * Adopt this VPC instead of creating one. A token `vpcId` that is null at plan time
   * creates the VPC (the published module's `existing_vpc_id = null`).
   * @default undefined: a new VPC is created
   */
  readonly existingVpc?: ExistingVpcProps;
  /**
   * Tags on every resource, besides `Name`.
   * @default {} (the deploy stack tags through the provider's default_tags)
   */
  readonly tags?: Record<string, string>;
}

/**
 * The private network: a VPC (created, or adopted by id) with one private subnet and one
 * route table per AZ. Private route tables get no internet route here; the DynamoDB
 * gateway endpoint and, when asked for, NAT add theirs.
 */
export class Network extends Construct {
  /** Id of the VPC, created or adopted. */
  public readonly vpcId: string;
  /** Private subnet ids, one per AZ. */
  public readonly privateSubnetIds: string[];
  /** The private subnets as a placement for functions. */
  public get privateSubnets(): SubnetGroup {
    return { subnetIds: this.privateSubnetIds, public: false };
  }
  /** Private route table ids; every one must carry the DynamoDB endpoint route. */
  public readonly privateRouteTableIds: string[];
  /** How many private route tables there are (a number, or an expression in the module). */
  public readonly privateRouteTableCount: number;
  /** Availability zones the network spans. */
  public readonly availabilityZones: string[];
  /** The region (a literal, or a Terraform expression when only the provider knows it). */
  public readonly region: string;
  /** Whether this construct creates the VPC (false when adopting). */
  public readonly createsVpc: boolean;
  /** CIDR of the public subnet with a given index, should NAT need one (created VPC only). */
  public readonly publicSubnetCidr: (index: number) => string;
  /** CIDR of the created VPC. */
  public readonly vpcCidr: string;
  /** Account that owns a created VPC (`owner_id`); undefined for an adopted one. */
  public readonly ownerAccountId?: string;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    checkFramework(this, 'Network');
    checkProps('', props, 'NetworkProps', NETWORK_PROPS);
    if (props.existingVpc !== undefined) checkProps('existingVpc', props.existingVpc, 'ExistingVpcProps', EXISTING_VPC_PROPS);
    const tags = props.tags ?? {};
    const region = awsRegion(this, props.region);
    if (props.maxAzs !== undefined && (!Number.isInteger(props.maxAzs) || props.maxAzs < MIN_AVAILABILITY_ZONES || props.maxAzs > MAX_AVAILABILITY_ZONES)) {
      throw new ConfigError('maxAzs', `${props.maxAzs} is not a whole number from ${MIN_AVAILABILITY_ZONES} to ${MAX_AVAILABILITY_ZONES}`);
    }
    const azs = props.availabilityZones ?? regionZones(this, props.maxAzs ?? DEFAULT_MAX_AZS);
    const vpcCidr = props.vpcCidr ?? '10.0.0.0/16';
    validateAvailabilityZones(region, azs);
    this.region = region;
    if (props.existingVpc) validateExistingVpc(props.existingVpc);

    this.availabilityZones = azs;
    this.vpcCidr = vpcCidr;
    const existingId = props.existingVpc?.vpcId;
    // Adopting a literal id is decided now; a token id may be null, and then the VPC is created.
    this.createsVpc =
      existingId === undefined
        ? true
        : isLiteral(existingId)
          ? false
          : asBoolean(Op.eq(existingId, Token.nullValue()));

    const planned = planSubnets(vpcCidr, azs, props.privateSubnetCidrs, props.publicSubnetCidrs);
    this.publicSubnetCidr = planned.publicCidr;

    const existing = props.existingVpc;
    if (existing && this.createsVpc === false) {
      // Adopting a literal id: nothing is created, the given ids are the network.
      this.vpcId = existing.vpcId;
      this.privateSubnetIds = existing.privateSubnetIds;
      this.privateRouteTableIds = existing.privateRouteTableIds;
      this.privateRouteTableCount = lengthOf(existing.privateRouteTableIds);
      this.ownerAccountId = undefined;
      return;
    }

    const vpc = new Vpc(this, 'vpc', {
      count: countWhen(this.createsVpc),
      cidrBlock: vpcCidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: tagsWithName(tags, props.namePrefix),
    });
    const createdVpcId = counted(vpc, '[0].id');

    // A created VPC's default security group is emptied: nothing should rely on it.
    new DefaultSecurityGroup(this, 'default_security_group', {
      count: countWhen(this.createsVpc),
      vpcId: createdVpcId,
      ingress: [],
      egress: [],
      tags: tagsWithName(tags, `${props.namePrefix}-default-deny-all`),
    });

    const perAz = TerraformCount.of(countWhen(this.createsVpc, lengthOf(azs)));
    const az = Fn.element(azs, perAz.index);
    const subnets = new Subnet(this, 'private', {
      count: perAz,
      vpcId: createdVpcId,
      availabilityZone: az,
      cidrBlock: planned.privateCidr(perAz.index),
      mapPublicIpOnLaunch: false,
      tags: tagsWithName(tags, `${props.namePrefix}-private-${az}`),
    });

    const routeTableCount = TerraformCount.of(countWhen(this.createsVpc, lengthOf(azs)));
    const routeTables = new RouteTable(this, 'private_route_table', {
      count: routeTableCount,
      vpcId: createdVpcId,
      tags: tagsWithName(tags, `${props.namePrefix}-private-${Fn.element(azs, routeTableCount.index)}`),
    });

    const associationCount = TerraformCount.of(countWhen(this.createsVpc, lengthOf(azs)));
    new RouteTableAssociation(this, 'private_route_table_association', {
      count: associationCount,
      subnetId: counted(subnets, '[count.index].id'),
      routeTableId: counted(routeTables, '[count.index].id'),
    });

    this.ownerAccountId = existing ? countedOne(vpc, 'owner_id') : counted(vpc, '[0].owner_id');
    this.vpcId = existing ? choose(this.createsVpc, countedOne(vpc, 'id'), existing.vpcId) : createdVpcId;
    this.privateSubnetIds = existing
      ? choose(this.createsVpc, countedList(subnets, 'id'), existing.privateSubnetIds)
      : countedList(subnets, 'id');
    this.privateRouteTableIds = existing
      ? choose(this.createsVpc, countedList(routeTables, 'id'), existing.privateRouteTableIds)
      : countedList(routeTables, 'id');
    this.privateRouteTableCount = existing
      ? Token.asNumber(Fn.conditional(this.createsVpc, lengthOf(azs), lengthOf(existing.privateRouteTableIds)))
      : lengthOf(azs);
  }
}

/** Every prop of {@link NetworkProps}: unknown ones are refused (see checkProps). */
const NETWORK_PROPS = {
  namePrefix: 'required',
  region: 'optional',
  availabilityZones: 'optional',
  maxAzs: 'optional',
  vpcCidr: 'optional',
  privateSubnetCidrs: 'optional',
  publicSubnetCidrs: 'optional',
  existingVpc: 'optional',
  tags: 'optional',
} as const satisfies PropSpec<NetworkProps>;
/** Every prop of {@link ExistingVpcProps}. */
export const EXISTING_VPC_PROPS = { vpcId: 'required', privateSubnetIds: 'required', privateRouteTableIds: 'required' } as const satisfies PropSpec<ExistingVpcProps>;

function validateAvailabilityZones(region: string, azs: string[]): void {
  if (!isLiteral(azs)) return;
  if (!Array.isArray(azs) || azs.length < MIN_AVAILABILITY_ZONES || azs.length > MAX_AVAILABILITY_ZONES) {
    throw new ConfigError(
      'availabilityZones',
      `needs ${MIN_AVAILABILITY_ZONES} to ${MAX_AVAILABILITY_ZONES} availability zones, got ${Array.isArray(azs) ? azs.length : typeof azs}`,
    );
  }
  if (new Set(azs).size !== azs.length) {
    throw new ConfigError('availabilityZones', `lists a zone twice: ${azs.join(', ')}`);
  }
  if (!isLiteral(region)) return;
  const zone = new RegExp(`^${region.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[a-z]$`);
  const outside = azs.filter((a) => !zone.test(a));
  if (outside.length > 0) {
    throw new ConfigError(
      'availabilityZones',
      `${outside.join(', ')} ${outside.length === 1 ? 'is' : 'are'} not in region ${region}; expected names like ${region}a, ${region}b`,
    );
  }
}

function validateExistingVpc(existing: ExistingVpcProps): void {
  const idShape = (prefix: string) => new RegExp(`^${prefix}-[0-9a-f]{8}([0-9a-f]{9})?$`);
  if (isLiteral(existing.vpcId) && !idShape('vpc').test(existing.vpcId)) {
    throw new ConfigError('existingVpc.vpcId', `"${existing.vpcId}" is not a VPC id; expected vpc- followed by 8 or 17 hex digits`);
  }
  if (isLiteral(existing.privateRouteTableIds)) {
    if (existing.privateRouteTableIds.length === 0) {
      throw new ConfigError(
        'existingVpc.privateRouteTableIds',
        'is empty; give the route table of every private subnet so the DynamoDB endpoint can be attached to it',
      );
    }
    const bad = existing.privateRouteTableIds.filter((id) => !idShape('rtb').test(id));
    if (bad.length > 0) {
      throw new ConfigError('existingVpc.privateRouteTableIds', `${bad.join(', ')} not route table ids (rtb-...)`);
    }
  }
  if (isLiteral(existing.privateSubnetIds)) {
    if (existing.privateSubnetIds.length < MIN_AVAILABILITY_ZONES) {
      throw new ConfigError(
        'existingVpc.privateSubnetIds',
        `needs at least ${MIN_AVAILABILITY_ZONES} private subnets in different AZs, got ${existing.privateSubnetIds.length}`,
      );
    }
    const bad = existing.privateSubnetIds.filter((id) => !idShape('subnet').test(id));
    if (bad.length > 0) {
      throw new ConfigError('existingVpc.privateSubnetIds', `${bad.join(', ')} not subnet ids (subnet-...)`);
    }
  }
}

interface SubnetPlan {
  /** CIDR of private subnet `index` (a number or `count.index`). */
  readonly privateCidr: (index: number) => string;
  /** CIDR of public subnet `index`. */
  readonly publicCidr: (index: number) => string;
}

/**
 * Private and public subnet CIDRs: given ones are checked (inside the VPC, no overlap),
 * missing ones derived with `cidrsubnet`. When the VPC CIDR is a Terraform expression,
 * Terraform derives them and the module's validation blocks check them.
 */
function planSubnets(vpcCidr: string, azs: string[], privateCidrs?: string[], publicCidrs?: string[]): SubnetPlan {
  if (!isLiteral(vpcCidr) || !isLiteral(azs)) {
    const pick = (given: string[] | undefined, offset: number) => (index: number) => {
      const derived = Fn.cidrsubnet(vpcCidr, SUBNET_NEWBITS, offset === 0 ? index : Token.asNumber(Op.add(index, offset)));
      // A given list may be null at plan (the module's default): try() falls back to deriving.
      return given ? Token.asString(Fn.try([Fn.element(given, index), derived])) : derived;
    };
    return { privateCidr: pick(privateCidrs, 0), publicCidr: pick(publicCidrs, PUBLIC_SUBNET_SLOT_OFFSET) };
  }
  const vpc = parseCidr('vpcCidr', vpcCidr);
  if (vpc.prefix < VPC_PREFIX_RANGE.min || vpc.prefix > VPC_PREFIX_RANGE.max) {
    throw new ConfigError(
      'vpcCidr',
      `"${vpcCidr}" has prefix /${vpc.prefix}; allowed /${VPC_PREFIX_RANGE.min} to /${VPC_PREFIX_RANGE.max}`,
    );
  }
  const privatePlan = checkOrDerive('privateSubnetCidrs', vpc, azs.length, privateCidrs, 0);
  const publicPlan = checkOrDerive('publicSubnetCidrs', vpc, azs.length, publicCidrs, PUBLIC_SUBNET_SLOT_OFFSET);
  const all = [...privatePlan.map((c) => ['privateSubnetCidrs', c] as const), ...publicPlan.map((c) => ['publicSubnetCidrs', c] as const)];
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      const [inputA, a] = all[i];
      const [inputB, b] = all[j];
      if (overlaps(a, b)) {
        throw new ConfigError(inputB, `${b.text} overlaps ${a.text} (${inputA}); subnets must not share addresses`);
      }
    }
  }
  const texts = (plan: Cidr[]) => plan.map((c) => c.text);
  return {
    privateCidr: (index) => Token.asString(Fn.element(texts(privatePlan), index)),
    publicCidr: (index) => Token.asString(Fn.element(texts(publicPlan), index)),
  };
}

function checkOrDerive(input: string, vpc: Cidr, azCount: number, given: string[] | undefined, slotOffset: number): Cidr[] {
  if (given === undefined) {
    return Array.from({ length: azCount }, (_, i) => parseCidr(input, cidrSubnet(vpc, SUBNET_NEWBITS, slotOffset + i)));
  }
  if (!isLiteral(given)) {
    throw new ConfigError(input, 'must be a literal list when vpcCidr is a literal');
  }
  if (given.length !== azCount) {
    throw new ConfigError(input, `has ${given.length} blocks but there are ${azCount} availability zones; give one per zone`);
  }
  return given.map((text, i) => {
    const cidr = parseCidr(`${input}[${i}]`, text);
    if (!contains(vpc, cidr)) {
      throw new ConfigError(`${input}[${i}]`, `${text} is outside the VPC ${vpc.text}`);
    }
    if (cidr.prefix > 28) {
      throw new ConfigError(`${input}[${i}]`, `${text} is smaller than /28, the smallest subnet AWS allows`);
    }
    return cidr;
  });
}
