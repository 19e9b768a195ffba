import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bundleEntry, CachedBundle, StatsSeen } from '../modules/private/bundle-cache';

/** The repository root: this file runs from functions/ (tsx) or lib/functions/ (compiled). */
function repositoryRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** The functions this project ships, and the handler (TypeScript source) each bundle starts from. */
export const FUNCTIONS = {
  products: join(repositoryRoot(), 'functions', 'products', 'handler.ts'),
  'user-activity': join(repositoryRoot(), 'functions', 'user-activity', 'handler.ts'),
} as const;
/** A function's folder name. */
export type FunctionName = keyof typeof FUNCTIONS;

/** A bundled function: `dir/index.js`, whose `handler` export Lambda runs as `index.handler`. */
export type Bundle = CachedBundle;

/**
 * How the handlers are bundled: everything they import (AWS SDK v3 and pg included: the
 * runtime's own SDK copy may differ from the one tested) in one minified CommonJS file, no
 * source map and no timestamps, so the same source gives the same bytes. pg asks for
 * `pg-native` only when told to; Lambda never is.
 *
 * From the packages' ES module builds (`module` before `main`): esbuild keeps only what the
 * handler reaches, where the SDK's CommonJS build is one file per package, every command and
 * schema of DynamoDB included, all evaluated at load. Cold `require` about 45% faster and
 * the bundle about 30% smaller (docs/performance.md). Still CommonJS, with the ES builds'
 * `import()` of Node's own modules turned into `require`.
 */
export const HANDLER_BUNDLE_OPTIONS = { target: 'node20', external: ['pg-native'], minify: true, mainFields: ['module', 'main'], dynamicImportAsRequire: true } as const;

/** Bundles one handler, or returns the kept bundle when none of its inputs changed. */
export function bundleFunction(name: FunctionName, stats?: StatsSeen): Bundle {
  return bundleEntry(FUNCTIONS[name], { ...HANDLER_BUNDLE_OPTIONS, external: [...HANDLER_BUNDLE_OPTIONS.external], mainFields: [...HANDLER_BUNDLE_OPTIONS.mainFields] }, stats);
}

/** Every function's bundle; their shared inputs are statted once. */
export function bundleAll(): Record<FunctionName, Bundle> {
  const stats: StatsSeen = new Map();
  return { products: bundleFunction('products', stats), 'user-activity': bundleFunction('user-activity', stats) };
}
