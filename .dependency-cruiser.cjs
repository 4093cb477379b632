/**
 * The layer order of src/ (docs/ENGINE.md), checked by `npm run lint`:
 *   config, observability, i18n, concurrency  <  m365, simulator  <  remediation (engine)  <  store  <
 *   teams, server, security  <  runtime  <  index.ts (bot), cli
 * A module may import from its own layer or below, never up, and never in a cycle.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles hide the real dependency order.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'foundation-stays-below',
      severity: 'error',
      comment:
        'Configuration, logging, secret redaction and message rendering are used by every layer and use none.',
      from: { path: '^src/(config|observability|i18n|concurrency)/' },
      to: { path: '^src/(m365|simulator|remediation|store|teams|server|security|runtime|cli|index\\.ts)' },
    },
    {
      name: 'engine-stays-below',
      severity: 'error',
      comment:
        'The engine owns its model and storage port; the store, Teams and hosting depend on it, not the reverse.',
      from: { path: '^src/remediation/' },
      to: { path: '^src/(store|teams|server|security|runtime|cli|simulator|index\\.ts)' },
    },
    {
      name: 'm365-stays-below',
      severity: 'error',
      from: { path: '^src/m365/' },
      to: { path: '^src/(remediation|store|teams|server|security|runtime|cli|simulator|index\\.ts)' },
    },
    {
      name: 'simulator-stands-alone',
      severity: 'error',
      comment: 'The simulated tenant is an instrument: it knows Microsoft 365, not the product.',
      from: { path: '^src/simulator/' },
      to: { path: '^src/(m365|remediation|store|teams|server|security|runtime|cli|index\\.ts)' },
    },
    {
      name: 'store-below-hosting',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: '^src/(teams|server|security|runtime|cli|index\\.ts)' },
    },
    {
      name: 'hosting-below-composition',
      severity: 'error',
      from: { path: '^src/(teams|server|security)/' },
      to: { path: '^src/(runtime|cli|index\\.ts)' },
    },
    {
      name: 'cli-is-not-the-bot',
      severity: 'error',
      from: { path: '^src/cli/' },
      to: { path: '^src/(teams|server|index\\.ts)' },
    },
    {
      name: 'botbuilder-only-in-teams-and-server',
      severity: 'error',
      comment: 'docs/AGENTS-SDK-MIGRATION.md: the move to the Agents SDK touches these two folders only.',
      from: { path: '^src/', pathNot: '^src/(teams|server)/' },
      to: { path: 'node_modules/(botbuilder|botframework-|botbuilder-)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
