/**
 * Shared by the source tests: a pino logger writing into an array, config
 * builders with schema defaults, and a readsb "emulator" that answers /v2/hex|reg|type|point (and the
 * adsb.fi / ADSBx path variants) by filtering the real ADS-B Exchange snapshot, as the live APIs would.
 */
import { readFileSync } from 'node:fs';
import { createLogger, type Logger } from '../../../src/util/log';
import { sourceSchema, watchEntrySchema, type SourceConfig, type WatchEntry } from '../../../src/config/schema';
import type { WatchPlan } from '../../../src/sources/source';
import type { Responder } from '../../helpers/fault-server';
import { ADSBX } from '../../helpers/shared';

export interface LogLine {
  level: string;
  msg: string;
  source?: string;
  path?: string;
  kind?: string;
  reason?: string;
  [k: string]: unknown;
}

export function captureLog(): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const log = createLogger({ level: 'debug', destination: { write: (s: string) => void lines.push(JSON.parse(s)) } });
  return { log, lines };
}

export const warnings = (lines: LogLine[]) => lines.filter((l) => l.level === 'warn' || l.level === 'error');

export function src<K extends SourceConfig['kind']>(
  cfg: Record<string, unknown> & { kind: K; id: string },
): Extract<SourceConfig, { kind: K }> {
  return sourceSchema.parse(cfg) as Extract<SourceConfig, { kind: K }>;
}

export const watch = (entries: Record<string, unknown>[]): WatchEntry[] =>
  entries.map((e) => watchEntrySchema.parse(e));

export function plan(p: Partial<WatchPlan>): WatchPlan {
  return { hex: [], registrations: [], types: [], areas: [], needsLocalScan: false, ...p };
}

export interface ReadsbRecord {
  hex: string;
  r?: string;
  t?: string;
  flight?: string;
  lat?: number;
  lon?: number;
  [k: string]: unknown;
}

let adsbx: { now: number; aircraft: ReadsbRecord[] } | undefined;
export function adsbxSnapshot(): { now: number; aircraft: ReadsbRecord[] } {
  return (adsbx ??= JSON.parse(readFileSync(ADSBX, 'utf8')));
}

function distNm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = Math.PI / 180;
  const a =
    Math.sin(((lat2 - lat1) * r) / 2) ** 2 +
    Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 2 * 3440.065 * Math.asin(Math.sqrt(a));
}

/**
 * Serves the snapshot the way a readsb v2 API does: `ac` + `now` in ms (v2 API) or `aircraft` + `now` in s
 * (aggregator aircraft.json envelope), filtered by the query in the path.
 */
export function readsbEmulator(envelope: 'ac' | 'aircraft'): Responder {
  return (_q, res, rec) => {
    const snap = adsbxSnapshot();
    const p = decodeURIComponent(rec.path.split('?')[0]).replace(/\/+$/, '');
    const list = (s: string) => new Set(s.split(',').map((x) => x.toLowerCase()));
    let m: RegExpMatchArray | null;
    let ac: ReadsbRecord[];
    if ((m = p.match(/\/(?:hex|icao)\/([^/]+)$/))) {
      const want = list(m[1]);
      ac = snap.aircraft.filter((a) => want.has(a.hex));
    } else if ((m = p.match(/\/(?:reg|registration)\/([^/]+)$/))) {
      const want = list(m[1]);
      ac = snap.aircraft.filter((a) => a.r && want.has(a.r.toLowerCase()));
    } else if ((m = p.match(/\/type\/([^/]+)$/))) {
      const want = list(m[1]);
      ac = snap.aircraft.filter((a) => a.t && want.has(a.t.toLowerCase()));
    } else if (
      (m = p.match(/\/(?:point\/([-\d.]+)\/([-\d.]+)\/([\d.]+)|lat\/([-\d.]+)\/lon\/([-\d.]+)\/dist\/([\d.]+))$/))
    ) {
      const [lat, lon, nm] = (m[1] !== undefined ? [m[1], m[2], m[3]] : [m[4], m[5], m[6]]).map(Number);
      ac = snap.aircraft.filter(
        (a) => a.lat !== undefined && a.lon !== undefined && distNm(lat, lon, a.lat, a.lon) <= nm,
      );
    } else {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end('{"msg":"unknown endpoint"}');
      return;
    }
    const body =
      envelope === 'ac'
        ? JSON.stringify({
            ac,
            msg: 'No error',
            now: Math.round(snap.now * 1000),
            total: ac.length,
            ctime: Math.round(snap.now * 1000),
            ptime: 3,
          })
        : JSON.stringify({ now: snap.now, messages: 1, aircraft: ac });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  };
}
