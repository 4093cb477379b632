/** The `remediator` command: `program.ts` declares it, one module per command in `commands/` runs it. */
import { runCli } from './program';

export { runCli } from './program';
export { CRASH_POINT_VARIABLE } from './session';
export type { CliIo } from './session';

if (require.main === module) {
  void runCli(process.argv).then((code) => {
    process.exitCode = code;
  });
}
