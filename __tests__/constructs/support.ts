import { Testing } from 'cdktf';
import { Construct } from 'constructs';

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
