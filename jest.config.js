/** jest with @swc/jest: types are checked once by `tsc --noEmit`, not per test file (docs/architecture.md). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // The cdktn tier needs CDK Terrain, installed on demand: npm run test:cdktn (jest.cdktn.config.js).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/__tests__/cdktn/'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  // Terraform plans and real database servers are slow to start; each file owns its own servers.
  testTimeout: 120000,
  // The HCL grammar the analysis parses with, loaded once per file.
  setupFilesAfterEnv: ['<rootDir>/__tests__/support/load-hcl-parser.ts'],
  maxWorkers: 2,
  // Longest files first, also on a fresh clone with no duration cache (jest.sequencer.js).
  testSequencer: '<rootDir>/jest.sequencer.js',
  // A folder per run where test files share plans of identical configurations (__tests__/support/run-cache.ts).
  globalSetup: '<rootDir>/__tests__/support/run-cache-setup.js',
  globalTeardown: '<rootDir>/__tests__/support/run-cache-teardown.js',
};
