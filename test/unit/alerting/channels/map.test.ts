import { airportsOf, renderEventMap, trackOf } from '../../../../src/alerting/channels/map';
import { landingEvent } from './fixture';
import { pngInfo } from './png';

describe('offline event map', () => {
  it('renders a valid PNG of the requested size from the track and airport', () => {
    const img = renderEventMap(landingEvent())!;
    expect(img).not.toBeNull();
    const info = pngInfo(img.png);
    expect(info).toMatchObject({ width: 640, height: 400 });
    expect(info.chunks).toContain('IDAT');
    // not a blank canvas: a real map compresses to several kB
    expect(img.png.length).toBeGreaterThan(4000);
  });

  it('renders a trip across the antimeridian with airports found in details', () => {
    const ev = landingEvent();
    ev.type = 'trip';
    const pts: [number, number][] = [
      [-150, 58],
      [-175, 56],
      [170, 52],
      [150, 46],
      [123.49, 41.64],
    ];
    ev.evidence = pts.map(([lon, lat], i) => ({ ...ev.evidence[0], lon, lat, time: `2026-11-27T1${i}:00:00Z` }));
    ev.position = { lat: 41.64, lon: 123.49, altFt: 1500 };
    ev.airport = { icao: 'ZYTX', name: 'Shenyang Taoxian', country: 'CN', lat: 41.6398, lon: 123.4833 };
    ev.details = {
      tripId: 'trip-1',
      status: 'open',
      legs: [
        {
          from: { icao: 'PANC', name: 'Anchorage', country: 'US', lat: 61.17, lon: -149.99 },
          to: ev.airport,
          departedAt: '2026-11-27T10:00:00Z',
          arrivedAt: '2026-11-27T14:00:00Z',
        },
      ],
      route: 'PANC → ZYTX',
      origin: 'US',
      countries: ['CN'],
      destinations: [],
    };
    expect(airportsOf(ev).map((a) => a.icao)).toEqual(['ZYTX', 'PANC']);
    const img = renderEventMap(ev, { width: 320, height: 200 })!;
    expect(pngInfo(img.png)).toMatchObject({ width: 320, height: 200 });
  });

  it('orders the track by time, drops invalid coordinates and closes it with the event position', () => {
    const ev = landingEvent();
    ev.evidence = [
      { ...ev.evidence[0], time: '2026-11-27T19:01:00Z', lat: 31.4, lon: -92.5 },
      { ...ev.evidence[0], time: '2026-11-27T19:00:00Z', lat: 31.5, lon: -92.4 },
      { ...ev.evidence[0], time: '2026-11-27T19:00:30Z', lat: NaN, lon: -92.4 },
      { ...ev.evidence[0], time: '2026-11-27T19:00:40Z', lat: undefined, lon: undefined },
    ];
    ev.position = { lat: 31.33, lon: -92.55, altFt: null };
    expect(trackOf(ev)).toEqual([
      [-92.4, 31.5],
      [-92.5, 31.4],
      [-92.55, 31.33],
    ]);
  });

  it('returns null when there is nothing to place on a map', () => {
    const ev = landingEvent();
    ev.evidence = [];
    delete ev.position;
    delete ev.airport;
    expect(renderEventMap(ev)).toBeNull();
  });

  it('draws hostile strings as text (the SVG stays well-formed)', () => {
    const ev = landingEvent();
    ev.aircraft.registration = '</text><script>x</script><text>';
    ev.airport!.icao = 'K&<>';
    expect(() => pngInfo(renderEventMap(ev)!.png)).not.toThrow();
  });
});
