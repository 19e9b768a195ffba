import { InvalidArgumentError } from 'commander';

/** A commander option parser for counts: a whole number of at least 1, or commander's own error. */
export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number of at least 1');
  return n;
}
