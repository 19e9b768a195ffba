#!/usr/bin/env node
// `npm run synth`: runs the app as one prebuilt file (build/synth/main.js: tsc's build/app
// bundled by esbuild with cdktf, constructs, the provider bindings and zod), with a V8 code
// cache beside it. Rebuilt first when a source, a tsconfig or the installed packages are newer
// than the bundle, so no TypeScript is compiled and no module is resolved on the hot path
// (docs/architecture.md, "Running the app").
'use strict';
const { closeSync, existsSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

const root = join(__dirname, '..');
const compiled = join(root, 'build', 'app', 'main.js');
const bundle = join(root, 'build', 'synth', 'main.js');

/** Newest modification time among what the bundle is made from. */
function newestInput() {
  let newest = 0;
  const visit = (path) => {
    const stat = statSync(path);
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
    else if (/\.(ts|json)$/.test(path)) newest = Math.max(newest, stat.mtimeMs);
  };
  // node_modules/.package-lock.json is rewritten by every npm install/ci: the bundle carries
  // cdktf, constructs, the provider bindings and zod, so a changed install rebuilds it.
  for (const path of ['main.ts', 'modules', 'functions/bundle.ts', 'types', 'tsconfig.json', 'tsconfig.build.json', 'tsconfig.app.json', 'package.json', 'package-lock.json', 'node_modules/.package-lock.json']) {
    if (existsSync(join(root, path))) visit(join(root, path));
  }
  return newest;
}

/**
 * cdktf/lib/private/fs.js zips a directory asset by running itself in a child node
 * (`node ${__filename} src dest`): inside the bundle __filename would be the bundle, so it is
 * pointed back at the file in node_modules, which still runs there with its own archiver.
 * In this process archiver is only needed by that child: required on first use instead of at
 * load (archiver, its streams and graceful-fs are ~10% of loading the app).
 */
const cdktfAssetArchives = {
  name: 'cdktf-asset-archives',
  setup(build) {
    build.onLoad({ filter: /[\\/]cdktf[\\/]lib[\\/]private[\\/]fs\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const eager = 'const archiver = require("archiver");';
      return {
        contents: source.replace(/\b__filename\b/g, JSON.stringify(args.path)).replace(eager, 'const archiver = (...args) => require("archiver")(...args);'),
        loader: 'js',
      };
    });
  },
};

/** tsc -p tsconfig.app.json (build/app), then esbuild: build/app/main.js and the packages it requires in one file. */
async function build() {
  const { spawnSync } = require('node:child_process');
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  const run = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.app.json')], { stdio: 'inherit' });
  if (run.status !== 0) {
    console.error('error: build: tsc -p tsconfig.app.json failed (see above)');
    process.exit(1);
  }
  const esbuild = require(require.resolve('esbuild', { paths: [root] }));
  mkdirSync(dirname(bundle), { recursive: true });
  // Old code caches belong to the old bundle.
  for (const name of readdirSync(dirname(bundle))) if (name.endsWith('.v8cache')) rmSync(join(dirname(bundle), name), { force: true });
  const temporary = `${bundle}.tmp-${process.pid}`;
  // The async API: plugins need it.
  await esbuild.build({
    entryPoints: [compiled],
    outfile: temporary,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // No comments or indentation: an ASCII-only file that V8 reads as a one-byte string (the
    // comments hold UTF-8), 40% smaller to read and hash. Names are kept: nothing is renamed.
    minifyWhitespace: true,
    // esbuild runs its own binary from its package; @cdktf/hcl-tools reads its wasm beside its
    // own files (and is required only for --hcl).
    external: ['esbuild', '@cdktf/hcl-tools'],
    plugins: [cdktfAssetArchives],
    legalComments: 'none',
    logLevel: 'error',
  });
  // Whole or not at all: a synth running meanwhile reads the old bundle or the new one.
  renameSync(temporary, bundle);
}

/**
 * Loads the bundle as a CommonJS module through vm.Script with V8's code cache: the cache
 * holds the bytecode of every function the previous synth ran (made after it ran, so the
 * lazily compiled ones too), which spares parsing and compiling ~3.6 MB of JavaScript. The
 * cache is named by the bundle's size and time (V8 itself only checks the source length) and
 * rejected by V8 when node or its flags differ; then a new one is written after the synth.
 */
function loadBundle() {
  const vm = require('node:vm');
  const Module = require('node:module');
  const fd = openSync(bundle, 'r');
  let source, stat;
  try {
    stat = fstatSync(fd);
    source = readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
  // V8 rejects a cache made under other flags: `cdktf synth` runs this entry with
  // NODE_OPTIONS=--max-old-space-size=4096, so one shared file was rewritten by every other
  // run (each paying a full compile). One file per flag set keeps both warm.
  const flags = require('node:crypto').createHash('sha256').update(`${process.execArgv.join(' ')}|${process.env.NODE_OPTIONS ?? ''}`).digest('hex').slice(0, 8);
  const cacheFile = `${bundle}.${stat.size}-${Math.floor(stat.mtimeMs)}-${process.version}-${process.arch}-${flags}.v8cache`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // No cache yet: compiled from source, and the cache is written after the synth.
  }
  const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
  const module_ = new Module(bundle, module);
  module_.filename = bundle;
  module_.paths = Module._nodeModulePaths(dirname(bundle));
  script.runInThisContext().call(module_.exports, module_.exports, Module.createRequire(bundle), module_, bundle, dirname(bundle));
  module_.loaded = true;
  const saveCache = () => {
    if (cachedData && !script.cachedDataRejected) return;
    try {
      const temporary = `${cacheFile}.tmp-${process.pid}`;
      writeFileSync(temporary, script.createCachedData());
      renameSync(temporary, cacheFile);
    } catch {
      // A read-only checkout synthesizes without a cache.
    }
  };
  return { app: module_.exports, saveCache };
}

async function run() {
  if (!existsSync(bundle) || statSync(bundle).mtimeMs < newestInput()) await build();
  const { app, saveCache } = loadBundle();
  process.exitCode = await app.main(process.argv);
  saveCache();
}

run();
