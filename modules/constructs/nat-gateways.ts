import { Fn, Op, TerraformCount, Token } from 'cdktf';
import { Construct } from 'constructs';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { ConfigError } from '../private/config-error';
import { checkProps, PropSpec } from '../private/known-props';
import { Network, SubnetGroup } from './network';
import { and, countWhen, equals, not, counted, countedList, isLiteral, lengthOf, tagsWithName } from '../private/tokens';
import { checkFramework } from '../private/framework';

/** The NAT modes: none (no internet path, $0), one shared gateway, or one per AZ. */
export const NAT_MODES = ['none', 'single', 'per-az'] as const;
/** One of {@link NAT_MODES}. */
export type NatMode = (typeof NAT_MODES)[number];

/** Props of {@link NatGateways}. */
export interface NatGatewaysProps {
  /** Name prefix for the `Name` tags. */
  readonly namePrefix: string;
  /**
   * `none`: no internet path (the DynamoDB endpoint needs none). `single`: one NAT gateway
   * for all AZs (cheaper, one AZ's outage cuts the others off). `per-az`: one per AZ.
   * May be a Terraform expression, so the module's `nat_mode` variable switches it at plan.
   * @default 'none'
   */
  readonly mode?: NatMode;
  /** The network whose private route tables get the default route. Must create its VPC. */
  readonly network: Network;
  /**
   * Tags besides `Name`.
   * @default {}
   */
  readonly tags?: Record<string, string>;
}

/** Every prop of {@link NatGatewaysProps}: unknown ones are refused (see checkProps). */
const NAT_GATEWAYS_PROPS = { namePrefix: 'required', mode: 'optional', network: 'required', tags: 'optional' } as const satisfies PropSpec<NatGatewaysProps>;

/**
 * Optional NAT: public subnets, an internet gateway, Elastic IPs, NAT gateways, and the
 * `0.0.0.0/0` route in each private route table. Nothing at all is created in mode `none`.
 */
export class NatGateways extends Construct {
  /** How many NAT gateways exist (a number, or an expression in the module). */
  public readonly gatewayCount: number;
  /** NAT gateway ids (empty in mode `none`). */
  public readonly gatewayIds: string[];
  /** Public subnet ids (empty in mode `none`). */
  public readonly publicSubnetIds: string[];
  /** The public subnets as a placement; functions refuse it. */
  public get publicSubnets(): SubnetGroup {
    return { subnetIds: this.publicSubnetIds, public: true };
  }
  /** Whether any internet path exists. */
  public readonly enabled: boolean;

  constructor(scope: Construct, id: string, props: NatGatewaysProps) {
    super(scope, id);
    checkFramework(this, 'NatGateways');
    checkProps('', props, 'NatGatewaysProps', NAT_GATEWAYS_PROPS);
    const mode = props.mode ?? 'none';
    const network = props.network;
    const tags = props.tags ?? {};
    const azs = network.availabilityZones;

    if (isLiteral(mode) && !(NAT_MODES as readonly string[]).includes(mode)) {
      throw new ConfigError('natMode', `"${mode}" is not a NAT mode; allowed: ${NAT_MODES.join(', ')}`);
    }
    if (isLiteral(mode) && mode !== 'none' && network.createsVpc === false) {
      throw new ConfigError(
        'natMode',
        `"${mode}" needs a VPC this module creates; an adopted VPC keeps its own internet path, so use "none"`,
      );
    }

    const wanted = isLiteral(mode)
      ? { none: 0, single: 1, 'per-az': lengthOf(azs) }[mode]
      : Token.asNumber(Fn.conditional(Op.eq(mode, 'none'), 0, Fn.conditional(Op.eq(mode, 'single'), 1, lengthOf(azs))));
    this.gatewayCount = countWhen(network.createsVpc, wanted);
    this.enabled = and(network.createsVpc, not(equals(mode, 'none')));

    if (this.enabled === false) {
      this.gatewayIds = [];
      this.publicSubnetIds = [];
      return;
    }

    const vpcId = network.vpcId;
    const igw = new InternetGateway(this, 'internet_gateway', {
      count: countWhen(this.enabled),
      vpcId,
      tags: tagsWithName(tags, `${props.namePrefix}-igw`),
    });

    const perGateway = () => TerraformCount.of(this.gatewayCount);
    const subnetCount = perGateway();
    const publicSubnets = new Subnet(this, 'public', {
      count: subnetCount,
      vpcId,
      availabilityZone: Fn.element(azs, subnetCount.index),
      cidrBlock: network.publicSubnetCidr(subnetCount.index),
      // NAT needs an Elastic IP, not auto-assigned public IPs for whatever lands here.
      mapPublicIpOnLaunch: false,
      tags: tagsWithName(tags, `${props.namePrefix}-public-${Fn.element(azs, subnetCount.index)}`),
    });

    const publicRouteTable = new RouteTable(this, 'public_route_table', {
      count: countWhen(this.enabled),
      vpcId,
      tags: tagsWithName(tags, `${props.namePrefix}-public`),
    });
    new Route(this, 'public_internet_route', {
      count: countWhen(this.enabled),
      routeTableId: counted(publicRouteTable, '[0].id'),
      destinationCidrBlock: '0.0.0.0/0',
      gatewayId: counted(igw, '[0].id'),
    });
    const associationCount = perGateway();
    new RouteTableAssociation(this, 'public_route_table_association', {
      count: associationCount,
      subnetId: counted(publicSubnets, '[count.index].id'),
      routeTableId: counted(publicRouteTable, '[0].id'),
    });

    const eipCount = perGateway();
    const eips = new Eip(this, 'eip', {
      count: eipCount,
      domain: 'vpc',
      tags: tagsWithName(tags, `${props.namePrefix}-nat-${Fn.element(azs, eipCount.index)}`),
      dependsOn: [igw],
    });
    const natCount = perGateway();
    const nats = new NatGateway(this, 'nat_gateway', {
      count: natCount,
      allocationId: counted(eips, '[count.index].id'),
      subnetId: counted(publicSubnets, '[count.index].id'),
      tags: tagsWithName(tags, `${props.namePrefix}-nat-${Fn.element(azs, natCount.index)}`),
      dependsOn: [igw],
    });

    // element() wraps around: with one gateway every private table points at it,
    // with one per AZ table i points at gateway i (both lists follow the AZ order).
    const routeCount = TerraformCount.of(countWhen(this.enabled, network.privateRouteTableCount));
    new Route(this, 'private_nat_route', {
      count: routeCount,
      routeTableId: Token.asString(Fn.element(network.privateRouteTableIds, routeCount.index)),
      destinationCidrBlock: '0.0.0.0/0',
      natGatewayId: Token.asString(Fn.element(countedList(nats, 'id'), routeCount.index)),
    });

    this.gatewayIds = countedList(nats, 'id');
    this.publicSubnetIds = countedList(publicSubnets, 'id');
  }
}
