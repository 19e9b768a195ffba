import ts from 'typescript';

/**
 * The one difference between the cdktf build and the CDK Terrain build of the constructs: the
 * framework's module names. CDK Terrain (`cdktn`) is CDKTF's fork with the same API, and its
 * AWS bindings (`@cdktn/provider-aws`) have the same `lib/<resource>` paths and class names.
 *
 * Module specifiers are found with TypeScript's own scanner (`ts.preProcessFile`: `import`,
 * `export ... from`, `require()`, `import()` and `import("x").T` types), not by a pattern over
 * the text, so comments and ordinary strings are never touched. The rewrite is strict: after
 * it, any string literal still naming a cdktf module is an error, so a framework import this
 * table does not know (`cdktf/lib/...`, `@cdktf/provider-null`) fails the build rather than
 * shipping a cdktn build that loads cdktf.
 */
export const FRAMEWORK_MODULES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^cdktf$/, 'cdktn'],
  [/^@cdktf\/provider-aws\/lib\/([a-z0-9-]+)(\/index)?$/, '@cdktn/provider-aws/lib/$1$2'],
];

/** A cdktf module name: `cdktf`, `cdktf/...` or `@cdktf/...`. */
const CDKTF_MODULE = /^(cdktf(\/|$)|@cdktf\/)/;

export interface Rewritten {
  readonly text: string;
  /** The specifiers rewritten, in order, as `from -> to`. */
  readonly rewritten: string[];
  /** cdktf module names left in the output ({@link cdktfNames}): each fails the build. */
  readonly leftovers: string[];
  /** Relative specifiers (`./network`, `../private/tokens`), for the caller to resolve. */
  readonly relative: string[];
}

/** The cdktn name of a cdktf module, or undefined when the table has none. */
export function cdktnModule(specifier: string): string | undefined {
  for (const [pattern, replacement] of FRAMEWORK_MODULES) if (pattern.test(specifier)) return specifier.replace(pattern, replacement);
  return undefined;
}

/** Rewrites the framework imports of one compiled `.js` / `.d.ts` (or `.ts` source) file. */
export function rewriteFrameworkImports(text: string, fileName: string): Rewritten {
  const info = ts.preProcessFile(text, true, true);
  const rewritten: string[] = [];
  const relative: string[] = [];
  let out = text;
  for (const file of [...info.importedFiles].sort((a, b) => b.pos - a.pos)) {
    if (file.fileName.startsWith('.')) relative.unshift(file.fileName);
    const target = cdktnModule(file.fileName);
    if (target === undefined) continue;
    // `pos` is the literal's opening quote (the scanner's token start); the name follows it.
    const start = /['"`]/.test(text[file.pos]) ? file.pos + 1 : file.pos;
    const end = start + file.fileName.length;
    if (text.slice(start, end) !== file.fileName || !/['"`]/.test(text[end])) throw new Error(`${fileName}: specifier "${file.fileName}" is not at ${file.pos}`);
    out = out.slice(0, start) + target + out.slice(end);
    rewritten.unshift(`${file.fileName} -> ${target}`);
  }
  return { text: out, rewritten, relative, leftovers: cdktfNames(out, fileName) };
}

/**
 * Every module specifier, type reference, call argument (`require.resolve('cdktf')`) and
 * module path literal (`'@cdktf/x'`) in a file that names a cdktf module.
 */
export function cdktfNames(text: string, fileName: string): string[] {
  const found: string[] = [];
  const kind = /\.d\.ts$|\.ts$/.test(fileName) ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kind);
  const visit = (node: ts.Node): void => {
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && CDKTF_MODULE.test(node.text)) {
      // A path (`@cdktf/x`, `cdktf/lib/x`) anywhere; the bare word `cdktf` where it is a call's
      // argument (`require.resolve('cdktf')`), not where it is data (`'cdktf' | 'cdktn'`).
      if (node.text !== 'cdktf' || ts.isCallExpression(node.parent)) found.push(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  const info = ts.preProcessFile(text, true, true);
  for (const ref of [...info.typeReferenceDirectives, ...info.importedFiles]) if (CDKTF_MODULE.test(ref.fileName) && !found.includes(ref.fileName)) found.push(ref.fileName);
  return found;
}
