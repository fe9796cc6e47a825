/**
 * The Now, Trips, Trip and Legs page functions over a seeded SQLite archive (the record fixture's three trips
 * plus a hostile airframe): filters read and checked, keyset pages that neither repeat nor skip a trip, the
 * Legs count equal to the report's number it stands for, public mode hiding what the config names.
 */
import { buildReport } from '../../../src/archive/report/report';
import { monthPeriod } from '../../../src/archive/report/period';
import type { PageContext } from '../../../src/web/page';
import { legsPage } from '../../../src/web/pages/legs';
import { reportPage } from '../../../src/web/pages/report';
import { nowPage } from '../../../src/web/pages/now';
import { tripPage } from '../../../src/web/pages/trip';
import { tripsPage } from '../../../src/web/pages/trips';
import { parseLegFilter } from '../../../src/web/queries/filters';
import { aircraftPage } from '../../../src/web/pages/aircraft';
import { legsOfAircraft, listTrips } from '../../../src/web/queries/trips';
import { consoleDeps, HEX, HOSTILE, HOSTILE_HEX, seedArchive, type SeededArchive } from '../../helpers/console';
import { T0 } from '../archive/record-fixture';

let seeded: SeededArchive;
beforeAll(async () => {
  seeded = await seedArchive();
});
afterAll(() => seeded?.close());

const ctx = (o: Partial<PageContext> & { q?: Record<string, string> } = {}): PageContext => ({
  db: seeded.db,
  query: new URLSearchParams(o.q ?? {}),
  params: o.params ?? {},
  role: o.role ?? 'viewer',
  user: null,
  csrfToken: 'token-1',
  hiddenFields: o.hiddenFields ?? new Set(),
  now: o.now ?? new Date(T0 + 200 * 3_600_000),
});

describe('leg filter', () => {
  it('reads every field, days inclusive, a period narrowing the dates', () => {
    const q = new URLSearchParams({
      from: '2026-11-01',
      to: '2026-11-30',
      period: '2026-W46',
      country: 'gt',
      aircraft: 'A1B2C3',
      category: 'removal',
      confidence: 'confirmed',
      review: 'unreviewed',
      airport: 'mggt',
      operator: 'GlobalX',
    });
    expect(parseLegFilter(q)).toEqual({
      filter: {
        from: '2026-11-09T00:00:00.000Z',
        to: '2026-11-16T00:00:00.000Z',
        country: 'GT',
        aircraft: 'a1b2c3',
        category: 'removal',
        confidence: 'confirmed',
        review: 'unreviewed',
        airport: 'MGGT',
        operator: 'GlobalX',
      },
      given: expect.objectContaining({ country: 'gt', period: '2026-W46' }) as unknown,
      errors: [],
    });
  });

  it('names each bad value and leaves it out', () => {
    const r = parseLegFilter(new URLSearchParams({ to: '2026-02-30', category: 'deportation', period: '2026-13' }));
    expect(r.filter).toEqual({});
    expect(r.errors).toEqual([
      'to: "2026-02-30" is not a date (YYYY-MM-DD)',
      'period: "2026-13" is not a month (YYYY-MM) or an ISO week (YYYY-Www)',
      'category: "deportation" is not one of removal, lateral, shuffle, connection, return, other',
    ]);
  });
});

describe('Trips', () => {
  it('pages a trip at a time without repeating or skipping one', async () => {
    const all = (await listTrips(seeded.db, {}, { size: 10 })).trips.map((t) => t.id);
    expect(all).toHaveLength(4);
    const seen: string[] = [];
    let after = null;
    for (let i = 0; i < 10; i++) {
      const page: Awaited<ReturnType<typeof listTrips>> = await listTrips(seeded.db, {}, { size: 1, after });
      seen.push(...page.trips.map((t) => t.id));
      if (!page.next) break;
      after = page.next;
    }
    expect(seen).toEqual(all);
  });

  it('answers 400 naming a bad filter, with the form kept', async () => {
    const r = await tripsPage(ctx({ q: { country: 'Guatemala' } }));
    expect(r.status).toBe(400);
    expect(r.body).toContain('country: &quot;GUATEMALA&quot; is not an ISO country code');
    expect(r.body).toContain('name="country" value="Guatemala"');
  });
});

describe('Aircraft', () => {
  it('lists the airframe legs newest first, each classified as the Trips list shows it', async () => {
    const legs = await legsOfAircraft(seeded.db, HEX, 200);
    const departed = legs.map((l) => l.departed_at ?? '');
    expect(departed).toEqual([...departed].sort().reverse());
    const inTrips = (await listTrips(seeded.db, { aircraft: HEX }, { size: 10 })).trips.flatMap((t) => t.legs);
    expect(legs.map((l) => l.id).sort()).toEqual(inTrips.map((l) => l.id).sort());
    for (const l of inTrips) expect(legs.find((a) => a.id === l.id)).toMatchObject(l);
    const page = await aircraftPage(consoleDeps(seeded))(ctx({ params: { hex: HEX } }));
    const shown = [...page.body.matchAll(/href="\/evidence\/([^"]+)"/g)].map((m) => decodeURIComponent(m[1]));
    expect(shown).toEqual(legs.map((l) => l.id));
    expect(legs.some((l) => l.category)).toBe(true);
  });
});

describe('table heads', () => {
  const heads = (body: string) =>
    [...body.matchAll(/<thead>([\s\S]*?)<\/thead>/g)].map((m) =>
      [...m[1].matchAll(/<th scope="col"(?: class="[^"]*")?>([^<]*)<\/th>/g)].map((c) => c[1]),
    );

  it('names every column of every table with a scope="col" header cell', async () => {
    const legs = await legsPage(ctx());
    expect(heads(legs.body)).toEqual([
      ['Departed', 'Aircraft', 'From → to', 'Country', 'Category', 'Confidence', 'Review', 'Links'],
    ]);
    expect(heads((await tripsPage(ctx())).body)[0]).toHaveLength(9);
    expect(
      heads((await aircraftPage(consoleDeps(seeded))(ctx({ params: { hex: HEX } }))).body).map((h) => h[0]),
    ).toEqual(['Entry', 'Trip', 'Departed']);
    for (const p of [legs, await tripsPage(ctx())]) expect(p.body).not.toMatch(/<th>|<th scope="col"><\/th>/);
  });
});

describe('Legs', () => {
  it('counts the legs a report number stands for', async () => {
    const report = await buildReport(seeded.db, monthPeriod('2026-11'));
    for (const row of report.removalsByCountry) {
      const r = await legsPage(ctx({ q: { period: '2026-11', category: 'removal', country: row.key } }));
      expect(/<strong class="count">([\d,]+)<\/strong>/.exec(r.body)?.[1]).toBe(String(row.legs));
    }
    expect(report.removalsByCountry.length).toBeGreaterThan(0);
  });
});

describe('Report', () => {
  it("names airports from the console's deps (the config's data dir), whatever $FLIGHTWATCH_DATA_DIR says", async () => {
    const env = process.env.FLIGHTWATCH_DATA_DIR;
    process.env.FLIGHTWATCH_DATA_DIR = '/nonexistent';
    try {
      const deps = consoleDeps(seeded, {
        airports: () => Promise.resolve((icao: string) => ({ name: `Named ${icao} Field`, country: 'GT' })),
      });
      const page = await reportPage(deps)(ctx({ q: { period: '2026-11' } }));
      expect(page.body).toMatch(/Named [A-Z]{4} Field/);
    } finally {
      if (env === undefined) delete process.env.FLIGHTWATCH_DATA_DIR;
      else process.env.FLIGHTWATCH_DATA_DIR = env;
    }
  });
});

describe('hostile strings and public mode', () => {
  it('escapes registration, operator and callsign on every page, in tables and map labels', async () => {
    const pages = [
      await tripsPage(ctx()),
      await legsPage(ctx({ q: { aircraft: HOSTILE_HEX } })),
      await tripPage(ctx({ params: { id: 'trip-9' } })),
      await nowPage(ctx({ now: new Date(T0 + 50 * 3_600_000) })),
    ];
    for (const p of pages) {
      for (const s of Object.values(HOSTILE)) expect(p.body).not.toContain(s);
      expect(p.body).not.toMatch(/<script|<img|<svg onload/i);
    }
    expect(pages[3].body).toContain('&lt;script&gt;alert(&quot;reg&quot;)&lt;/script&gt;');
  });

  it('hides the fields public mode names, also in the map', async () => {
    const hidden = new Set(['registration', 'callsign', 'operator', 'type', 'reviewer', 'note']);
    const trip = await tripPage(ctx({ role: 'public', hiddenFields: hidden, params: { id: 'trip-1' } }));
    expect(trip.body).not.toMatch(/N123XX|GlobalX|B738/);
    expect(trip.body).toContain(HEX);
    expect(trip.body).not.toContain('form class="review"'); // no review form for the public
    const now = await nowPage(ctx({ role: 'public', hiddenFields: hidden, now: new Date(T0 + 4 * 3_600_000) }));
    expect(now.body).not.toMatch(/N123XX|GlobalX|B738/);
    expect(now.body).toContain('1 in the air');
  });

  it('shows a reviewer the review form of each leg, with the CSRF token', async () => {
    const trip = await tripPage(ctx({ role: 'reviewer', params: { id: 'trip-1' } }));
    expect(trip.body.match(/<form class="review" method="post" action="\/review">/g)).toHaveLength(3);
    expect(trip.body.match(/name="csrf" value="token-1"/g)).toHaveLength(3);
    expect((await tripPage(ctx({ params: { id: 'nope' } }))).status).toBe(404);
  });
});
