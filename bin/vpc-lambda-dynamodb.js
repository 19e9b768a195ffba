#!/usr/bin/env node
// `npx vpc-lambda-dynamodb check ...`: the proof-before-deploy check from the installed package,
// the same code as `npm run check` in this repository (compiled to lib/ by `npm run build`).
'use strict';
const [command, ...rest] = process.argv.slice(2);
if (command !== 'check') {
  console.error(command === undefined ? 'usage: vpc-lambda-dynamodb check [options] (vpc-lambda-dynamodb check --help)' : `error: unknown command "${command}"; the one command is: check`);
  process.exit(2);
}
require('../lib/scripts/check')
  .main([process.argv[0], 'vpc-lambda-dynamodb check', ...rest])
  .then(
    (code) => (process.exitCode = code),
    (error) => {
      console.error(error);
      process.exitCode = 2;
    },
  );
