#!/usr/bin/env node
'use strict';
// Runs the compiled CLI only when dist/ is a complete build of the current sources (checked against
// the build stamp); in a checkout with newer sources it runs the TypeScript through tsx instead, so a
// stale or partial build is never what answers.
const path = require('node:path');
const { ROOT, buildState } = require('./buildStamp');

function loadCli() {
  if (buildState() === 'fresh') return require(path.join(ROOT, 'dist', 'cli', 'main.js'));
  try {
    require.resolve('tsx/cjs');
  } catch {
    console.error(
      'remediator: dist/ is missing or older than src/, and tsx is not installed. Run `npm run build`.',
    );
    process.exit(1);
  }
  require('tsx/cjs');
  return require(path.join(ROOT, 'src', 'cli', 'main.ts'));
}

loadCli()
  .runCli(process.argv)
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
