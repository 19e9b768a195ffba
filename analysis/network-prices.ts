/**
 * Network prices in us-east-1, USD. Recorded 2026-11-25 from the seed write-up
 * ("Cost Comparison") and the AWS pricing pages named
 * beside each constant. The build machines have no network, so they were not re-fetched:
 * check the pages before quoting a number to anyone paying the bill.
 */

/** When these prices were recorded. */
export const PRICES_RECORDED = '2026-11-25';

/** The region the prices are for. */
export const PRICES_REGION = 'us-east-1';

/** Hours in the month AWS bills by (the seed's 730). */
export const HOURS_PER_MONTH = 730;

/** NAT gateway, per gateway-hour. Source: https://aws.amazon.com/vpc/pricing/ */
export const NAT_GATEWAY_PER_HOUR = 0.045;

/** NAT gateway, per GB processed (either direction). Source: https://aws.amazon.com/vpc/pricing/ */
export const NAT_GATEWAY_PER_GB = 0.045;

/** Gateway VPC endpoint (DynamoDB, S3): no charge. Source: https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html */
export const GATEWAY_ENDPOINT_PER_HOUR = 0;

/** Gateway VPC endpoint data: no charge. Source: https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html */
export const GATEWAY_ENDPOINT_PER_GB = 0;

/** Interface VPC endpoint, per endpoint per AZ per hour. Source: https://aws.amazon.com/privatelink/pricing/ */
export const INTERFACE_ENDPOINT_PER_AZ_HOUR = 0.01;

/** Interface VPC endpoint, per GB processed (first PB). Source: https://aws.amazon.com/privatelink/pricing/ */
export const INTERFACE_ENDPOINT_PER_GB = 0.01;

/** CloudWatch Logs ingestion of vended logs (VPC flow logs), per GB (first 10 TB). Source: https://aws.amazon.com/cloudwatch/pricing/ */
export const CLOUDWATCH_LOGS_INGESTION_PER_GB = 0.5;

/** Data between Lambda and DynamoDB in the same region: no charge. Source: https://aws.amazon.com/dynamodb/pricing/on-demand/ ("Data transfer") */
export const SAME_REGION_TRANSFER_PER_GB = 0;

/** Every page a price above comes from, for the report. */
export const PRICE_SOURCES: readonly string[] = [
  'https://aws.amazon.com/vpc/pricing/',
  'https://aws.amazon.com/privatelink/pricing/',
  'https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html',
  'https://aws.amazon.com/cloudwatch/pricing/',
];

/** Assumptions the CLI exposes as flags, with their defaults. */
export const DEFAULT_ASSUMPTIONS = {
  /** GB per month between the functions and DynamoDB (the seed's example: 100 GB). */
  trafficGb: 100,
  /** GB per month of other traffic to the internet (through NAT when NAT is on). */
  internetGb: 0,
  /** GB per month of flow-log records ingested into CloudWatch Logs. */
  flowLogGb: 1,
} as const;
