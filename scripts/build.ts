/**
 * `npm run build`: one build that is always complete. Starts from an empty dist/ (so nothing a
 * deleted source once produced survives), compiles with tsc, copies every non-TypeScript file under
 * src/ (fixtures, JSON Schemas) beside the compiled code, then writes the build stamp that
 * bin/remediator.js checks before it trusts dist/.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, writeStamp } from '../bin/buildStamp';

const SRC = path.join(ROOT, 'src');
const DIST = path.join(ROOT, 'dist');

fs.rmSync(DIST, { recursive: true, force: true });
const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
  cwd: ROOT,
  stdio: 'inherit',
});
if (compiled.status !== 0) {
  console.error('build: tsc failed; dist/ has no build stamp and will not be used.');
  process.exit(compiled.status ?? 1);
}
fs.cpSync(SRC, DIST, {
  recursive: true,
  filter: (source) => fs.statSync(source).isDirectory() || !source.endsWith('.ts'),
});
writeStamp();
console.log('build: dist/ is complete and stamped.');
