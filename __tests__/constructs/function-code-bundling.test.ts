import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Testing } from 'cdktf';
import { unzipSync } from 'fflate';
import { EntryBundleOptions, FunctionCode } from '../../modules/constructs/function-code';
import { run } from '../support/package-install';

// fromEntry bundles like AWS CDK's NodejsFunction: the AWS SDK v3 is left for the runtime.
// Every app here is a scratch folder outside the repository (no node_modules above it), so
// nothing the repository has installed can be found by esbuild.

/** The handler a user writes: it imports the SDK, which their app need not install. */
const HANDLER = `import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
const client = new DynamoDBClient({});
export const handler = async () => {
  const out = await client.send(new GetItemCommand({ TableName: 'orders', Key: { id: { S: '1' } } }));
  return { statusCode: 200, body: JSON.stringify(out.Item) };
};
`;

/** A stand-in for the runtime's SDK copy (Lambda's /var/runtime/node_modules), or for an installed one. */
const SDK_STUB = `exports.DynamoDBClient = class { async send(c) { return { Item: { id: c.input.Key.id, from: 'STUB_SDK' } }; } };
exports.GetItemCommand = class { constructor(input) { this.input = input; } };
`;

let cache: string;
const previousCache = process.env.VLD_CACHE_DIR;
beforeAll(() => {
  // A cache of this file's own, to find each zip by its hash.
  cache = mkdtempSync(join(tmpdir(), 'vld-bundling-cache-'));
  process.env.VLD_CACHE_DIR = cache;
});
afterAll(() => {
  if (previousCache === undefined) delete process.env.VLD_CACHE_DIR;
  else process.env.VLD_CACHE_DIR = previousCache;
});

/** A scratch app: `src/api.ts` and whatever else is given, nothing installed. */
function scratchApp(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'vld-user-handler-'));
  for (const [path, text] of Object.entries({ 'src/api.ts': HANDLER, ...files })) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** Binds `fromEntry(entry, options)` as a function would; returns the zip's files by name. */
function bundled(entry: string, options?: EntryBundleOptions): Record<string, Buffer> {
  let hash = '';
  Testing.synthScope((scope) => {
    hash = String(FunctionCode.fromEntry(entry, options).bind(scope, 'code').sourceCodeHash);
  });
  const zips = join(cache, 'zips');
  const name = readdirSync(zips).find((file) => file.endsWith('.sha256') && readFileSync(join(zips, file), 'utf8') === hash);
  if (!name) throw new Error(`no zip with hash ${hash} in ${zips}`);
  const files = unzipSync(readFileSync(join(zips, name.replace(/\.sha256$/, '.zip'))));
  return Object.fromEntries(Object.entries(files).map(([file, bytes]) => [file, Buffer.from(bytes)]));
}

/** The error `fromEntry(entry, options)` gives when bound, as one line. */
function refusal(entry: string, options?: unknown): string {
  try {
    Testing.synthScope((scope) => {
      FunctionCode.fromEntry(entry, options as EntryBundleOptions).bind(scope, 'code');
    });
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('bound without an error');
}

/** Unzips `files` into a task folder and runs its handler the way Lambda does, the runtime's node_modules on NODE_PATH. */
function invoke(files: Record<string, Buffer>, runtimeModules: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'vld-invoke-'));
  for (const [name, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(root, 'task', name)), { recursive: true });
    writeFileSync(join(root, 'task', name), bytes);
  }
  for (const [name, source] of Object.entries(runtimeModules)) {
    mkdirSync(join(root, 'runtime', name), { recursive: true });
    writeFileSync(join(root, 'runtime', name, 'index.js'), source);
  }
  const result = spawnSync(process.execPath, ['-e', "require('./task/index.js').handler().then((r) => process.stdout.write(r.body))"], {
    cwd: root,
    env: { PATH: process.env.PATH, NODE_PATH: join(root, 'runtime') },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`handler failed: ${result.stderr}`);
  return result.stdout;
}

describe('fromEntry leaves the AWS SDK v3 to the runtime, as NodejsFunction does', () => {
  test('a handler importing @aws-sdk/client-dynamodb bundles in an app with no SDK installed, and runs against the runtime\'s copy', () => {
    const app = scratchApp();
    expect(existsSync(join(app, 'node_modules'))).toBe(false);
    const files = bundled(join(app, 'src/api.ts'));
    expect(Object.keys(files)).toEqual(['index.js']);
    const code = files['index.js'].toString('utf8');
    expect(code).toContain('require("@aws-sdk/client-dynamodb")');
    // Only the handler: the SDK (hundreds of KB bundled) is not in it.
    expect(code.length).toBeLessThan(2000);
    expect(invoke(files, { '@aws-sdk/client-dynamodb': SDK_STUB })).toBe('{"id":{"S":"1"},"from":"STUB_SDK"}');
  });

  test('bundleAwsSDK: true in an app without the SDK fails naming the module, the option and the install', () => {
    const app = scratchApp();
    expect(refusal(join(app, 'src/api.ts'), { bundleAwsSDK: true })).toBe(
      `code: esbuild could not bundle ${join(app, 'src/api.ts')}: Could not resolve "@aws-sdk/client-dynamodb"; bundleAwsSDK is true, so the app must have the AWS SDK installed (npm install @aws-sdk/client-dynamodb), or drop bundleAwsSDK to use the runtime's copy`,
    );
  });

  test('bundleAwsSDK: true bundles the app\'s own SDK copy: no require of it is left', () => {
    const app = scratchApp({
      'node_modules/@aws-sdk/client-dynamodb/package.json': '{"name":"@aws-sdk/client-dynamodb","version":"3.0.0","main":"index.js"}',
      'node_modules/@aws-sdk/client-dynamodb/index.js': SDK_STUB.replace('STUB_SDK', 'BUNDLED_SDK'),
    });
    const files = bundled(join(app, 'src/api.ts'), { bundleAwsSDK: true });
    expect(files['index.js'].toString('utf8')).not.toContain('require("@aws-sdk/');
    // No runtime copy given: the bundled one answers.
    expect(invoke(files)).toBe('{"id":{"S":"1"},"from":"BUNDLED_SDK"}');
    // The default still leaves it out, with the copy installed.
    expect(bundled(join(app, 'src/api.ts'))['index.js'].toString('utf8')).toContain('require("@aws-sdk/client-dynamodb")');
  });

  test('externalModules replaces the default list; without @aws-sdk/* in it the SDK must be installed, and the message says so', () => {
    const app = scratchApp({ 'src/api.ts': `import 'sharp';\n${HANDLER}` });
    expect(refusal(join(app, 'src/api.ts'), { externalModules: ['sharp'] })).toBe(
      `code: esbuild could not bundle ${join(app, 'src/api.ts')}: Could not resolve "@aws-sdk/client-dynamodb"; externalModules replaces the default that leaves @aws-sdk/* to the runtime: add '@aws-sdk/*' to it, or npm install @aws-sdk/client-dynamodb`,
    );
    const code = bundled(join(app, 'src/api.ts'), { externalModules: ['sharp', '@aws-sdk/*'] })['index.js'].toString('utf8');
    expect(code).toContain('require("sharp")');
    expect(code).toContain('require("@aws-sdk/client-dynamodb")');
  });

  test('sourceMap writes index.js.map with sources relative to the app, so the same app anywhere zips to the same bytes', () => {
    const first = scratchApp({ 'package.json': '{"name":"orders","private":true}' });
    const second = mkdtempSync(join(tmpdir(), 'vld-user-handler-moved-'));
    cpSync(first, join(second, 'deeper', 'app'), { recursive: true });
    const files = bundled(join(first, 'src/api.ts'), { sourceMap: true });
    expect(Object.keys(files).sort()).toEqual(['index.js', 'index.js.map']);
    expect(files['index.js'].toString('utf8')).toMatch(/\/\/# sourceMappingURL=index\.js\.map\s*$/);
    const map = JSON.parse(files['index.js.map'].toString('utf8')) as { sources: string[] };
    expect(map.sources).toEqual(['src/api.ts']);
    const moved = bundled(join(second, 'deeper', 'app', 'src/api.ts'), { sourceMap: true });
    expect(moved).toEqual(files);
    expect(files['index.js.map'].toString('utf8')).not.toContain(tmpdir());
  });

  test('minify: false keeps the code readable, its file comments relative to the app; the default minifies', () => {
    const app = scratchApp({ 'package.json': '{"name":"orders","private":true}' });
    const readable = bundled(join(app, 'src/api.ts'), { minify: false })['index.js'].toString('utf8');
    expect(readable).toContain('// src/api.ts\n');
    expect(readable).toContain('var client = new import_client_dynamodb.DynamoDBClient({});');
    expect(readable).not.toContain(tmpdir());
    expect(bundled(join(app, 'src/api.ts'))['index.js'].toString('utf8')).not.toContain('import_client_dynamodb');
  });

  test('options of the wrong kind, unknown ones and contradictions are refused naming the option', () => {
    const entry = join(scratchApp(), 'src/api.ts');
    expect(refusal(entry, { external: ['sharp'] })).toBe('code.external: not a prop of EntryBundleOptions; did you mean externalModules?');
    expect(refusal(entry, { sourcemap: true })).toBe('code.sourcemap: not a prop of EntryBundleOptions; did you mean sourceMap?');
    expect(refusal(entry, { externalModules: 'sharp' })).toBe('code.externalModules: expected a list of module names, like \'sharp\' or \'@aws-sdk/*\', got "sharp"');
    expect(refusal(entry, { externalModules: ['@aws-sdk/**'] })).toBe('code.externalModules: "@aws-sdk/**" is not one of module names, like \'sharp\' or \'@aws-sdk/*\'');
    expect(refusal(entry, { nodeModules: ['./lib/x.js'] })).toBe('code.nodeModules: "./lib/x.js" is not one of package names from the app\'s package.json, like \'sharp\'');
    expect(refusal(entry, { minify: 'yes' })).toBe('code.minify: expected true or false, got "yes"');
    expect(refusal(entry, { bundleAwsSDK: true, externalModules: ['@aws-sdk/*'] })).toBe('code.bundleAwsSDK: is true but externalModules leaves @aws-sdk/* out; drop one of the two');
  });
});

describe('nodeModules are installed from the app\'s lockfile, not bundled', () => {
  /** An app whose package.json and package-lock.json have `greet` 1.0.0 from a tarball (no registry needed). */
  function appWithLockedModule(): string {
    const app = scratchApp({
      'src/api.ts': `import { greet } from 'greet';\n${HANDLER.replace('JSON.stringify(out.Item)', 'greet(out.Item.id.S)')}`,
      'vendor/greet/package.json': '{"name":"greet","version":"1.0.0","main":"index.js"}',
      'vendor/greet/index.js': "exports.greet = (name) => 'hello ' + name + ' from the installed greet';\n",
    });
    run('npm', ['pack', '--pack-destination', join(app, 'vendor'), '--silent'], join(app, 'vendor', 'greet'));
    rmSync(join(app, 'vendor', 'greet'), { recursive: true });
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'orders', private: true, dependencies: { greet: 'file:vendor/greet-1.0.0.tgz' } }));
    run('npm', ['install', '--offline', '--no-audit', '--no-fund'], app);
    // What the app has installed is not what ships: the install comes from the lockfile.
    rmSync(join(app, 'node_modules'), { recursive: true });
    return app;
  }

  test('the zip carries node_modules/greet at the locked version, the bundle requires it, and no local path or install file', () => {
    const app = appWithLockedModule();
    const files = bundled(join(app, 'src/api.ts'), { nodeModules: ['greet'] });
    expect(Object.keys(files).sort()).toEqual(['index.js', 'node_modules/greet/index.js', 'node_modules/greet/package.json']);
    expect(files['index.js'].toString('utf8')).toContain('require("greet")');
    expect(JSON.parse(files['node_modules/greet/package.json'].toString('utf8')).version).toBe('1.0.0');
    expect(invoke(files, { '@aws-sdk/client-dynamodb': SDK_STUB })).toBe('hello 1 from the installed greet');
    for (const bytes of Object.values(files)) expect(bytes.toString('utf8')).not.toContain(app);
  });

  test('a module the app does not depend on, or an app without a lockfile, is refused naming nodeModules', () => {
    const app = appWithLockedModule();
    expect(refusal(join(app, 'src/api.ts'), { nodeModules: ['left-pad'] })).toBe(`code.nodeModules: "left-pad" is not a dependency in ${join(app, 'package.json')}: npm install left-pad first`);
    rmSync(join(app, 'package-lock.json'));
    writeFileSync(join(app, 'yarn.lock'), '');
    expect(refusal(join(app, 'src/api.ts'), { nodeModules: ['greet'] })).toBe(
      `code.nodeModules: installs with npm ci from the package-lock.json beside ${join(app, 'package.json')}, and there is none (there is a yarn.lock; only npm's lockfile is read): run npm install there`,
    );
    const bare = scratchApp();
    expect(refusal(join(bare, 'src/api.ts'), { nodeModules: ['greet'] })).toBe(`code.nodeModules: installs from the app's package.json, and there is none in ${join(bare, 'src')} or above`);
  });
});
