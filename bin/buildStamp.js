'use strict';
// The build stamp ties dist/ to the exact sources it was compiled from, so that nothing runs a
// stale or partial build: `npm run build` writes it last, bin/remediator.js checks it.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const stampFile = (root) => path.join(root, 'dist', 'build-stamp.json');
/** Everything whose change changes what `npm run build` produces. */
const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json'];

function listFiles(entry) {
  const stat = fs.statSync(entry, { throwIfNoEntry: false });
  if (!stat) return [];
  if (!stat.isDirectory()) return [entry];
  return fs
    .readdirSync(entry)
    .sort()
    .flatMap((name) => listFiles(path.join(entry, name)));
}

/** A hash of the build inputs' paths and contents; undefined when there are no sources (an installed package). */
function sourceHash(root = ROOT) {
  if (!fs.existsSync(path.join(root, 'src'))) return undefined;
  const hash = crypto.createHash('sha256');
  for (const file of INPUTS.flatMap((input) => listFiles(path.join(root, input)))) {
    hash.update(path.relative(root, file).split(path.sep).join('/'));
    hash.update('\0');
    hash.update(fs.readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

function readStamp(root) {
  try {
    return JSON.parse(fs.readFileSync(stampFile(root), 'utf8'));
  } catch {
    return undefined;
  }
}

function writeStamp(root = ROOT) {
  fs.writeFileSync(
    stampFile(root),
    `${JSON.stringify({ sourceHash: sourceHash(root), builtAt: new Date().toISOString() }, null, 2)}\n`,
  );
}

/**
 * 'fresh': dist/ is complete and built from the current sources (or there are no sources to compare);
 * 'stale': built from other sources; 'missing': no complete build.
 */
function buildState(root = ROOT) {
  const stamp = readStamp(root);
  if (!stamp) return 'missing';
  const current = sourceHash(root);
  return current === undefined || current === stamp.sourceHash ? 'fresh' : 'stale';
}

module.exports = { ROOT, sourceHash, writeStamp, buildState };
