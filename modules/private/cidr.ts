import { Address4 } from 'ip-address';
import { ConfigError } from './config-error';

/**
 * IPv4 CIDR checks and subnet derivation for literal inputs, on top of `ip-address`
 * (a maintained parser) so the bit arithmetic is not hand-rolled. Expressions from
 * Terraform variables are checked by the module's `validation` blocks instead.
 */

/** A parsed CIDR block: network address as an integer and its prefix length. */
export interface Cidr {
  readonly text: string;
  readonly network: bigint;
  readonly prefix: number;
}

/** Parses `10.0.0.0/16`; the address must be the network address of the block. */
export function parseCidr(input: string, text: string): Cidr {
  const shape = /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/;
  if (typeof text !== 'string' || !shape.test(text) || !Address4.isValid(text)) {
    throw new ConfigError(input, `"${text}" is not an IPv4 CIDR block; expected a form like 10.0.0.0/16`);
  }
  const address = new Address4(text);
  const network = address.startAddress().bigInt();
  if (network !== address.bigInt()) {
    throw new ConfigError(
      input,
      `"${text}" has host bits set; the network address of that block is ${address.startAddress().address}/${address.subnetMask}`,
    );
  }
  return { text, network, prefix: address.subnetMask };
}

function lastAddress(c: Cidr): bigint {
  return c.network + (1n << BigInt(32 - c.prefix)) - 1n;
}

/** True when `inner` lies entirely inside `outer`. */
export function contains(outer: Cidr, inner: Cidr): boolean {
  return inner.prefix >= outer.prefix && inner.network >= outer.network && lastAddress(inner) <= lastAddress(outer);
}

/** True when the two blocks share at least one address. */
export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.network <= lastAddress(b) && b.network <= lastAddress(a);
}

/** Terraform's `cidrsubnet(prefix, newbits, netnum)` for a literal block. */
export function cidrSubnet(base: Cidr, newBits: number, netNum: number): string {
  const prefix = base.prefix + newBits;
  const network = base.network + (BigInt(netNum) << BigInt(32 - prefix));
  return `${Address4.fromBigInt(network).address}/${prefix}`;
}
