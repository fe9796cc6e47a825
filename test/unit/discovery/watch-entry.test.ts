/**
 * Accepting a candidate writes a watch entry with provenance into the config file: every line of the file
 * stays as it was (comments, alignment, flow lists), the result is a valid config, and the entry matches the
 * airframe by hex.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { addWatchEntry, sightingsSummary, watchEntryFor } from '../../../src/discovery/watch-entry';
import { decide } from '../../../src/discovery/decide';
import { assess } from '../../../src/discovery/score';
import { parseConfigText } from '../../../src/config/load';
import type { CandidateRow } from '../../../src/discovery/tables';
import { DAY, T0, rules, sight } from './fixtures';

const shipped = readFileSync(resolve(__dirname, '../../../config/flightwatch.yaml'), 'utf8');
const sightings = [sight('3946e4', 'KAEX', 0), sight('3946e4', 'KHRL', 1), sight('3946e4', 'MGGT', 1.3)];
const candidate = decide(undefined, assess('3946e4', sightings, rules), T0 + 2 * DAY).row as CandidateRow;
const entry = watchEntryFor(candidate, sightings, { today: new Date(T0 + 3 * DAY) });

/** The lines of `a` appear in `b` in the same order. */
function keepsEveryLine(a: string, b: string): string[] {
  const lines = b.split('\n');
  let j = 0;
  return a.split('\n').filter((l) => {
    const k = lines.indexOf(l, j);
    if (k < 0) return true;
    j = k + 1;
    return false;
  });
}

it('builds the entry with its provenance: candidate id and the sightings', () => {
  expect(entry).toMatchObject({
    id: 'candidate-3946e4',
    match: { hex: ['3946e4'] },
    tags: ['candidate'],
    source: 'candidate cand-3946e4: 3 sightings, KAEX 2026-03-02, KHRL 2026-03-03, MGGT (GT) 2026-03-03',
    added: '2026-03-05',
  });
  expect(entry.note).toMatch(/^B738 N801XA: at 2 hubs within 7 days/);
  expect(sightingsSummary([sightings[0], sightings[0]])).toBe('KAEX 2026-03-02');
});

it('appends it to the shipped config keeping every line, and the result validates', () => {
  const out = addWatchEntry(shipped, entry, 'flightwatch.yaml');
  expect(keepsEveryLine(shipped, out)).toEqual([]);
  expect(out).toContain('  # accepted candidate cand-3946e4\n  - id: candidate-3946e4\n');
  const parsed = parseConfigText(out);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const w = parsed.config.watch.find((x) => x.id === 'candidate-3946e4');
  // 3946e4 is a YAML float when plain: the hex must come back as text
  expect(w?.match.hex).toEqual(['3946e4']);
  expect(w?.source).toBe(entry.source);
  const before = parseConfigText(shipped);
  expect(before.ok && parsed.config.watch.length - before.config.watch.length).toBe(1);
});

it('refuses an id that exists, and files without a watch list it can extend', () => {
  const once = addWatchEntry(shipped, entry, 'f.yaml');
  expect(() => addWatchEntry(once, entry, 'f.yaml')).toThrow(
    'f.yaml: watch entry id "candidate-3946e4" exists already (use --id)',
  );
  expect(() => addWatchEntry('watch: 3\n', entry, 'f.yaml')).toThrow('f.yaml: `watch` is not a list');
  expect(() => addWatchEntry('watch: [\n', entry, 'f.yaml')).toThrow(/f.yaml: not valid YAML/);
  expect(addWatchEntry('sources: []\n', entry, 'f.yaml')).toMatch(/watch:\n\s*- id: candidate-3946e4/);
});
