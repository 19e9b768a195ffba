/**
 * Monthly network cost of the configuration: what it creates (NAT gateways, endpoints,
 * flow logs), priced with network-prices.ts at its region's rates (plan-region.ts) for assumed traffic, and the seed's comparison of
 * the gateway endpoint against NAT for the same DynamoDB traffic.
 */
import * as P from './network-prices';
import { dynamoGatewayEndpoints, s3GatewayEndpoints } from './reachability';
import { planRegion, PlanRegion } from './plan-region';
import { TerraformGraph } from './terraform-graph';

/** Traffic assumptions (flags of `npm run check`). */
export interface CostAssumptions {
  /** GB/month between the functions and DynamoDB. */
  readonly trafficGb: number;
  /** GB/month of other internet traffic (through NAT when there is NAT). */
  readonly internetGb: number;
  /** GB/month of flow-log records ingested. */
  readonly flowLogGb: number;
  /** GB/month through the interface endpoints, all together (default {@link P.DEFAULT_ASSUMPTIONS}.endpointGb). */
  readonly endpointGb?: number;
}

/** One priced item. `fixed` is paid whatever the traffic; the rest scales with it. null: the region's price is not known. */
export interface CostLine {
  readonly item: string;
  readonly quantity: string;
  readonly fixed: number | null;
  readonly variable: number | null;
}

/** One option of the seed's comparison (null where the region's NAT price is not known). */
export interface CostOption {
  readonly option: string;
  readonly fixed: number | null;
  readonly perGb: number | null;
  readonly monthly: number | null;
}

/** The estimate. */
export interface CostEstimate {
  readonly assumptions: CostAssumptions;
  /** The region priced, or null when the configuration does not tell one (see `regionFrom`). */
  readonly region: string | null;
  /** Where the region was read (`aws_vpc_endpoint.dynamodb service_name`), or why it is not known. */
  readonly regionFrom: string;
  /** The pages and price list files the prices used come from, each with its date. */
  readonly priceSources: string[];
  readonly lines: CostLine[];
  /** Sum of the fixed parts: $0 for the default (no NAT, gateway endpoint); null when a part is not priced. */
  readonly fixedMonthly: number | null;
  readonly variableMonthly: number | null;
  readonly totalMonthly: number | null;
  /** Gateway endpoint vs NAT (single, per AZ) for `trafficGb` of DynamoDB traffic. */
  readonly comparison: CostOption[];
  /**
   * When there are interface endpoints: them against NAT (single, per AZ) for `endpointGb` of
   * traffic to their services. Without NAT a function needs them; with NAT they cost in addition.
   */
  readonly endpointComparison: CostOption[];
  /** Why a part is not priced (an unknown region, a price not recorded for it), one line each. */
  readonly unpriced: string[];
  readonly notes: string[];
}

/** Rounds to cents, so sums print and compare as money. */
export function money(value: number): number {
  return Math.round(value * 100) / 100;
}

/** A sum, or null when any part is not priced. */
function total(values: Array<number | null>): number | null {
  return values.some((v) => v === null) ? null : money((values as number[]).reduce((a, b) => a + b, 0));
}

/** The prices of a region, each looked up once; a missing one is recorded in `unpriced`. */
class Pricing {
  readonly unpriced: string[] = [];
  private readonly table?: P.PricesFor;

  constructor(
    readonly region: PlanRegion,
  ) {
    this.table = region.region ? P.pricesFor(region.region) : undefined;
  }

  /** The price, or null (and the reason noted once). */
  price(name: P.PriceName): number | null {
    const found = this.table?.prices[name];
    if (found) return found.usd;
    const why = this.table ? this.table.missing(name) : `${P.PRICE_DESCRIPTIONS[name]}: the region is not known (${this.region.from})`;
    if (!this.unpriced.includes(why)) this.unpriced.push(why);
    return null;
  }

  /** `quantity x price`, rounded; null when the price is not known. */
  times(quantity: number, name: P.PriceName): number | null {
    if (quantity === 0) return 0;
    const price = this.price(name);
    return price === null ? null : money(quantity * price);
  }
}

/** Prices the configuration's network at its region's rates (analysis/network-prices.ts). */
export function estimateCost(graph: TerraformGraph, assumptions: CostAssumptions): CostEstimate {
  const lines: CostLine[] = [];
  const notes: string[] = [];
  const region = planRegion(graph);
  const pricing = new Pricing(region);
  const nats = graph.instancesOf('aws_nat_gateway');
  const gatewayEndpoints = dynamoGatewayEndpoints(graph);
  const s3Endpoints = s3GatewayEndpoints(graph);
  const interfaceEndpoints = graph.instancesOf('aws_vpc_endpoint').filter((e) => graph.value(e, 'vpc_endpoint_type') === 'Interface');
  const endpointGb = assumptions.endpointGb ?? P.DEFAULT_ASSUMPTIONS.endpointGb;
  const flowLogs = graph.instancesOf('aws_flow_log');
  const azs = availabilityZones(graph);

  for (const e of gatewayEndpoints) lines.push({ item: `gateway endpoint ${e.address}`, quantity: `${P.HOURS_PER_MONTH} h, ${assumptions.trafficGb} GB`, fixed: P.GATEWAY_ENDPOINT_PER_HOUR * P.HOURS_PER_MONTH, variable: P.GATEWAY_ENDPOINT_PER_GB * assumptions.trafficGb });
  // S3's gateway endpoint is as free as DynamoDB's; its traffic is not assumed (bucket access is the caller's).
  for (const e of s3Endpoints) lines.push({ item: `gateway endpoint ${e.address}`, quantity: `${P.HOURS_PER_MONTH} h (S3)`, fixed: P.GATEWAY_ENDPOINT_PER_HOUR * P.HOURS_PER_MONTH, variable: 0 });
  if (nats.length > 0) {
    // DynamoDB traffic takes the endpoint's more specific prefix-list route when there is one.
    const natGb = assumptions.internetGb + (gatewayEndpoints.length === 0 ? assumptions.trafficGb : 0);
    lines.push({ item: `NAT gateway x${nats.length}`, quantity: `${nats.length} x ${P.HOURS_PER_MONTH} h, ${natGb} GB`, fixed: pricing.times(nats.length * P.HOURS_PER_MONTH, 'natGatewayPerHour'), variable: pricing.times(natGb, 'natGatewayPerGb') });
    notes.push('NAT: public IPv4 addresses (EIP) are billed separately and not included');
  }
  // Each interface endpoint is billed per AZ it has a network interface in (one per subnet), per hour, and per GB it carries.
  // Subnets not all known: the AZ count is not, so neither is the price (never a guess that looks like a total).
  let endpointAzHours: number | null = 0;
  for (const e of interfaceEndpoints) {
    const subnets = graph.resolve(e, 'subnet_ids');
    const count = subnets.instances.length + subnets.literals.length;
    const known = subnets.unresolved.length === 0 && count > 0;
    const service = interfaceService(graph, e);
    if (!known) {
      endpointAzHours = null;
      const why = `${e.address}: its subnets (one billed network interface each) are not known before apply${subnets.unresolved.length > 0 ? `: ${subnets.unresolved[0]}` : ''}`;
      pricing.unpriced.push(why);
      lines.push({ item: `interface endpoint (${service}) ${e.address}`, quantity: `? AZ x ${P.HOURS_PER_MONTH} h`, fixed: null, variable: 0 });
      continue;
    }
    if (endpointAzHours !== null) endpointAzHours += count * P.HOURS_PER_MONTH;
    lines.push({ item: `interface endpoint (${service}) ${e.address}`, quantity: `${count} AZ x ${P.HOURS_PER_MONTH} h`, fixed: pricing.times(count * P.HOURS_PER_MONTH, 'interfaceEndpointPerAzHour'), variable: 0 });
  }
  if (interfaceEndpoints.length > 0) {
    // The data is priced once for all of them: the assumption is their total.
    const perGb = pricing.price('interfaceEndpointPerGb');
    lines.push({ item: 'interface endpoint data', quantity: `${endpointGb} GB (assumed, --endpoint-gb) x ${perGb === null ? 'price not known' : `$${perGb}/GB`}`, fixed: 0, variable: pricing.times(endpointGb, 'interfaceEndpointPerGb') });
    notes.push(
      nats.length > 0
        ? 'interface endpoints with NAT: they cost in addition to the NAT gateways (their services\' traffic leaves NAT\'s per-GB charge for theirs)'
        : 'interface endpoints without NAT: the only path from the private subnets to their services (compared with NAT in the cost table)',
    );
  }
  if (flowLogs.length > 0) lines.push({ item: 'flow log ingestion (CloudWatch Logs)', quantity: `${assumptions.flowLogGb} GB (assumed, --flow-log-gb)`, fixed: 0, variable: pricing.times(assumptions.flowLogGb, 'cloudWatchLogsIngestionPerGb') });
  notes.push('Lambda to DynamoDB in the same region: no data transfer charge');

  const fixedMonthly = total(lines.map((l) => l.fixed));
  const variableMonthly = total(lines.map((l) => l.variable));
  const comparison = compareEndpointWithNat(assumptions.trafficGb, Math.max(azs, 1), region.region ?? null, pricing);
  const endpointComparison = interfaceEndpoints.length === 0 ? [] : compareInterfaceEndpointsWithNat(interfaceEndpoints.length, endpointAzHours, endpointGb, Math.max(azs, 1), pricing);
  return {
    assumptions,
    region: region.region ?? null,
    regionFrom: region.from,
    priceSources: region.region ? P.priceSources(region.region) : [],
    lines,
    fixedMonthly,
    variableMonthly,
    totalMonthly: total([fixedMonthly, variableMonthly]),
    comparison,
    endpointComparison,
    unpriced: pricing.unpriced,
    notes,
  };
}

/** The seed's comparison: DynamoDB traffic through the gateway endpoint, or through NAT, at `region`'s prices (us-east-1 by default). */
export function compareEndpointWithNat(trafficGb: number, azCount: number, region: string | null = 'us-east-1', pricing = new Pricing(region ? { region, from: 'given' } : { from: 'not given' })): CostOption[] {
  const hourly = pricing.price('natGatewayPerHour');
  const perGb = pricing.price('natGatewayPerGb');
  const nat = (gateways: number): Omit<CostOption, 'option'> => {
    const fixed = hourly === null ? null : money(gateways * P.HOURS_PER_MONTH * hourly);
    return { fixed, perGb, monthly: fixed === null || perGb === null ? null : money(fixed + trafficGb * perGb) };
  };
  return [
    { option: 'gateway endpoint (this module)', fixed: 0, perGb: P.GATEWAY_ENDPOINT_PER_GB, monthly: money(trafficGb * P.GATEWAY_ENDPOINT_PER_GB) },
    { option: 'NAT single', ...nat(1) },
    { option: `NAT per-az (${azCount} AZ)`, ...nat(azCount) },
  ];
}

/**
 * Interface endpoints (`count` of them, `azHours` network-interface hours in all) against NAT
 * for the same `gb` of traffic to their services: what a function without NAT pays for a path,
 * or what NAT alone would charge instead.
 */
function compareInterfaceEndpointsWithNat(count: number, azHours: number | null, gb: number, azCount: number, pricing: Pricing): CostOption[] {
  const hourly = pricing.price('interfaceEndpointPerAzHour');
  const perGb = pricing.price('interfaceEndpointPerGb');
  const fixed = hourly === null || azHours === null ? null : money(azHours * hourly);
  const nat = compareEndpointWithNat(gb, azCount, pricing.region.region ?? null, pricing).slice(1);
  return [{ option: `interface endpoints x${count}`, fixed, perGb, monthly: fixed === null || perGb === null ? null : money(fixed + gb * perGb) }, ...nat];
}

/** The service of an interface endpoint (`com.amazonaws.<region>.<service>` → `<service>`), or `?` when not known before apply. */
function interfaceService(graph: TerraformGraph, endpoint: Parameters<TerraformGraph['value']>[0]): string {
  const name = graph.value(endpoint, 'service_name');
  const m = typeof name === 'string' ? /^(?:cn\.)?com\.amazonaws\.[a-z0-9-]+\.(.+)$/.exec(name) : null;
  return m ? m[1] : '?';
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
