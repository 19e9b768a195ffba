import { Testing } from 'cdktf';
import { Construct } from 'constructs';
import { FunctionCode } from '../../modules/constructs/function-code';
import { Network } from '../../modules/constructs/network';
import { VpcFunctionProps } from '../../modules/constructs/vpc-function';
import { testBundles } from '../support/synth';

export type Blocks = Record<string, Record<string, unknown>>;

/**
 * Synthesizes just what `build` adds (Testing.synthScope) and returns the resources by type,
 * with synthScope's path hashes dropped from logical ids so addresses read plainly.
 */
export function synthResources(build: (scope: Construct) => void): Record<string, Blocks> {
  const text = Testing.synthScope(build);
  return (JSON.parse(text.replace(/_[0-9A-F]{8}\b/g, '')) as { resource?: Record<string, Blocks> }).resource ?? {};
}

/** The blocks of one type, in order. */
export function blocks(resources: Record<string, Blocks>, type: string): Array<Record<string, unknown>> {
  return Object.values(resources[type] ?? {});
}

/** A two-AZ network named `n`, for constructs that need subnets. */
export const testNetwork = (scope: Construct) => new Network(scope, 'network', { namePrefix: 'n', region: 'us-east-1', availabilityZones: ['us-east-1a', 'us-east-1b'] });

/** A function `n-api` with the products bundle in that network's private subnets. */
export const functionProps = (network: Network, extra: Partial<VpcFunctionProps> = {}): VpcFunctionProps => ({
  functionName: 'n-api',
  code: FunctionCode.fromBundleDir(testBundles().products),
  subnets: network.privateSubnets,
  vpcId: network.vpcId,
  dynamoDbPrefixListId: 'pl-02cd2c6b',
  ...extra,
});
