import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(__dirname, '../..');
const skip = new Set(['node_modules', 'cdktf.out', 'dist', '.git', 'coverage']);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (skip.has(name) || name.startsWith('.')) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|js|mjs|cjs)$/.test(name) ? [path] : [];
  });
}

// The provider's package barrel costs 1.1 s and 450 MB per synth (docs/architecture.md): only deep imports.
const barrel = /(?:from\s+|require\(\s*|import\(\s*)['"]@cdktf\/provider-aws['"]/;

test('no file imports the @cdktf/provider-aws barrel', () => {
  // This file spells barrel imports out as samples for the check below.
  const offenders = sources(root).filter((file) => file !== __filename && barrel.test(readFileSync(file, 'utf8')));
  expect(offenders.map((f) => relative(root, f))).toEqual([]);
});

test('the check itself recognises a barrel import', () => {
  expect(barrel.test("import { vpc } from '@cdktf/provider-aws';")).toBe(true);
  expect(barrel.test("const aws = require('@cdktf/provider-aws')")).toBe(true);
  expect(barrel.test("import { Vpc } from '@cdktf/provider-aws/lib/vpc';")).toBe(false);
});
