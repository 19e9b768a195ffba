import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** README.md and docs/*.md: every relative link reaches a file, and a heading when it names one. */
const root = join(__dirname, '../..');
const docs = ['README.md', ...readdirSync(join(root, 'docs')).filter((file) => file.endsWith('.md')).map((file) => `docs/${file}`)];

/** The text outside fenced code blocks and inline code, where links are links. */
const prose = (markdown: string) => markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');

/** GitHub's heading anchors: lowercase, punctuation dropped, spaces to hyphens, repeats numbered -1, -2. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const found = new Set<string>();
  for (const line of markdown.replace(/^```[\s\S]*?^```/gm, '').split('\n')) {
    const heading = /^#{1,6}\s+(.*?)\s*$/.exec(line);
    if (!heading) continue;
    const slug = heading[1].toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    found.add(count ? `${slug}-${count}` : slug);
  }
  return found;
}

/** Each broken relative link of a file, as "file: target (why)". */
function brokenLinks(doc: string): string[] {
  const broken: string[] = [];
  for (const [, target] of prose(readFileSync(join(root, doc), 'utf8')).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
    const [path, anchor] = target.split('#');
    const file = path ? resolve(root, dirname(doc), decodeURIComponent(path)) : join(root, doc);
    if (!existsSync(file)) broken.push(`${doc}: ${target} (no such file)`);
    else if (anchor && statSync(file).isFile() && file.endsWith('.md') && !anchors(readFileSync(file, 'utf8')).has(anchor)) broken.push(`${doc}: ${target} (no such heading)`);
  }
  return broken;
}

test.each(docs)('%s: every relative link points to an existing file and heading', (doc) => {
  expect(brokenLinks(doc)).toEqual([]);
});

test('the README links every reference doc', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  expect(docs.filter((doc) => doc !== 'README.md' && !readme.includes(`](${doc})`))).toEqual([]);
});
