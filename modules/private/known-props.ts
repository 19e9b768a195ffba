import { distance } from 'fastest-levenshtein';
import { ConfigError } from './config-error';

/**
 * Every key of a props interface, each marked as TypeScript declares it. Written as
 * `{ ... } satisfies PropSpec<FooProps>`, the compiler refuses a list that misses a prop, names
 * one the interface lacks, or marks a required prop optional (or the other way round), so the
 * runtime check below cannot drift from the interface.
 */
export type PropSpec<T> = { readonly [K in keyof T]-?: {} extends Pick<T, K> ? 'optional' : 'required' };

/**
 * The known key an unknown one was probably meant to be: the nearest by edit distance (case
 * ignored) when close enough for its length, else one that contains the other (`external` for
 * `externalModules`); undefined when nothing is close.
 */
export function didYouMean(unknown: string, known: readonly string[]): string | undefined {
  const typed = unknown.toLowerCase();
  let best: { key: string; cost: number } | undefined;
  for (const key of known) {
    const cost = distance(typed, key.toLowerCase());
    if (!best || cost < best.cost) best = { key, cost };
  }
  if (best && best.cost <= Math.max(2, Math.floor(best.key.length * 0.4))) return best.key;
  return known.find((key) => {
    const k = key.toLowerCase();
    return Math.min(k.length, typed.length) >= 4 && (k.includes(typed) || typed.includes(k));
  });
}

/** `prefix.key`, or `key` at the top level. */
const path = (prefix: string, key: string) => (prefix ? `${prefix}.${key}` : key);

/**
 * Refuses what TypeScript would have caught had the app been type-checked: constructs run
 * through `tsx` (no type check), where a misspelt prop is silently ignored and a missing one
 * fails deep inside. Throws a {@link ConfigError} naming the first unknown key (with the key it
 * was probably meant to be), else the first required key that is missing.
 *
 * @param prefix where these props sit, in the surface's own names (`functions.api`), or '' at the top
 * @param typeName the interface the props are, for the message (`FunctionSettings`)
 * @param expected what a missing required prop should be, by key, for the message
 */
export function checkProps<T>(prefix: string, props: T, typeName: string, spec: PropSpec<T>, expected: Partial<Record<keyof T, string>> = {}): void {
  if (props === null || typeof props !== 'object' || Array.isArray(props)) {
    throw new ConfigError(prefix || 'props', `expected the ${typeName} object, got ${props === null ? 'null' : Array.isArray(props) ? 'a list' : typeof props}`);
  }
  const known = Object.keys(spec);
  for (const key of Object.keys(props)) {
    if (known.includes(key)) continue;
    const guess = didYouMean(key, known);
    throw new ConfigError(path(prefix, key), `not a prop of ${typeName}; ${guess ? `did you mean ${guess}?` : `known: ${known.join(', ')}`}`);
  }
  for (const [key, kind] of Object.entries(spec) as Array<[keyof T & string, string]>) {
    if (kind === 'required' && (props[key] === undefined || props[key] === null)) {
      throw new ConfigError(path(prefix, key), `is required (${expected[key] ?? `a prop of ${typeName}`})`);
    }
  }
}
