/**
 * The layer check (`npm run lint:layers`, run by CI). Folders under src/ follow the data, bottom to top; a
 * folder may import only from folders below it (CONTRIBUTING.md has the map and why each one sits where it
 * does). Adding a folder means adding it to LAYERS: an unlisted folder fails the check.
 */
const LAYERS = [
  'util', // logging, CSV: no project imports
  'geo', // sphere math: distances, bearings, unit vectors
  'domain', // pure types and rules: aircraft state, the watchlist matcher, flight events
  'config', // the YAML schema and its loader
  'places', // airport table, spatial index, time zones
  'data', // reference tables: download, parse, build the airport table
  'enrich', // aircraft database filling registration/type/operator
  'sim', // synthetic flights for tests, benches and the demo
  'sources', // the Source port and its adapters (HTTP, parsers)
  'ingest', // query planner, budgets, the failover poll cycle
  'watchlist-import', // plane-alert-db CSV → watch entries
  'detect', // track state machine, event rules, track stores, the extension port
  'trips', // detect extension: trips, en-route prediction, diversions
  'alerting', // routing, silences, notification log, channels, rendering
  'pipeline', // BullMQ queues, processors, trigger: the only place where queues meet the domain
  'archive', // the flight record: archive store (SQLite/PostgreSQL), archiver, exports
  'discovery', // candidate airframes and identity links, read from polls and the archive
  'reports', // the groups' periodic report rendered: tables, SVG charts, md/csv/json/html, digests
  'observability', // metrics, health server, blindness watcher
  'web', // the console: server-rendered pages over the archive, sessions, roles
  'replay', // recorded data through the detector
  'runtime', // the worker's composition: wiring, embedded Redis, config reload
  'cli', // the `flightwatch` command
];

const folder = (name) => `^src/${name.replace(/[-]/g, '\\-')}/`;

const layerRules = LAYERS.map((name, i) => {
  const above = LAYERS.slice(i + 1);
  return {
    name: `layer-${name}`,
    comment: `src/${name} sits below ${above.join(', ') || 'nothing'}: it must not import from them`,
    severity: 'error',
    from: { path: folder(name) },
    to: { path: above.length ? `^src/(${above.map((a) => a.replace(/[-]/g, '\\-')).join('|')})/` : '^$' },
  };
});

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'unlisted-folder',
      comment: 'every folder under src/ has a place in LAYERS (.dependency-cruiser.cjs)',
      severity: 'error',
      from: { path: '^src/', pathNot: `^src/(${LAYERS.map((a) => a.replace(/[-]/g, '\\-')).join('|')})/` },
      to: {},
    },
    {
      name: 'no-circular',
      comment: 'no import cycle between modules',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'src-not-to-tests-or-scripts',
      comment: 'production code never imports tests, benches or scripts',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|scripts)/' },
    },
    {
      name: 'not-to-dev-dependencies',
      comment: 'production code uses only runtime dependencies (package.json "dependencies")',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
