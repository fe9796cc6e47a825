/**
 * The parser's selector (FetchOptions.select, as the poll cycle passes it): full records only for the
 * selected aircraft, the same records a full parse builds; every other valid record counted by hex; field
 * checks and rejects exactly as without a selector.
 */
import { watchEntrySchema } from '../../../src/config/schema';
import type { AircraftState } from '../../../src/domain/aircraft-state';
import { Watchlist } from '../../../src/domain/watchlist';
import { watchedOnly } from '../../../src/ingest/select';
import { parseReadsbReply, parseReadsbText, type ParseContext } from '../../../src/sources/readsb/parse';
import { ADSBX, describeShared, readText } from '../../helpers/shared';

const ctx: ParseContext = { sourceId: 'adsbx', fetchedAt: 1_651_363_200_000 };
const watchlist = (entries: Record<string, unknown>[]) => new Watchlist(entries.map((e) => watchEntrySchema.parse(e)));

describeShared('selected parse of the real snapshot', () => {
  const text = readText(ADSBX);
  const wl = watchlist([
    { id: 'gulfstreams', match: { types: ['GLF5', 'GLF4'] } },
    { id: 'charters', match: { callsignPrefixes: ['GXA', 'SWQ', 'OAE'] } },
  ]);
  const full = parseReadsbText(text, ctx);
  const selected = parseReadsbText(text, { ...ctx, select: watchedOnly(wl) });

  it('builds exactly the watched records, equal to the full parse’s', () => {
    const watched = full.states.filter((s) => wl.match(s));
    expect(watched.length).toBeGreaterThan(20);
    expect(selected.states).toEqual(watched);
    expect(wl.filter(selected.states)).toEqual(wl.filter(full.states));
  });

  it('counts every other record by hex, in reply order', () => {
    const watched = new Set(selected.states.map((s) => s.hex));
    expect(selected.passedOver).toEqual(full.states.filter((s) => !watched.has(s.hex)).map((s) => s.hex));
    expect(selected.states.length + selected.passedOver!.length).toBe(8423);
  });

  it('a full parse says nothing was passed over', () => {
    expect(full.passedOver).toBeUndefined();
  });
});

describe('selector and rejects', () => {
  const reply = {
    now: 1_651_363_199_612,
    ac: [
      { hex: 'a00001', t: 'GLF5', lat: 40, lon: -74, seen: 1 },
      { hex: 'a00002', t: 'B738', lat: 95, lon: -74, gs: 'fast' }, // unwatched, two bad fields
      { hex: 'zzz', t: 'B738' }, // no valid hex: rejected, never passed over
      { hex: 'a00003', t: 'GLF5', alt_baro: 'ground', flight: 'GXA123  ' },
      { hex: 'a00004', r: 'N1', squawk: 12 }, // unwatched, bad squawk
    ],
  };
  const wl = watchlist([{ id: 'g', match: { types: ['GLF5'] } }]);

  it('checks the fields of passed-over records and rejects them as a full parse does', () => {
    const full = parseReadsbReply(structuredClone(reply), ctx);
    const sel = parseReadsbReply(structuredClone(reply), { ...ctx, select: watchedOnly(wl) });
    expect(sel.rejected).toBe(full.rejected);
    expect(sel.rejected).toBe(3);
    expect(sel.rejectReasons).toEqual(full.rejectReasons);
    expect(sel.rejectReasons).toEqual(
      expect.arrayContaining([
        'ac[1].lat: 95 is outside -90…90',
        'ac[1].gs: expected a number, got a string "fast"',
        expect.stringMatching(/^ac\[2\]\.hex: /),
        'ac[4].squawk: expected a string, got a number',
      ]),
    );
    expect(sel.states.map((s) => s.hex)).toEqual(['a00001', 'a00003']);
    expect(sel.states[1]).toEqual(full.states.find((s) => s.hex === 'a00003'));
    expect(sel.passedOver).toEqual(['a00002', 'a00004']);
  });

  it('matches after enrichment: a record without a type is kept when the aircraft database gives it one', () => {
    const enrich = (s: AircraftState) => (s.hex === 'a00004' ? { ...s, type: 'GLF5' } : s);
    const sel = parseReadsbReply(structuredClone(reply), { ...ctx, select: watchedOnly(wl, enrich) });
    // The record stays as received: the poll cycle enriches it (and matches it) again.
    expect(sel.states.map((s) => [s.hex, s.type])).toEqual([
      ['a00001', 'GLF5'],
      ['a00003', 'GLF5'],
      ['a00004', undefined],
    ]);
  });

  it('keeps a record whose enrichment throws rather than risk a missed match', () => {
    const enrich = (s: AircraftState): AircraftState => {
      if (s.hex === 'a00002') throw new Error('db gone');
      return s;
    };
    const sel = parseReadsbReply(structuredClone(reply), { ...ctx, select: watchedOnly(wl, enrich) });
    expect(sel.states.map((s) => s.hex)).toEqual(['a00001', 'a00002', 'a00003']);
    expect(sel.passedOver).toEqual(['a00004']);
  });

  it('hands the selector a state it may read but each built record is its own object', () => {
    const seen: AircraftState[] = [];
    const sel = parseReadsbReply(structuredClone(reply), {
      ...ctx,
      select: (s) => {
        seen.push(s);
        return true;
      },
    });
    expect(seen).toHaveLength(4);
    expect(new Set(seen).size).toBe(1); // one scratch state, reused
    for (const s of sel.states) expect(s).not.toBe(seen[0]);
    expect(new Set(sel.states).size).toBe(4);
    expect(sel.passedOver).toEqual([]);
  });
});

describe('reply size', () => {
  const text = JSON.stringify({ now: 1_651_363_199_612, ac: [{ hex: 'a00001', r: 'Ñ1' }] });

  it('is the size the caller counted when it gives one, else the UTF-8 length of the text', () => {
    expect(parseReadsbText(text, ctx).bytes).toBe(Buffer.byteLength(text, 'utf8'));
    expect(parseReadsbText(text, ctx).bytes).toBe(text.length + 1); // Ñ is two bytes
    expect(parseReadsbText(text, { ...ctx, bytes: 4096 }).bytes).toBe(4096);
  });
});
