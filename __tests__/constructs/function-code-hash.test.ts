import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { bundleEntry, folderContentHash } from '../../modules/private/bundle-cache';
import { synthesizeApp } from '../../modules/stacks/synthesize';
import { DeployStack } from '../../modules/stacks/deploy/deploy-stack';
import { parseDeployConfig } from '../../modules/stacks/deploy/deploy-config';
import { testBundles } from '../support/synth';

/** Synthesizes the default deploy stack to a fresh folder; returns each function's zip bytes and hash. */
async function synthZips(): Promise<Record<string, { hash: string; zip: Buffer }>> {
  const out = mkdtempSync(join(tmpdir(), 'vld-hash-'));
  const config = parseDeployConfig({});
  await synthesizeApp(out, false, (app) => new DeployStack(app, config, testBundles()));
  const dir = join(out, 'stacks', config.stackName);
  const json = JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8')) as { resource: { aws_lambda_function: Record<string, { filename: string; source_code_hash: string }> } };
  return Object.fromEntries(
    Object.entries(json.resource.aws_lambda_function).map(([name, fn]) => [name, { hash: fn.source_code_hash, zip: readFileSync(join(dir, fn.filename.replace('${path.module}/', ''))) }]),
  );
}

describe('function zips: reproducible, and hashed the way Lambda and Terraform hash them', () => {
  test('two synths of the same tree give byte-identical zips and equal source_code_hash, which is filebase64sha256 of the zip', async () => {
    const first = await synthZips();
    const second = await synthZips();
    expect(Object.keys(first)).toHaveLength(2);
    for (const [name, { hash, zip }] of Object.entries(first)) {
      expect([name, zip.equals(second[name].zip), hash]).toEqual([name, true, second[name].hash]);
      expect(hash).toBe(createHash('sha256').update(zip).digest('base64'));
      // Only the bundle ships: no cache bookkeeping (local paths) inside the zip.
      expect(Object.keys(unzipSync(zip))).toEqual(['index.js']);
    }
  });

  test('file times do not reach the zip: a touched copy of the bundle zips to the same hash', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'vld-touched-'));
    cpSync(testBundles().products, copy, { recursive: true });
    utimesSync(join(copy, 'index.js'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    const { zipFolderSync } = await import('../../modules/private/reproducible-zip');
    expect(Buffer.from(zipFolderSync(copy)).equals(Buffer.from(zipFolderSync(testBundles().products)))).toBe(true);
  });
});

describe('bundle cache: esbuild runs only when an input changed', () => {
  test('processes bundling the same entry at once (jest workers on a fresh cache) all get a complete bundle', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vld-race-src-'));
    writeFileSync(join(dir, 'handler.ts'), 'export const handler = async () => 1;\n');
    const cache = mkdtempSync(join(tmpdir(), 'vld-race-cache-'));
    const tsx = join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
    // Each process bundles, then keeps reading its bundle (as a synth zipping it would) while
    // the others finish theirs: the bundle must never vanish under it.
    const script = `const { bundleEntry } = require('./modules/private/bundle-cache'); const { existsSync } = require('fs');
      const b = bundleEntry(process.argv[1], { target: 'node20', external: [], minify: true });
      const until = Date.now() + 1500;
      while (Date.now() < until) if (!existsSync(b.dir + '/index.js')) { console.error('gone: ' + b.dir); process.exit(3); }`;
    const runs = await Promise.all(
      [1, 2, 3, 4].map(
        () =>
          new Promise<{ code: number | null; stderr: string }>((done) => {
            const child = spawn(tsx, ['-e', script, join(dir, 'handler.ts')], { cwd: join(__dirname, '..', '..'), env: { ...process.env, VLD_CACHE_DIR: cache } });
            let stderr = '';
            child.stderr.on('data', (chunk) => (stderr += String(chunk)));
            child.on('close', (code) => done({ code, stderr }));
          }),
      ),
    );
    expect(runs).toEqual([1, 2, 3, 4].map(() => ({ code: 0, stderr: '' })));
  });

  const options = { target: 'node20', external: [], minify: true };

  test('an unchanged entry is not rebundled; a changed import is', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vld-cache-src-'));
    process.env.VLD_CACHE_DIR = mkdtempSync(join(tmpdir(), 'vld-cache-'));
    try {
      writeFileSync(join(dir, 'greeting.ts'), "export const greeting = 'hello';\n");
      writeFileSync(join(dir, 'handler.ts'), "import { greeting } from './greeting';\nexport const handler = async () => greeting;\n");
      const first = bundleEntry(join(dir, 'handler.ts'), options);
      const again = bundleEntry(join(dir, 'handler.ts'), options);
      expect([first.cached, again.cached]).toEqual([false, true]);
      // A change in an imported file, not the entry, is seen through esbuild's metafile inputs.
      writeFileSync(join(dir, 'greeting.ts'), "export const greeting = 'bonjour';\n");
      const changed = bundleEntry(join(dir, 'handler.ts'), options);
      expect(changed.cached).toBe(false);
      expect(readFileSync(join(changed.dir, 'index.js'), 'utf8')).toContain('bonjour');
      // Other options are another bundle.
      expect(bundleEntry(join(dir, 'handler.ts'), { ...options, minify: false }).cached).toBe(false);
    } finally {
      delete process.env.VLD_CACHE_DIR;
    }
  });

  test('a warm check trusts an old unchanged stat without reading the file; a fresh file, or one written since, is hashed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vld-cache-src-'));
    const cache = mkdtempSync(join(tmpdir(), 'vld-cache-'));
    process.env.VLD_CACHE_DIR = cache;
    const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    try {
      const greeting = join(dir, 'greeting.ts');
      writeFileSync(greeting, "export const greeting = 'hello';\n");
      // A whole second an hour ago: put back exactly below.
      const hourAgo = Math.floor(Date.now() / 1000) - 3600;
      utimesSync(greeting, hourAgo, hourAgo);
      writeFileSync(join(dir, 'handler.ts'), "import { greeting } from './greeting';\nexport const handler = async () => greeting;\n");
      expect(bundleEntry(join(dir, 'handler.ts'), options).cached).toBe(false);
      const recordFile = join(cache, 'bundles', readdirSync(join(cache, 'bundles')).find((name) => name.endsWith('.json'))!);
      // The record's hash of greeting.ts is made wrong: only a check that reads the file notices.
      const tamper = (checkedAt: number) => {
        const record = JSON.parse(readFileSync(recordFile, 'utf8')) as { checkedAt: number; inputs: Record<string, { sha256: string }> };
        record.checkedAt = checkedAt;
        record.inputs[greeting].sha256 = '0'.repeat(64);
        writeFileSync(recordFile, JSON.stringify(record));
      };
      // Just written: its stat is not trusted (a same-size write in the same clock tick would look unchanged), so it is hashed.
      tamper(Date.now());
      expect(bundleEntry(join(dir, 'handler.ts'), options).cached).toBe(false);
      // Checked long after the file's last write: the stat alone says unchanged and the file is not read.
      tamper(Date.now() + 60_000);
      expect(bundleEntry(join(dir, 'handler.ts'), options).cached).toBe(true);
      // Same size, and the old mtime put back (as cp -p or tar would): the ctime still differs, so it is hashed and rebundled.
      const before = statSync(greeting);
      sleep(50);
      writeFileSync(greeting, "export const greeting = 'howdy';\n");
      utimesSync(greeting, hourAgo, hourAgo);
      expect(statSync(greeting).size).toBe(before.size);
      expect(statSync(greeting).mtimeMs).toBe(before.mtimeMs);
      const changed = bundleEntry(join(dir, 'handler.ts'), options);
      expect(changed.cached).toBe(false);
      expect(readFileSync(join(changed.dir, 'index.js'), 'utf8')).toContain('howdy');
    } finally {
      delete process.env.VLD_CACHE_DIR;
    }
  });

  test("a folder's content hash (the zip cache's key) is reused from its files' stats, and recomputed when a file is written, added or removed", () => {
    const dir = mkdtempSync(join(tmpdir(), 'vld-folder-'));
    const cache = mkdtempSync(join(tmpdir(), 'vld-cache-'));
    process.env.VLD_CACHE_DIR = cache;
    const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    const expected = (files: Record<string, string>) => {
      const hash = createHash('sha256');
      for (const name of Object.keys(files).sort()) hash.update(`${name}\0`).update(files[name]).update('\0');
      return hash.digest('hex');
    };
    try {
      const hourAgo = Math.floor(Date.now() / 1000) - 3600;
      mkdirSync(join(dir, 'lib'));
      writeFileSync(join(dir, 'index.js'), 'exports.a = 1;\n');
      writeFileSync(join(dir, 'lib', 'b.js'), 'exports.b = 2;\n');
      utimesSync(join(dir, 'index.js'), hourAgo, hourAgo);
      expect(folderContentHash(dir)).toBe(expected({ 'index.js': 'exports.a = 1;\n', [join('lib', 'b.js')]: 'exports.b = 2;\n' }));
      const recordFile = join(cache, 'folders', readdirSync(join(cache, 'folders'))[0]);
      const tamper = (checkedAt: number) => {
        const record = JSON.parse(readFileSync(recordFile, 'utf8')) as { checkedAt: number; hash: string };
        writeFileSync(recordFile, JSON.stringify({ ...record, checkedAt, hash: 'kept' }));
      };
      // Files written just before the record: their stats are not trusted, so the folder is read again.
      tamper(Date.now());
      expect(folderContentHash(dir)).not.toBe('kept');
      // Recorded long after the last write: listed and statted only, the recorded hash is returned.
      tamper(Date.now() + 60_000);
      expect(folderContentHash(dir)).toBe('kept');
      // A same-size write with the old mtime put back: the ctime differs.
      sleep(50);
      writeFileSync(join(dir, 'index.js'), 'exports.a = 3;\n');
      utimesSync(join(dir, 'index.js'), hourAgo, hourAgo);
      expect(folderContentHash(dir)).toBe(expected({ 'index.js': 'exports.a = 3;\n', [join('lib', 'b.js')]: 'exports.b = 2;\n' }));
      // A file added, then removed.
      tamper(Date.now() + 60_000);
      writeFileSync(join(dir, 'lib', 'c.js'), '');
      expect(folderContentHash(dir)).toBe(expected({ 'index.js': 'exports.a = 3;\n', [join('lib', 'b.js')]: 'exports.b = 2;\n', [join('lib', 'c.js')]: '' }));
      tamper(Date.now() + 60_000);
      rmSync(join(dir, 'lib', 'c.js'));
      expect(folderContentHash(dir)).toBe(expected({ 'index.js': 'exports.a = 3;\n', [join('lib', 'b.js')]: 'exports.b = 2;\n' }));
    } finally {
      delete process.env.VLD_CACHE_DIR;
    }
  });
});
