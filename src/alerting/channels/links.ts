/**
 * Public tracking maps that show an aircraft by ICAO hex (all tar1090-based; "~" marks non-ICAO addresses).
 * With a time, the link opens the day's trace at that moment (tar1090 README: `showTrace=YYYY-MM-DD` loads the
 * day's history, `timestamp=<unix seconds>` jumps to the position at that time), so a reader checking an
 * alert hours later sees the event, not wherever the aircraft is now.
 */
export interface AircraftLinks {
  adsblol: string;
  adsbexchange: string;
  airplaneslive: string;
}

export function aircraftLinks(hex: string, at?: string): AircraftLinks {
  const h = encodeURIComponent(hex.trim().toLowerCase());
  const ms = at ? Date.parse(at) : NaN;
  const when = Number.isFinite(ms)
    ? `&showTrace=${new Date(ms).toISOString().slice(0, 10)}&timestamp=${Math.floor(ms / 1000)}`
    : '';
  return {
    adsblol: `https://globe.adsb.lol/?icao=${h}${when}`,
    adsbexchange: `https://globe.adsbexchange.com/?icao=${h}${when}`,
    airplaneslive: `https://globe.airplanes.live/?icao=${h}${when}`,
  };
}
