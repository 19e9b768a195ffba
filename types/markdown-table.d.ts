// markdown-table 2.x (CommonJS) ships no types; this is the part used by modules/stacks/module/module-docs.ts.
declare module 'markdown-table' {
  function markdownTable(table: string[][], options?: { align?: Array<'l' | 'c' | 'r' | ''> | string }): string;
  export = markdownTable;
}
