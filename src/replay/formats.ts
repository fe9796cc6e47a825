/**
 * Which recorded format a file holds, and when it starts, decided from the head of the file where
 * possible (cheap for thousands of traces) and from the parsed document otherwise.
 */
export const REPLAY_FORMATS = ['readsb-trace', 'readsb-aircraft', 'opensky-states'] as const;
export type ReplayFormat = (typeof REPLAY_FORMATS)[number];
export type FormatOption = ReplayFormat | 'auto';

const KEY = {
  trace: /"trace"\s*:/,
  icao: /"icao"\s*:/,
  states: /"states"\s*:/,
  aircraft: /"(?:aircraft|ac)"\s*:/,
};

/** The format named by the first top-level keys in the head of a file; undefined when unclear. */
export function sniffFormatFromHead(head: string): ReplayFormat | undefined {
  const first = head.trimStart()[0];
  if (first !== '{') return undefined;
  const pos = (re: RegExp) => {
    const m = re.exec(head);
    return m ? m.index : Infinity;
  };
  const trace = Math.min(pos(KEY.trace), pos(KEY.icao));
  const states = pos(KEY.states);
  const aircraft = pos(KEY.aircraft);
  const best = Math.min(trace, states, aircraft);
  if (best === Infinity) return undefined;
  // The earliest list-key wins: aircraft objects inside a trace could contain other keys later on.
  if (best === trace) return 'readsb-trace';
  if (best === states) return 'opensky-states';
  return 'readsb-aircraft';
}

/** The format of a parsed document, by its top-level keys. */
export function formatOfDoc(doc: unknown): ReplayFormat | undefined {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
  const d = doc as Record<string, unknown>;
  if ('trace' in d && 'icao' in d) return 'readsb-trace';
  if ('states' in d && 'time' in d) return 'opensky-states';
  if ('aircraft' in d || 'ac' in d) return 'readsb-aircraft';
  return undefined;
}

/** readsb `now` is seconds in aircraft.json and milliseconds in the v2 API (`now > 1e11` ⇒ ms). */
export const readsbNowMs = (now: number) => (now > 1e11 ? Math.round(now) : Math.round(now * 1000));

const TIME_KEY: Record<ReplayFormat, { time: RegExp; list: RegExp; toMs: (v: number) => number }> = {
  'readsb-trace': {
    time: /"timestamp"\s*:\s*(-?[0-9.]+(?:[eE][+-]?\d+)?)/,
    list: KEY.trace,
    toMs: (s) => Math.round(s * 1000),
  },
  'readsb-aircraft': { time: /"now"\s*:\s*(-?[0-9.]+(?:[eE][+-]?\d+)?)/, list: KEY.aircraft, toMs: readsbNowMs },
  'opensky-states': {
    time: /"time"\s*:\s*(-?[0-9.]+(?:[eE][+-]?\d+)?)/,
    list: KEY.states,
    toMs: (s) => Math.round(s * 1000),
  },
};

/**
 * The start time (epoch ms) of a file from its head, only when the time key comes before the list it
 * describes (so it cannot be a key of some nested record); undefined otherwise.
 */
export function startTimeFromHead(format: ReplayFormat, head: string): number | undefined {
  const k = TIME_KEY[format];
  const m = k.time.exec(head);
  if (!m) return undefined;
  const list = k.list.exec(head);
  if (list && list.index < m.index) return undefined;
  const v = Number(m[1]);
  return Number.isFinite(v) ? k.toMs(v) : undefined;
}

/** Start time from the parsed document (the fallback when the head did not tell). */
export function startTimeOfDoc(format: ReplayFormat, doc: unknown): number | undefined {
  const d = doc as Record<string, unknown>;
  const v = format === 'readsb-trace' ? d.timestamp : format === 'readsb-aircraft' ? d.now : d.time;
  return typeof v === 'number' && Number.isFinite(v) ? TIME_KEY[format].toMs(v) : undefined;
}
