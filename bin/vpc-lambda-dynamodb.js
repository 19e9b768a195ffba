#!/usr/bin/env node
// `npx vpc-lambda-dynamodb check ...`: the proof-before-deploy check from the installed package,
// the same code as `npm run check` in this repository (compiled to lib/ by `npm run build`).
// `--help`/`-h`, `--version` and the command itself are handled by bin() in scripts/check.ts.
'use strict';
require('../lib/scripts/check')
  .bin(process.argv.slice(2))
  .then(
    (code) => (process.exitCode = code),
    (error) => {
      console.error(error);
      process.exitCode = 2;
    },
  );
