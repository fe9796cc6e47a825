/**
 * `flightwatch replay --by-entry` over the real captures in ../shared/fixtures with the shipped watchlist:
 * every entry is listed (disabled ones weighed too), its counts agree with the events a plain replay of the
 * same data produces with every entry enabled, and operator-wide entries' events count as digest, not alerts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { replayAction } from '../../../src/cli/commands/replay';
import type { FlightEvent } from '../../../src/domain/event';
import type { EntryNoise } from '../../../src/replay/by-entry';
import { parseConfigText } from '../../../src/config/load';
import { FIXTURES, OPENSKY_CONUS, describeShared } from '../../helpers/shared';

const SHIPPED = resolve(__dirname, '../../../config/flightwatch.yaml');

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s), isTTY: false } },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}

describeShared('replay --by-entry', () => {
  let dir: string;
  let allEnabled: string;
  const ids = () => {
    const r = parseConfigText(readFileSync(SHIPPED, 'utf8'));
    if (!r.ok) throw new Error('the shipped config is invalid');
    return r.config.watch.map((w) => w.id);
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fw-by-entry-'));
    // The shipped config with every entry enabled: what --by-entry weighs, replayed the ordinary way.
    allEnabled = join(dir, 'all-enabled.yaml');
    writeFileSync(allEnabled, readFileSync(SHIPPED, 'utf8').replace(/^ {4}enabled: false$/gm, '    enabled: true'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('OpenSky CONUS capture: counts agree with the replayed events; GXA6117 alerts, other GXA numbers digest', async () => {
    const plain = io();
    expect(await replayAction([OPENSKY_CONUS], { config: allEnabled, json: true }, plain.io)).toBe(0);
    const events = plain
      .stdout()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as FlightEvent);

    const t = io();
    expect(await replayAction([OPENSKY_CONUS], { config: SHIPPED, json: true, byEntry: true }, t.io)).toBe(0);
    const doc = JSON.parse(t.stdout()) as { entries: EntryNoise[] };
    const byId = new Map(doc.entries.map((e) => [e.id, e]));
    expect([...byId.keys()].sort()).toEqual(ids().sort());
    for (const e of doc.entries) {
      const mine = events.filter((ev) => ev.watch.ids.includes(e.id));
      expect([e.id, e.events, e.aircraft]).toEqual([e.id, mine.length, new Set(mine.map((m) => m.aircraft.hex)).size]);
      expect(e.alerts + e.digested + e.unrouted).toBe(e.events);
    }
    // GXA6117 (over the Gulf) is a GXA6xxx number: an alert, through both entries.
    const gxa6117 = events.filter((e) => e.aircraft.callsign === 'GXA6117');
    expect(gxa6117.length).toBeGreaterThan(0);
    expect(byId.get('globalx-ice-numbers')).toMatchObject({ delivery: 'instant', alerts: gxa6117.length });
    // Every other GlobalX event matched only the operator-wide entry: digest.
    const globalx = byId.get('globalx')!;
    expect(globalx.delivery).toBe('digest');
    const otherGxa = events.filter((e) => e.watch.ids.length === 1 && e.watch.ids[0] === 'globalx');
    expect(globalx.digested).toBe(otherGxa.length);
    expect(globalx.digested).toBeGreaterThan(0);
  }, 60_000);

  it('the table over all fixtures lists every entry, disabled ones too, noisiest first', async () => {
    const t = io();
    expect(await replayAction([FIXTURES], { config: SHIPPED, byEntry: true }, t.io)).toBe(0);
    const lines = t.stdout().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^entry\s+enabled\s+delivery\s+events\s+alerts\s+digest\s+aircraft\s+days\s+by type$/);
    const rows = lines.slice(1, -1).map((l) => l.split(/\s+/));
    expect(rows.map((r) => r[0]).sort()).toEqual(ids().sort());
    // Disabled in the shipped config, still weighed: the emergency squawk in the captures shows.
    const squawks = rows.find((r) => r[0] === 'emergency-squawks')!;
    expect(squawks[1]).toBe('no');
    const alerts = rows.map((r) => Number(r[4]));
    expect(alerts).toEqual([...alerts].sort((a, b) => b - a));
    expect(t.stderr()).toMatch(/replay: \d+\/\d+ files/);
  }, 120_000);
});
