import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { rewriteFrameworkImports } from './rewrite';

/**
 * `npm run build`'s second step: `vpc-lambda-dynamodb/cdktn`, the constructs for CDK Terrain,
 * from the cdktf build tsc has just written. lib/modules/constructs and lib/modules/private
 * (the constructs and what they use; the cdktf-only envelopes in stacks/ are not part of it)
 * are copied to lib/cdktn/ with their framework imports rewritten (rewrite.ts).
 *
 * Why a rewrite of tsc's output rather than a second compile against cdktn: the build then
 * needs no CDK Terrain install (its AWS bindings are 480 MB; the cdktn test tier installs them
 * on demand and type-checks the rewritten sources against them), and both builds are the same
 * JavaScript but for the module names. It fails, naming file and module, when a cdktf module
 * is left in the output or a relative import leaves the copied folders.
 */
const FOLDERS = ['constructs', 'private'] as const;

export interface CdktnBuild {
  readonly files: number;
  readonly rewritten: number;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name)).map((f) => `${name}/${f}`) : [name]));
}

/** Writes `<out>` from `<from>` (lib/modules); throws one line per problem. */
export function buildCdktn(from: string, out: string): CdktnBuild {
  const files = FOLDERS.flatMap((folder) => {
    if (!existsSync(join(from, folder))) throw new Error(`cdktn build: ${join(from, folder)} is missing (run tsc -p tsconfig.build.json first)`);
    return filesUnder(join(from, folder)).map((file) => `${folder}/${file}`);
  });
  const shipped = new Set(files);
  const problems: string[] = [];
  const outputs = new Map<string, string>();
  let rewritten = 0;
  for (const file of files) {
    const text = readFileSync(join(from, file), 'utf8');
    if (!/\.(d\.ts|js)$/.test(file)) {
      if (!/\.json$/.test(file)) problems.push(`${file}: not a .js, .d.ts or .json file`);
      outputs.set(file, text);
      continue;
    }
    const result = rewriteFrameworkImports(text, file);
    rewritten += result.rewritten.length;
    for (const name of result.leftovers) problems.push(`${file}: still names the cdktf module "${name}" after the rewrite (add it to FRAMEWORK_MODULES in scripts/cdktn/rewrite.ts, or do not import it from the constructs)`);
    const ext = file.endsWith('.d.ts') ? '.d.ts' : '.js';
    for (const spec of result.relative) {
      const base = posix.normalize(posix.join(posix.dirname(file), spec));
      if (![`${base}${ext}`, `${base}/index${ext}`, base].some((candidate) => shipped.has(candidate))) {
        problems.push(`${file}: imports "${spec}", which is outside lib/cdktn (${FOLDERS.join(', ')}): the cdktn build would not load`);
      }
    }
    outputs.set(file, result.text);
  }
  if (problems.length) throw new Error(`cdktn build failed:\n${problems.join('\n')}`);
  rmSync(out, { recursive: true, force: true });
  for (const [file, text] of outputs) {
    mkdirSync(dirname(join(out, file)), { recursive: true });
    writeFileSync(join(out, file), text);
  }
  return { files: outputs.size, rewritten };
}

if (require.main === module) {
  const root = resolve(__dirname, '../..');
  try {
    const built = buildCdktn(join(root, 'lib', 'modules'), join(root, 'lib', 'cdktn'));
    // On stderr: `npm pack --json` keeps stdout for its JSON.
    console.error(`cdktn build: ${built.files} files into ${relative(root, join(root, 'lib', 'cdktn'))}, ${built.rewritten} framework imports rewritten`);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
