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

/** The files a file imports, transitively: relative imports only, each resolved to its .ts file. */
function importGraph(entry: string): { files: string[]; packages: Map<string, string> } {
  const files: string[] = [];
  const packages = new Map<string, string>();
  const visit = (file: string) => {
    if (files.includes(file)) return;
    files.push(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/g)) {
      const spec = m[1] ?? m[2];
      if (/^import\s+type\b|^export\s+type\b/.test(m[0].trim())) continue;
      if (spec.startsWith('.')) {
        const base = resolve(join(file, '..'), spec);
        const candidates = [`${base}.ts`, join(base, 'index.ts')];
        const found = candidates.find((c) => {
          try {
            return statSync(c).isFile();
          } catch {
            return false;
          }
        });
        if (found) visit(found);
      } else if (!spec.startsWith('node:')) packages.set(spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/'), relative(root, file));
    }
  };
  visit(entry);
  return { files, packages };
}

// `npx vpc-lambda-dynamodb check` runs from the installed package, where the CDKTF peers
// (cdktf, constructs, the provider bindings: ~430 MB) are optional: check must not load them.
test('check (scripts/check.ts and analysis/) imports no CDKTF package', () => {
  const { files, packages } = importGraph(join(root, 'scripts', 'check.ts'));
  expect(files.length).toBeGreaterThan(20);
  const framework = [...packages].filter(([name]) => /^(cdktf|constructs|@cdktf\/)/.test(name));
  expect(framework).toEqual([]);
});
