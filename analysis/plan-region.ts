/**
 * The AWS region a configuration deploys to, read from the evaluated model (never guessed):
 * a DynamoDB endpoint's `service_name` (`com.amazonaws.<region>.dynamodb`), a
 * `data "aws_region"` (its `region`, or `name` before aws 6.x), or the root's `provider "aws"`
 * `region`. Every known value is evidence; when they disagree, or none is known, the region
 * is unknown and says why, so nothing is priced at another region's rates.
 */
import { TerraformGraph } from './terraform-graph';

/** The region and where it was read, or why it is not known. */
export interface PlanRegion {
  /** The region, when the evidence names exactly one. */
  readonly region?: string;
  /** Where it was read (`aws_vpc_endpoint.dynamodb service_name`), or why it is not known. */
  readonly from: string;
}

const SERVICE_NAME = /^(?:cn\.)?com\.amazonaws\.([a-z0-9-]+)\.dynamodb$/;

/** The region of the configuration. */
export function planRegion(graph: TerraformGraph): PlanRegion {
  const evidence: Array<{ region: string; from: string }> = [];
  for (const e of graph.instancesOf('aws_vpc_endpoint')) {
    const name = graph.value(e, 'service_name');
    const m = typeof name === 'string' ? SERVICE_NAME.exec(name) : null;
    if (m) evidence.push({ region: m[1], from: `${e.address} service_name` });
  }
  for (const d of graph.dataOf('aws_region')) {
    // aws 6.x: `region`; 5.x: `name` only (the plan lists no `region` then).
    const region = d.values.region ?? d.values.name ?? graph.value(d, 'name');
    if (typeof region === 'string' && region !== '') evidence.push({ region, from: d.address });
  }
  const fromProvider = graph.providerRegion('aws');
  if (typeof fromProvider === 'string' && fromProvider !== '') evidence.push({ region: fromProvider, from: 'provider "aws" region' });

  const regions = [...new Set(evidence.map((e) => e.region))];
  if (regions.length === 1) return { region: regions[0], from: evidence[0].from };
  if (regions.length > 1) {
    const named = regions.map((r) => `${r} (${evidence.filter((e) => e.region === r).map((e) => e.from).join(', ')})`);
    return { from: `the configuration names several regions: ${named.join('; ')}` };
  }
  return { from: 'no region is known before apply: no DynamoDB endpoint service name, data "aws_region" or provider "aws" region with a known value' };
}
