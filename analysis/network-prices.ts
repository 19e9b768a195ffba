/**
 * Network prices per AWS region, USD, each with where it was read and when. The build machines
 * have no network: us-east-1's figures were recorded 2026-11-25 from the seed write-up and
 * the AWS pricing pages; the other regions' from AWS Price List files (the public bulk offer
 * files, `https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/<service>/...`) as quoted,
 * with their usage types and publication dates, in public repositories found by search on
 * 2026-11-26. A price not found that way is left out: `check` then says the region's price is
 * not known rather than using another region's. Check the pricing pages before quoting a
 * number to anyone paying the bill.
 */

/** When the table was last edited (each price carries its own source and date). */
export const PRICES_RECORDED = '2026-11-26';

/** Hours in the month AWS bills by (the seed's 730). */
export const HOURS_PER_MONTH = 730;

/** Gateway VPC endpoint (DynamoDB, S3): no charge in any region. Source: https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html */
export const GATEWAY_ENDPOINT_PER_HOUR = 0;

/** Gateway VPC endpoint data: no charge in any region. Source: https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html */
export const GATEWAY_ENDPOINT_PER_GB = 0;

/** Data between Lambda and DynamoDB in the same region: no charge. Source: https://aws.amazon.com/dynamodb/pricing/on-demand/ ("Data transfer") */
export const SAME_REGION_TRANSFER_PER_GB = 0;

/** The prices `check` uses, by name. */
export type PriceName = 'natGatewayPerHour' | 'natGatewayPerGb' | 'interfaceEndpointPerAzHour' | 'interfaceEndpointPerGb' | 'cloudWatchLogsIngestionPerGb';

/** What each price is, for the report. */
export const PRICE_DESCRIPTIONS: Readonly<Record<PriceName, string>> = {
  natGatewayPerHour: 'NAT gateway, per gateway-hour',
  natGatewayPerGb: 'NAT gateway, per GB processed',
  interfaceEndpointPerAzHour: 'interface VPC endpoint, per endpoint per AZ per hour',
  interfaceEndpointPerGb: 'interface VPC endpoint, per GB processed (first PB)',
  cloudWatchLogsIngestionPerGb: 'CloudWatch Logs ingestion of vended logs (flow logs), per GB (first 10 TB)',
};

/** One recorded price. */
export interface Price {
  readonly usd: number;
  /** Where it was read: a page or a price list file, with its usage type or SKU. */
  readonly source: string;
  /** When that source was published or read (YYYY-MM-DD). */
  readonly date: string;
}

/** The recorded prices of one region; a missing one is not known. */
export type RegionPrices = Partial<Record<PriceName, Price>>;

/**
 * The commercial AWS regions (partition `aws`), as of 2026-11. GovCloud (`us-gov-*`), China
 * (`cn-*`) and the isolated partitions are other price lists and are not here: `check` says
 * such a region is not priced.
 */
export const COMMERCIAL_REGIONS: readonly string[] = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
  'af-south-1',
  'ap-east-1', 'ap-east-2', 'ap-south-1', 'ap-south-2',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
  'ca-central-1', 'ca-west-1',
  'eu-central-1', 'eu-central-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-south-1', 'eu-south-2', 'eu-north-1',
  'il-central-1', 'me-south-1', 'me-central-1', 'mx-central-1',
  'sa-east-1',
];

const VPC_PAGE = 'https://aws.amazon.com/vpc/pricing/';
const PRIVATELINK_PAGE = 'https://aws.amazon.com/privatelink/pricing/';
const CLOUDWATCH_PAGE = 'https://aws.amazon.com/cloudwatch/pricing/';
const priceList = (service: string, region: string, what: string) => `AWS Price List ${service} ${region} (https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/${service}/current/${region}/index.json), ${what}`;

/** The recorded prices, by region. Regions of {@link COMMERCIAL_REGIONS} not here have none recorded. */
export const REGION_PRICES: Readonly<Record<string, RegionPrices>> = {
  'us-east-1': {
    natGatewayPerHour: { usd: 0.045, source: VPC_PAGE, date: '2026-11-25' },
    natGatewayPerGb: { usd: 0.045, source: VPC_PAGE, date: '2026-11-25' },
    interfaceEndpointPerAzHour: { usd: 0.01, source: PRIVATELINK_PAGE, date: '2026-11-25' },
    interfaceEndpointPerGb: { usd: 0.01, source: PRIVATELINK_PAGE, date: '2026-11-25' },
    cloudWatchLogsIngestionPerGb: { usd: 0.5, source: CLOUDWATCH_PAGE, date: '2026-11-25' },
  },
  'eu-west-1': {
    natGatewayPerHour: { usd: 0.048, source: priceList('AmazonEC2', 'eu-west-1', 'EU-NatGateway-Hours'), date: '2026-09-25' },
    natGatewayPerGb: { usd: 0.048, source: priceList('AmazonEC2', 'eu-west-1', 'EU-NatGateway-Bytes'), date: '2026-09-25' },
  },
  'eu-west-2': {
    natGatewayPerHour: { usd: 0.05, source: priceList('AmazonEC2', 'eu-west-2', 'NAT Gateway product family'), date: '2026-09-25' },
    natGatewayPerGb: { usd: 0.05, source: priceList('AmazonEC2', 'eu-west-2', 'NAT Gateway product family'), date: '2026-09-25' },
    interfaceEndpointPerAzHour: { usd: 0.011, source: priceList('AmazonVPC', 'eu-west-2', 'EUW2-VpcEndpoint-Hours'), date: '2026-09-25' },
    interfaceEndpointPerGb: { usd: 0.01, source: priceList('AmazonVPC', 'eu-west-2', 'EUW2-VpcEndpoint-Bytes'), date: '2026-09-25' },
    cloudWatchLogsIngestionPerGb: { usd: 0.5985, source: priceList('AmazonCloudWatch', 'eu-west-2', 'EUW2-VendedLog-Bytes'), date: '2026-09-22' },
  },
  'ap-southeast-1': {
    natGatewayPerHour: { usd: 0.059, source: priceList('AmazonEC2', 'ap-southeast-1', 'SKU 98TA3WPUP3A4AH4Y'), date: '2026-10-04' },
    natGatewayPerGb: { usd: 0.059, source: priceList('AmazonEC2', 'ap-southeast-1', 'SKU E9U985ZGMWKXKT47'), date: '2026-10-04' },
  },
  'ap-south-1': {
    interfaceEndpointPerAzHour: { usd: 0.013, source: priceList('AmazonVPC', 'ap-south-1', 'APS3-VpcEndpoint-Hours'), date: '2026-11-26' },
  },
  'ap-northeast-2': {
    cloudWatchLogsIngestionPerGb: { usd: 0.76, source: priceList('AmazonCloudWatch', 'ap-northeast-2', 'APN2-VendedLog-Bytes'), date: '2026-11-26' },
  },
};

/** The prices of a region: those recorded, and why the rest are not there. */
export interface PricesFor {
  readonly region: string;
  readonly prices: RegionPrices;
  /** Why a price is missing: the region is not commercial, or that price was not recorded. */
  readonly missing: (name: PriceName) => string;
}

/** The recorded prices of `region` (none for a region outside {@link COMMERCIAL_REGIONS}). */
export function pricesFor(region: string): PricesFor {
  const commercial = COMMERCIAL_REGIONS.includes(region);
  return {
    region,
    prices: commercial ? REGION_PRICES[region] ?? {} : {},
    missing: (name) =>
      commercial
        ? `no ${PRICE_DESCRIPTIONS[name]} recorded for ${region} (analysis/network-prices.ts)`
        : `${region} is not a commercial AWS region in analysis/network-prices.ts: not priced`,
  };
}

/** Every page or price list file a price of `region` comes from, for the report. */
export function priceSources(region: string): string[] {
  const prices = pricesFor(region).prices;
  return [...new Set(Object.values(prices).map((p) => `${p!.source} (${p!.date})`))];
}

/** Assumptions the CLI exposes as flags, with their defaults. */
export const DEFAULT_ASSUMPTIONS = {
  /** GB per month between the functions and DynamoDB (the seed's example: 100 GB). */
  trafficGb: 100,
  /** GB per month of other traffic to the internet (through NAT when NAT is on). */
  internetGb: 0,
  /** GB per month of flow-log records ingested into CloudWatch Logs. */
  flowLogGb: 1,
  /** GB per month through the interface endpoints, all together (their per-GB charge). */
  endpointGb: 1,
} as const;
