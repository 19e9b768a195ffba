/**
 * Monthly network cost of the configuration: what it creates (NAT gateways, endpoints,
 * flow logs), priced with network-prices.ts for assumed traffic, and the seed's comparison of
 * the gateway endpoint against NAT for the same DynamoDB traffic.
 */
import * as P from './network-prices';
import { dynamoGatewayEndpoints } from './reachability';
import { TerraformGraph } from './terraform-graph';

/** Traffic assumptions (flags of `npm run check`). */
export interface CostAssumptions {
  /** GB/month between the functions and DynamoDB. */
  readonly trafficGb: number;
  /** GB/month of other internet traffic (through NAT when there is NAT). */
  readonly internetGb: number;
  /** GB/month of flow-log records ingested. */
  readonly flowLogGb: number;
}

/** One priced item. `fixed` is paid whatever the traffic; the rest scales with it. */
export interface CostLine {
  readonly item: string;
  readonly quantity: string;
  readonly fixed: number;
  readonly variable: number;
}

/** One option of the seed's comparison. */
export interface CostOption {
  readonly option: string;
  readonly fixed: number;
  readonly perGb: number;
  readonly monthly: number;
}

/** The estimate. */
export interface CostEstimate {
  readonly assumptions: CostAssumptions;
  readonly lines: CostLine[];
  /** Sum of the fixed parts: $0 for the default (no NAT, gateway endpoint). */
  readonly fixedMonthly: number;
  readonly variableMonthly: number;
  readonly totalMonthly: number;
  /** Gateway endpoint vs NAT (single, per AZ) for `trafficGb` of DynamoDB traffic. */
  readonly comparison: CostOption[];
  readonly notes: string[];
}

/** Rounds to cents, so sums print and compare as money. */
export function money(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Prices the configuration's network. */
export function estimateCost(graph: TerraformGraph, assumptions: CostAssumptions): CostEstimate {
  const lines: CostLine[] = [];
  const notes: string[] = [];
  const nats = graph.instancesOf('aws_nat_gateway');
  const gatewayEndpoints = dynamoGatewayEndpoints(graph);
  const interfaceEndpoints = graph.instancesOf('aws_vpc_endpoint').filter((e) => graph.value(e, 'vpc_endpoint_type') === 'Interface');
  const flowLogs = graph.instancesOf('aws_flow_log');
  const azs = availabilityZones(graph);

  for (const e of gatewayEndpoints) lines.push({ item: `gateway endpoint ${e.address}`, quantity: `${P.HOURS_PER_MONTH} h, ${assumptions.trafficGb} GB`, fixed: P.GATEWAY_ENDPOINT_PER_HOUR * P.HOURS_PER_MONTH, variable: P.GATEWAY_ENDPOINT_PER_GB * assumptions.trafficGb });
  if (nats.length > 0) {
    // DynamoDB traffic takes the endpoint's more specific prefix-list route when there is one.
    const natGb = assumptions.internetGb + (gatewayEndpoints.length === 0 ? assumptions.trafficGb : 0);
    lines.push({ item: `NAT gateway x${nats.length}`, quantity: `${nats.length} x ${P.HOURS_PER_MONTH} h, ${natGb} GB`, fixed: money(nats.length * P.HOURS_PER_MONTH * P.NAT_GATEWAY_PER_HOUR), variable: money(natGb * P.NAT_GATEWAY_PER_GB) });
    notes.push('NAT: public IPv4 addresses (EIP) are billed separately and not included');
  }
  for (const e of interfaceEndpoints) {
    const subnets = graph.resolve(e, 'subnet_ids');
    const count = Math.max(1, subnets.instances.length + subnets.literals.length);
    lines.push({ item: `interface endpoint ${e.address}`, quantity: `${count} AZ x ${P.HOURS_PER_MONTH} h`, fixed: money(count * P.HOURS_PER_MONTH * P.INTERFACE_ENDPOINT_PER_AZ_HOUR), variable: 0 });
    notes.push(`interface endpoint data is $${P.INTERFACE_ENDPOINT_PER_GB}/GB on top; no traffic assumed for ${e.address}`);
  }
  if (flowLogs.length > 0) lines.push({ item: 'flow log ingestion (CloudWatch Logs)', quantity: `${assumptions.flowLogGb} GB (assumed, --flow-log-gb)`, fixed: 0, variable: money(assumptions.flowLogGb * P.CLOUDWATCH_LOGS_INGESTION_PER_GB) });
  notes.push('Lambda to DynamoDB in the same region: no data transfer charge');

  const fixedMonthly = money(lines.reduce((s, l) => s + l.fixed, 0));
  const variableMonthly = money(lines.reduce((s, l) => s + l.variable, 0));
  return {
    assumptions,
    lines,
    fixedMonthly,
    variableMonthly,
    totalMonthly: money(fixedMonthly + variableMonthly),
    comparison: compareEndpointWithNat(assumptions.trafficGb, Math.max(azs, 1)),
    notes,
  };
}

/** The seed's comparison: DynamoDB traffic through the gateway endpoint, or through NAT. */
export function compareEndpointWithNat(trafficGb: number, azCount: number): CostOption[] {
  const nat = (gateways: number): Omit<CostOption, 'option'> => {
    const fixed = money(gateways * P.HOURS_PER_MONTH * P.NAT_GATEWAY_PER_HOUR);
    return { fixed, perGb: P.NAT_GATEWAY_PER_GB, monthly: money(fixed + trafficGb * P.NAT_GATEWAY_PER_GB) };
  };
  return [
    { option: 'gateway endpoint (this module)', fixed: 0, perGb: P.GATEWAY_ENDPOINT_PER_GB, monthly: money(trafficGb * P.GATEWAY_ENDPOINT_PER_GB) },
    { option: 'NAT single', ...nat(1) },
    { option: `NAT per-az (${azCount} AZ)`, ...nat(azCount) },
  ];
}

/** AZs the functions' private subnets span (count of subnets when AZs are computed). */
function availabilityZones(graph: TerraformGraph): number {
  const zones = new Set<string>();
  let subnets = 0;
  for (const fn of graph.instancesOf('aws_lambda_function')) {
    const resolved = graph.resolve(fn, 'vpc_config.subnet_ids');
    subnets = Math.max(subnets, resolved.instances.length + resolved.literals.length);
    for (const s of resolved.instances) {
      const az = graph.value(s, 'availability_zone');
      if (typeof az === 'string') zones.add(az);
    }
  }
  return zones.size > 0 ? zones.size : subnets;
}
