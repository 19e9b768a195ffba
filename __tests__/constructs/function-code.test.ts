import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { FunctionCode } from '../../modules/constructs/function-code';

describe('FunctionCode', () => {
  test('fromEntry bundles a TypeScript entry with esbuild into a zip asset hashed by content', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vld-entry-test-'));
    writeFileSync(join(dir, 'greeting.ts'), 'export const greeting = (n: string): string => `hello ${n}`;\n');
    writeFileSync(join(dir, 'api.ts'), "import { greeting } from './greeting';\nexport const handler = async () => ({ statusCode: 200, body: greeting('x') });\n");
    const hashes: string[] = [];
    Testing.synthScope((scope) => {
      hashes.push(String(FunctionCode.fromEntry(join(dir, 'api.ts')).bind(scope, 'one').sourceCodeHash));
      hashes.push(String(FunctionCode.fromEntry(join(dir, 'api.ts')).bind(scope, 'two').sourceCodeHash));
      const config = FunctionCode.fromEntry(join(dir, 'api.ts')).bind(scope, 'three');
      expect(config.filename).toMatch(/^\$\{path\.module\}\/assets\/three\/[0-9A-F]{32}\/[0-9a-f]{64}\.zip$/);
    });
    // The same source bundles to the same bytes: the same hash, no redeploy.
    expect(hashes[0]).toBe(hashes[1]);
  });

  test('fromEntry names the entry and esbuild\'s complaint when the code does not build', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vld-entry-test-'));
    writeFileSync(join(dir, 'broken.ts'), "import { nothing } from './missing';\nexport const handler = nothing;\n");
    expect(() => Testing.synthScope((scope) => FunctionCode.fromEntry(join(dir, 'broken.ts')).bind(scope, 'c'))).toThrow(/code: esbuild could not bundle .*broken\.ts: Could not resolve "\.\/missing"/);
    expect(() => Testing.synthScope((scope) => FunctionCode.fromEntry(join(dir, 'absent.ts')).bind(scope, 'c'))).toThrow(/code: entry file .*absent\.ts does not exist/);
  });

  test('fromZip takes a zip file; anything else is refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vld-zip-test-'));
    writeFileSync(join(dir, 'api.zip'), 'PK\u0005\u0006' + '\u0000'.repeat(18));
    Testing.synthScope((scope) => {
      expect(FunctionCode.fromZip(join(dir, 'api.zip')).bind(scope, 'z').filename).toMatch(/^\$\{path\.module\}\/assets\/z\/[0-9A-F]{32}\/api\.zip$/);
    });
    expect(() => Testing.synthScope((scope) => FunctionCode.fromZip(join(dir, 'nope.zip')).bind(scope, 'z'))).toThrow('is not a zip file');
  });

  test('fromS3 passes bucket, key and hash through', () => {
    expect(FunctionCode.fromS3('builds', 'api/1.zip', { sourceCodeHash: 'abc=' }).bind(undefined as never, 'x')).toEqual({ s3Bucket: 'builds', s3Key: 'api/1.zip', s3ObjectVersion: undefined, sourceCodeHash: 'abc=' });
  });
});
