/** Public tracking maps that show an aircraft by ICAO hex (all tar1090-based; "~" marks non-ICAO addresses). */
export interface AircraftLinks {
  adsblol: string;
  adsbexchange: string;
  airplaneslive: string;
}

export function aircraftLinks(hex: string): AircraftLinks {
  const h = encodeURIComponent(hex.trim().toLowerCase());
  return {
    adsblol: `https://globe.adsb.lol/?icao=${h}`,
    adsbexchange: `https://globe.adsbexchange.com/?icao=${h}`,
    airplaneslive: `https://globe.airplanes.live/?icao=${h}`,
  };
}
