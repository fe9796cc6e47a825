/**
 * The watchlist overlay (`watchlistOverlay:`): its entries join the config's own at load; a bad entry is a
 * problem naming the overlay file and line; an id in both files names both; a missing overlay loads with a
 * warning. Entries without `source` are notices (advice check-config prints), never problems. The files are
 * handed to the loader as text (its reader is injected), so these stay pure.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatProblem, parseConfigText, type ConfigResult } from '../../../src/config/load';
import { addWatchEntry, NEW_OVERLAY_TEXT, type NewWatchEntry } from '../../../src/discovery/watch-entry';

const main = `
sources:
  - id: adsblol
    kind: readsb-v2
    baseUrl: https://api.adsb.lol
watchlistOverlay: accepted.yaml
watch:
  - id: gulfstream-v
    match: { types: [GLF5] }
    source: FAA registry
alerts:
  routes:
    - match: { watch: [candidate-a4f2c1] }
      channels: [outbox]
`;

const overlay = `# written by candidates accept
watch:
  # accepted candidate cand-a4f2c1
  - id: candidate-a4f2c1
    match: {hex: [a4f2c1]}
    source: "candidate cand-a4f2c1: 3 sightings"
`;

const OVERLAY_PATH = '/etc/fw/accepted.yaml';

function load(configText: string, files: Record<string, string | undefined>): ConfigResult {
  return parseConfigText(configText, {
    file: '/etc/fw/flightwatch.yaml',
    readFile: (p) => {
      const t = files[p];
      if (t === undefined) throw Object.assign(new Error(`ENOENT: no such file, open '${p}'`), { code: 'ENOENT' });
      return t;
    },
  });
}

function problems(r: ConfigResult): string[] {
  if (r.ok) throw new Error('expected problems, config was valid');
  return r.problems.map(formatProblem);
}

it('merges the overlay entries after the config own, resolved next to the config; routes may name them', () => {
  const r = load(main, { [OVERLAY_PATH]: overlay });
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  expect(r.overlayFile).toBe(OVERLAY_PATH);
  expect(r.config.watch.map((w) => w.id)).toEqual(['gulfstream-v', 'candidate-a4f2c1']);
  // the unquoted hex stays text in the overlay too
  expect(r.config.watch[1]?.match.hex).toEqual(['a4f2c1']);
  expect(r.warnings).toEqual([]);
  expect(r.notices).toEqual([]);
});

it('a bad overlay entry is a problem with the overlay file and its line', () => {
  const bad = overlay.replace('{hex: [a4f2c1]}', '{hex: [zz12]}').replace('source:', 'sourse:');
  expect(problems(load(main, { [OVERLAY_PATH]: bad }))).toEqual([
    `watch[0].match.hex[0] (${OVERLAY_PATH} line 5): "zz12" is not a 6-digit ICAO hex`,
    expect.stringMatching(new RegExp(`^watch\\[0\\] \\(${OVERLAY_PATH} line 4\\): Unrecognized key: "sourse"`)),
  ]);
  expect(problems(load(main, { [OVERLAY_PATH]: 'watch: [1, 2' }))[0]).toMatch(
    new RegExp(`^\\(file\\) \\(${OVERLAY_PATH} line 1\\): YAML syntax`),
  );
  expect(problems(load(main, { [OVERLAY_PATH]: 'sources: []\n' }))).toEqual([
    `sources (${OVERLAY_PATH} line 1): only \`watch:\` belongs in a watchlist overlay`,
  ]);
});

it('an id in both files is an error naming both places', () => {
  const dup = overlay.replace('id: candidate-a4f2c1', 'id: gulfstream-v');
  expect(problems(load(main, { [OVERLAY_PATH]: dup }))).toEqual([
    `watch[0].id (${OVERLAY_PATH} line 4): "gulfstream-v" is also watch[0] in /etc/fw/flightwatch.yaml (line 8): ` +
      'ids must be unique across both files',
  ]);
  const twice = `${overlay}  - id: candidate-a4f2c1\n    match: {hex: [a4f2c2]}\n`;
  expect(problems(load(main, { [OVERLAY_PATH]: twice }))).toEqual([
    `watch[1].id (${OVERLAY_PATH} line 7): "candidate-a4f2c1" is already used by watch[0] in this overlay`,
  ]);
});

it('a missing overlay loads with a warning (the first accept creates it); an empty one adds nothing', () => {
  const noRoute = main.slice(0, main.indexOf('alerts:'));
  const r = load(noRoute, {});
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  expect(r.config.watch).toHaveLength(1);
  expect(r.warnings.map(formatProblem)).toEqual([
    `watchlistOverlay (${OVERLAY_PATH}): the watchlist overlay does not exist yet: no entries from it ` +
      '(`candidates accept` creates it)',
  ]);
  for (const empty of ['', NEW_OVERLAY_TEXT]) expect(load(noRoute, { [OVERLAY_PATH]: empty }).ok).toBe(true);
  // a route naming an entry that is in no file is still an error
  expect(problems(load(main, {}))).toEqual([
    'alerts.routes[0].match.watch[0] (line 13): "candidate-a4f2c1" is not a watch entry in this config',
  ]);
});

it('entries without source are notices naming the entry and its file, not problems', () => {
  const withoutSource = main.replace('    source: FAA registry\n', '');
  const r = load(withoutSource, { [OVERLAY_PATH]: overlay.replace(/ {4}source: .*\n/, '') });
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  expect(r.notices.map(formatProblem)).toEqual([
    'watch[0] (line 8): entry "gulfstream-v" has no `source`: say where the fact comes from',
    `watch[0] (${OVERLAY_PATH} line 4): entry "candidate-a4f2c1" has no \`source\`: say where the fact comes from`,
  ]);
  const shipped = parseConfigText(readFileSync(resolve(__dirname, '../../../config/flightwatch.yaml'), 'utf8'));
  expect(shipped.ok && shipped.notices).toEqual([]);
});

it('accept into a new overlay: the first entry goes under its `watch:`, the config then loads it', () => {
  const entry: NewWatchEntry = {
    id: 'candidate-3946e4',
    match: { hex: ['3946e4'] },
    tags: ['candidate'],
    note: 'B738',
    source: 'candidate cand-3946e4: 2 sightings, KAEX 2026-03-02, KHRL 2026-03-03',
    added: '2026-03-05',
  };
  const first = addWatchEntry(NEW_OVERLAY_TEXT, entry, OVERLAY_PATH);
  expect(first.startsWith(NEW_OVERLAY_TEXT)).toBe(true);
  expect(first).toContain('watch:\n  # accepted candidate cand-3946e4\n  - id: candidate-3946e4\n');
  const second = addWatchEntry(first, { ...entry, id: 'candidate-3946e5', match: { hex: ['3946e5'] } }, 'x');
  expect(second.startsWith(first)).toBe(true);
  const r = load(main.replace(/alerts:[^]*/, ''), { [OVERLAY_PATH]: second });
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  expect(r.config.watch.map((w) => w.match.hex?.[0] ?? w.id)).toEqual(['gulfstream-v', '3946e4', '3946e5']);
});
