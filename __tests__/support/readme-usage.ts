/** The README's "use the package" section, read as a contract the package test runs. */
export const USAGE_HEADING = '## Use the constructs in your own CDKTF app';

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
export function usageSection(readme: string): string | undefined {
  const lines = readme.split(/\r?\n/);
  const start = lines.findIndex((line) => line.trim() === USAGE_HEADING);
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
