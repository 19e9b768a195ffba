// jest globalSetup: the folder where this run's test files share terraform results (run-cache.ts).
// Workers start after this and inherit the variable.
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

module.exports = () => {
  process.env.VLD_TEST_RUN_CACHE = mkdtempSync(join(tmpdir(), 'vld-test-run-'));
};
