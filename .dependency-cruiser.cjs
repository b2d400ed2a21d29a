/**
 * The import rules of DESIGN.md and CONTRIBUTING.md ("Layout"), checked by `npm run check:deps`.
 * A rule written here is a rule the docs may state; one the docs state and this file lacks is a wish.
 */
const BOT_FRAMEWORK = '(^|/)node_modules/(botbuilder[^/]*|botframework-[^/]+|@microsoft/teams-ai)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'cards-are-pure',
      comment: 'cards/ turns view models into Adaptive Card JSON: it imports no other bot/src folder or file.',
      severity: 'error',
      from: { path: '^bot/src/cards/' },
      to: { path: '^bot/src/', pathNot: '^bot/src/cards/' },
    },
    {
      name: 'domain-knows-no-teams',
      comment: 'store, jira, connections, alerts and meetings know no Teams types: no botbuilder, no teams-ai, nothing of bot/src/teams.',
      severity: 'error',
      from: { path: '^bot/src/(store|jira|connections|alerts|meetings)/' },
      to: { path: ['^bot/src/teams/', BOT_FRAMEWORK] },
    },
    {
      name: 'bot-framework-only-in-teams',
      comment: 'botbuilder and teams-ai are imported only under bot/src/teams/, so a move to another Teams SDK touches one folder.',
      severity: 'error',
      from: { path: '^bot/src/', pathNot: ['^bot/src/teams/', '^bot/src/start-bot\\.ts$'] },
      to: { path: BOT_FRAMEWORK },
    },
    {
      name: 'composition-root-bot-framework-types-only',
      comment: 'The composition root may name Bot Framework types, but builds nothing from them itself.',
      severity: 'error',
      from: { path: '^bot/src/start-bot\\.ts$' },
      // preCompilationOnly: the import is gone once TypeScript compiled it, i.e. only types are used.
      to: { path: BOT_FRAMEWORK, preCompilationOnly: false },
    },
    {
      name: 'wiring-only-for-the-composition-root',
      comment: 'wiring/ assembles the alert pipeline for start-bot.ts; a feature that imported it would bind to the whole assembly.',
      severity: 'error',
      from: { path: '^bot/src/', pathNot: ['^bot/src/wiring/', '^bot/src/start-bot\\.ts$'] },
      to: { path: '^bot/src/wiring/' },
    },
    {
      name: 'redis-only-in-cluster',
      comment: 'ioredis is imported only under bot/src/cluster/: features see ports (the hub bus, shared limits), never Redis.',
      severity: 'error',
      from: { path: '^bot/src/', pathNot: '^bot/src/cluster/' },
      to: { path: '(^|/)node_modules/ioredis/' },
    },
    {
      name: 'product-never-imports-dev',
      comment: 'dev/ holds emulations for tests and npm start; the shipped service and tab never load them.',
      severity: 'error',
      from: { path: '^(bot|tab)/src/' },
      to: { path: '^dev/' },
    },
    {
      name: 'dev-imports-no-bot-src',
      comment: 'The emulations play Jira, Teams and Entra from their documentation, not from the code they test.',
      severity: 'error',
      from: { path: '^dev/' },
      // The one exception is the Node 24 restify shim: it patches the runtime (not Jira, Teams or Entra
      // behaviour), the emulations need it before restify loads just as the bot does, and it must stay
      // under bot/src so tsconfig.build.json (rootDir bot/src) ships it in bot/dist.
      to: { path: '^bot/src/', pathNot: '^bot/src/http/allow-restify-on-node24\\.ts$' },
    },
    {
      name: 'no-folder-cycles-in-bot-src',
      comment: 'No two folders of bot/src import each other, directly or around a loop.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^bot/src/' },
      to: { circular: true },
    },
    {
      name: 'no-unresolvable-imports',
      comment: 'An import that does not resolve hides a dependency from every rule above.',
      severity: 'error',
      from: { path: '^(bot|tab|dev)/' },
      // Except the tab's Vite virtual modules: a plugin in tab/vite.config.mts makes them at build time.
      to: { couldNotResolve: true, pathNot: '^virtual:' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|build|coverage)/' },
    // Type-only imports count (a Teams type in a domain folder couples it as much as a value does);
    // 'specify' marks them preCompilationOnly, which the composition-root rule relies on.
    tsPreCompilationDeps: 'specify',
    tsConfig: { fileName: 'tsconfig.json' },
    combinedDependencies: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
