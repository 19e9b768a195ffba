/**
 * Longest test files first, so neither of the two workers is left with a long terraform file
 * at the end of the run. Jest's own order does this only from its duration cache: on a fresh
 * clone (CI) it has none and falls back to file size, which puts the short files that drive
 * minutes of terraform last. Here a file's expected seconds are its cached duration when jest
 * has one, else the estimate below, else 1. Files that failed last run still go first.
 */
const Sequencer = require('@jest/test-sequencer').default;

/** Seconds on the 2-core CI machine, measured; only the order matters. Paths relative to __tests__/. */
const ESTIMATES = {
  'terraform/real-world-network.test.ts': 115,
  'terraform/real-world-iam.test.ts': 110,
  'terraform/real-world-plans.test.ts': 50,
  'terraform/hcl-equivalence.test.ts': 33,
  'terraform/module-variables.test.ts': 25,
  'terraform/module-examples.test.ts': 19,
  'terraform/module-upgrade.test.ts': 45,
  'terraform/module-release.test.ts': 9,
  'package/npm-pack.test.ts': 75,
  'cdktn/npm-pack-cdktn.test.ts': 140,
  'constructs/function-code-bundling.test.ts': 18,
  'cdktn/typecheck.test.ts': 8,
  'functions/soak.test.ts': 14,
  'terraform/module-tftest.test.ts': 13,
  'terraform/plan-script.test.ts': 13,
  'analysis/diagram-render.test.ts': 14,
  'terraform/module-region.test.ts': 10,
  'terraform/deploy-stack.test.ts': 8,
  'terraform/deploy-stack-variants.test.ts': 5,
  'functions/user-activity.test.ts': 5,
  'unit/local-run.test.ts': 5,
  'constructs/function-code-hash.test.ts': 5,
  'unit/published-module.test.ts': 4,
  'analysis/cli.test.ts': 4,
  'unit/cli.test.ts': 4,
};

class SlowFirstSequencer extends Sequencer {
  sort(tests) {
    const expected = (test) => {
      const cached = this.time(test);
      if (cached != null) return cached / 1000;
      const relative = test.path.split(/[\\/]__tests__[\\/]/).pop().split('\\').join('/');
      return ESTIMATES[relative] ?? 1;
    };
    const seconds = new Map(tests.map((test) => [test, expected(test)]));
    return [...tests].sort((a, b) => {
      const failedA = this.hasFailed(a);
      if (failedA !== this.hasFailed(b)) return failedA ? -1 : 1;
      return seconds.get(b) - seconds.get(a) || (a.path < b.path ? -1 : 1);
    });
  }
}

module.exports = SlowFirstSequencer;
