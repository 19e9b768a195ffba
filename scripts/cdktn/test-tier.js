// `npm run test:cdktn [jest args]`: the cdktn tier (jest.cdktn.config.js) with CDK Terrain
// installed on demand (deps.js). When it cannot be installed the tier is skipped with the
// reason, except under CI=true, where that is a failure.
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');
const { ensureDeps } = require('./deps');

let deps;
try {
  deps = ensureDeps();
  if (deps.installedNow) console.log(`cdktn tier: CDK Terrain installed into ${deps.nodeModules} in ${deps.seconds} s`);
} catch (error) {
  if (process.env.CI === 'true') {
    console.error(`error: CI=true but ${error.message}`);
    process.exit(1);
  }
  console.warn(`skipping the cdktn tier: ${error.message}`);
  process.exit(0);
}
const root = join(__dirname, '..', '..');
const jest = spawnSync(process.execPath, [join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '-c', join(root, 'jest.cdktn.config.js'), ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, VLD_CDKTN_NODE_MODULES: deps.nodeModules },
});
process.exit(jest.status ?? 1);
