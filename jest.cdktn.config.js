/**
 * The cdktn tier (`npm run test:cdktn`, docs/development.md): the same construct tests run
 * against CDK Terrain, plus __tests__/cdktn/ (the rewritten tree type-checked, both frameworks
 * mixed in one app, the package in a scratch cdktn app). CDK Terrain is not in the repo's
 * node_modules: scripts/cdktn/deps.js installs it on demand into a cache folder.
 */
const { join } = require('node:path');
const base = require('./jest.config.js');
const { ensureDeps } = require('./scripts/cdktn/deps.js');

const cdktn = process.env.VLD_CDKTN_NODE_MODULES || ensureDeps().nodeModules;
const shared = {
  rootDir: __dirname,
  testEnvironment: base.testEnvironment,
  testMatch: base.testMatch,
  transform: base.transform,
  setupFilesAfterEnv: base.setupFilesAfterEnv,
};

module.exports = {
  testTimeout: base.testTimeout,
  maxWorkers: base.maxWorkers,
  testSequencer: base.testSequencer,
  globalSetup: base.globalSetup,
  globalTeardown: base.globalTeardown,
  projects: [
    {
      ...shared,
      displayName: 'constructs on cdktn',
      roots: ['<rootDir>/__tests__/constructs'],
      // No copy of the tests: the modules' (and the tests') framework imports resolve to CDK
      // Terrain, as the build rewrites them (scripts/cdktn/rewrite.ts); one constructs for both.
      moduleNameMapper: {
        '^cdktf$': join(cdktn, 'cdktn'),
        '^@cdktf/provider-aws/lib/(.*)$': join(cdktn, '@cdktn/provider-aws/lib/$1'),
        '^constructs$': join(cdktn, 'constructs'),
      },
      setupFilesAfterEnv: [...base.setupFilesAfterEnv, '<rootDir>/__tests__/cdktn/support/mapped-to-cdktn.ts'],
    },
    {
      ...shared,
      displayName: 'cdktn',
      roots: ['<rootDir>/__tests__/cdktn'],
      // cdktf from the repo and CDK Terrain from the cache, sharing the cache's constructs
      // (10.7, in both frameworks' ranges), as one app that has both installed would.
      moduleNameMapper: { '^constructs$': join(cdktn, 'constructs') },
      modulePaths: ['<rootDir>/node_modules'],
    },
  ],
};
