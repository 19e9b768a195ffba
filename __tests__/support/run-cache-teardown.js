// jest globalTeardown: nothing of a run's shared terraform results outlives it (run-cache.ts).
const { rmSync } = require('node:fs');

module.exports = () => {
  if (process.env.VLD_TEST_RUN_CACHE) rmSync(process.env.VLD_TEST_RUN_CACHE, { recursive: true, force: true });
};
