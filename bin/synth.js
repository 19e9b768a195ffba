#!/usr/bin/env node
// `npm run synth`: runs the compiled app (build/app/main.js), building it first when a TypeScript
// source is newer than the build, so no TypeScript is compiled on the hot path.
'use strict';
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const root = join(__dirname, '..');
const built = join(root, 'build', 'app', 'main.js');

/** Newest modification time among the sources the build compiles. */
function newestSource() {
  let newest = 0;
  const visit = (path) => {
    const stat = statSync(path);
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
    else if (/\.(ts|json)$/.test(path)) newest = Math.max(newest, stat.mtimeMs);
  };
  for (const path of ['main.ts', 'modules', 'functions/bundle.ts', 'types', 'tsconfig.json', 'tsconfig.build.json', 'tsconfig.app.json', 'package.json']) {
    if (existsSync(join(root, path))) visit(join(root, path));
  }
  return newest;
}

if (!existsSync(built) || statSync(built).mtimeMs < newestSource()) {
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  const run = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.app.json')], { stdio: 'inherit' });
  if (run.status !== 0) {
    console.error('error: build: tsc -p tsconfig.app.json failed (see above)');
    process.exit(1);
  }
}
require(built)
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
