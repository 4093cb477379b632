import path from 'node:path';
import { Command } from 'commander';
import { buildAppPackage, PackageError } from './packaging/app-package';

/**
 * `npm run package -- --env local|dev`: builds build/appPackage.<env>.zip from teamsAppManifest/
 * and env/.env.<env>, validated against the official Teams app manifest schema.
 */
const program = new Command()
  .name('package')
  .description('Build the Teams app package (manifest, icons, localization) for one environment.')
  .requiredOption('-e, --env <name>', 'environment: reads env/.env.<name>')
  .option('-o, --out <dir>', 'output folder', 'build')
  .parse();

const options = program.opts<{ env: string; out: string }>();
const rootDir = path.resolve(__dirname, '..');

try {
  const result = buildAppPackage({
    env: options.env,
    rootDir,
    outDir: path.resolve(rootDir, options.out),
    processEnv: process.env,
  });
  console.log(
    `Wrote ${path.relative(process.cwd(), result.zipPath)} (manifest ${result.manifestVersion}: ${result.entries.join(', ')})`,
  );
} catch (error) {
  // Expected failures (missing variable, schema violation…) are explained; anything else is a bug.
  if (!(error instanceof PackageError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
