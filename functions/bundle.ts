import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';

/** The functions this project ships, and the handler each bundle starts from. */
export const FUNCTIONS = {
  products: resolve(__dirname, 'products', 'handler.ts'),
  'user-activity': resolve(__dirname, 'user-activity', 'handler.ts'),
} as const;
/** A function's folder name. */
export type FunctionName = keyof typeof FUNCTIONS;

/** A bundled function: `dir/index.js`, whose `handler` export Lambda runs as `index.handler`. */
export interface Bundle {
  readonly dir: string;
  readonly bytes: number;
}

/**
 * Bundles one handler with everything it imports (AWS SDK v3 and pg included: the runtime's
 * own SDK copy may differ from the one tested) into a single minified CommonJS file.
 * No source map and no timestamps: the same source gives the same bytes, so the content
 * hash, and with it the deployed function, changes only when the code does.
 */
export function bundleFunction(name: FunctionName, outDir: string): Bundle {
  const dir = join(outDir, name);
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, 'index.js');
  buildSync({
    entryPoints: [FUNCTIONS[name]],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    // pg tries `require('pg-native')` only when asked to; Lambda never is.
    external: ['pg-native'],
    logLevel: 'silent',
  });
  return { dir, bytes: statSync(outfile).size };
}

/** Bundles every function into `outDir/<name>`. */
export function bundleAll(outDir: string): Record<FunctionName, Bundle> {
  return {
    products: bundleFunction('products', outDir),
    'user-activity': bundleFunction('user-activity', outDir),
  };
}
