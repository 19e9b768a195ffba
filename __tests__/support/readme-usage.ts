/** The README's "use the package" section, read as a contract the package test runs. */
export const USAGE_HEADING = '## Use the constructs in your own CDKTF app';

/** The README's CDK Terrain section: the same main.ts with its imports replaced (__tests__/cdktn/npm-pack-cdktn.test.ts). */
export const CDKTN_USAGE_HEADING = '## Use the constructs with CDK Terrain';

/** What the section shows a user. */
export interface UsageSample {
  /** The section's first ```ts block: the user's main.ts. */
  readonly mainTs: string;
  /** Handler files the user has: "with your handler in `src/api.ts`" and every `FunctionCode.fromEntry('...')`. */
  readonly handlerFiles: string[];
  /** The first key of `tables: { ... }`, the user's table. */
  readonly tableKey?: string;
  /** The first key of `functions: { ... }`, the user's function. */
  readonly functionKey?: string;
  /** Every `dynamodb:Action` the block grants. */
  readonly dynamoDbActions: string[];
}

/** The section's text (heading to the next level-2 heading), or undefined when there is none. */
export function usageSection(readme: string, heading = USAGE_HEADING): string | undefined {
  const lines = readme.split(/\r?\n/);
  const start = lines.findIndex((line) => line.trim() === heading);
  if (start < 0) return undefined;
  const end = lines.findIndex((line, index) => index > start && /^## /.test(line));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

/** Reads the sample out of a section; throws naming what is missing. */
export function usageSample(section: string): UsageSample {
  const block = /^```(?:ts|typescript)[ \t]*\r?\n([\s\S]*?)^```/m.exec(section);
  if (!block) throw new Error(`README section "${USAGE_HEADING}" has no \`\`\`ts block`);
  const mainTs = block[1];
  const handlerFiles = new Set<string>();
  for (const match of section.slice(0, block.index).matchAll(/handlers? (?:is |are )?in `([^`]+\.[cm]?[jt]s)`/g)) handlerFiles.add(match[1]);
  for (const match of mainTs.matchAll(/FunctionCode\.fromEntry\(\s*['"`]([^'"`]+)['"`]/g)) handlerFiles.add(match[1]);
  return {
    mainTs,
    handlerFiles: [...handlerFiles],
    tableKey: /\btables:\s*\{\s*['"]?([A-Za-z0-9_-]+)['"]?\s*:/.exec(mainTs)?.[1],
    functionKey: /\bfunctions:\s*\{\s*['"]?([A-Za-z0-9_-]+)['"]?\s*:/.exec(mainTs)?.[1],
    dynamoDbActions: [...new Set(mainTs.match(/dynamodb:[A-Za-z]+/g) ?? [])].sort(),
  };
}

/** A minimal handler in the file's language, as the user's own code. */
export function handlerSource(path: string): string {
  return /\.[cm]?js$/.test(path)
    ? "exports.handler = async () => ({ statusCode: 200, body: 'ok' });\n"
    : "export const handler = async () => ({ statusCode: 200, body: 'ok' });\n";
}

/**
 * The CDK Terrain section's main.ts: the CDKTF sample's with its import lines replaced by the
 * section's ```ts block, which must hold only imports, as many as the sample's ("in place of its
 * four"); and the `this.addOverride(...)` the section gives for staying on aws 5.x.
 */
export function cdktnUsage(section: string, sample: UsageSample): { mainTs: string; imports: string[]; providerOverride?: string } {
  const block = /^```(?:ts|typescript)[ \t]*\r?\n([\s\S]*?)^```/m.exec(section);
  if (!block) throw new Error(`README section "${CDKTN_USAGE_HEADING}" has no \`\`\`ts block`);
  const imports = block[1].split('\n').filter((line) => line.trim() !== '');
  const others = imports.filter((line) => !/^import .* from '[^']+';$/.test(line));
  if (others.length) throw new Error(`README section "${CDKTN_USAGE_HEADING}": its ts block should hold only imports, also has: ${others[0]}`);
  const lines = sample.mainTs.split('\n');
  const cdktfImports = lines.filter((line) => /^import /.test(line));
  if (cdktfImports.length !== imports.length) throw new Error(`README: the CDKTF main.ts has ${cdktfImports.length} imports, the CDK Terrain section ${imports.length}`);
  const first = lines.findIndex((line) => /^import /.test(line));
  const mainTs = [...lines.slice(0, first), ...imports, ...lines.slice(first).filter((line) => !/^import /.test(line))].join('\n');
  return { mainTs, imports, providerOverride: /`(this\.addOverride\([^`]*\);)`/.exec(section)?.[1] };
}
