import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contentHash, oncePerRun } from '../support/run-cache';

/** The store test files share terraform results through within one run (support/run-cache.ts). */
describe('run cache', () => {
  const saved = process.env.VLD_TEST_RUN_CACHE;
  beforeEach(() => {
    process.env.VLD_TEST_RUN_CACHE = mkdtempSync(join(tmpdir(), 'vld-run-cache-test-'));
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.VLD_TEST_RUN_CACHE;
    else process.env.VLD_TEST_RUN_CACHE = saved;
  });

  test('the same key runs once; a concurrent caller waits for the result; another key runs again', async () => {
    let runs = 0;
    const make = async () => {
      runs += 1;
      await new Promise((r) => setTimeout(r, 200));
      return { runs };
    };
    const [a, b] = await Promise.all([oncePerRun('k', make), oncePerRun('k', make)]);
    expect([a, b, runs]).toEqual([{ runs: 1 }, { runs: 1 }, 1]);
    expect(await oncePerRun('k', make)).toEqual({ runs: 1 });
    expect(await oncePerRun('other', make)).toEqual({ runs: 2 });
  });

  test('a failure is not shared: the next caller runs again and gets its own answer', async () => {
    await expect(oncePerRun('k', () => { throw new Error('terraform plan failed'); })).rejects.toThrow('terraform plan failed');
    expect(await oncePerRun('k', () => 'second try')).toBe('second try');
  });

  test('without a run folder every call runs', async () => {
    delete process.env.VLD_TEST_RUN_CACHE;
    let runs = 0;
    await oncePerRun('k', () => ++runs);
    await oncePerRun('k', () => ++runs);
    expect(runs).toBe(2);
  });

  test("the content hash follows every file's path and bytes, not terraform's working files", () => {
    const dir = mkdtempSync(join(tmpdir(), 'vld-hash-'));
    writeFileSync(join(dir, 'main.tf.json'), '{}');
    const before = contentHash(dir);
    const copy = join(mkdtempSync(join(tmpdir(), 'vld-hash-')), 'stack');
    cpSync(dir, copy, { recursive: true });
    expect(contentHash(copy)).toBe(before);
    writeFileSync(join(dir, '.terraform.lock.hcl'), 'lock');
    writeFileSync(join(dir, 'plan-1-2.bin'), 'plan');
    expect(contentHash(dir)).toBe(before);
    writeFileSync(join(dir, 'main.tf.json'), '{ }');
    expect(contentHash(dir)).not.toBe(before);
  });
});
