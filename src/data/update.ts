/**
 * `flightwatch data update`: download every reference table, validate it (header, every row, row count),
 * and only when all required tables are good write them atomically to the data dir together with the
 * generated airports.json. Any failure of a required table leaves every previous file untouched.
 */
import axios from 'axios';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { serializeAirportsFile, toAirportsFile, type AirportsFile } from './airports-file';
import { writeFileAtomic } from './atomic-write';
import { buildAirports, type BuildStats } from './build-airports';
import { DataError } from './errors';
import { parseOpenFlightsAirports } from './formats/openflights';
import { parseOurAirports, parseOurAirportsCountries, parseOurRunways } from './formats/ourairports';
import { parseVrsAirports } from './formats/vrs-airports';
import { AIRPORTS_JSON } from './load-airports';
import { FALLBACK_LICENCE, FALLBACK_PACKAGE, loadFallbackAirports } from './npm-fallback';
import { fillRunwaysFrom } from './runway-fill';
import { TABLES, type TableId, type TableSpec } from './sources';

export const MANIFEST_JSON = 'data-manifest.json';

const NO_KEEPALIVE_HTTP = new http.Agent({ keepAlive: false });
const NO_KEEPALIVE_HTTPS = new https.Agent({ keepAlive: false });

export interface UpdateOptions {
  dir: string;
  /** Base URL serving every table under its file name (a mirror, or a test server). */
  from?: string;
  /** Per-table URL overrides (win over `from`). */
  urls?: Partial<Record<TableId, string>>;
  /** Per-table minimum row counts (tests serve small tables). */
  minRows?: Partial<Record<TableId, number>>;
  timeoutMs?: number;
  /** Waits before retrying a network error, 5xx or 429 (default 2 s, 10 s). */
  retryDelaysMs?: readonly number[];
  log?: (msg: string) => void;
  now?: () => Date;
}

export interface TableResult {
  id: TableId;
  file: string;
  url?: string;
  /** updated: downloaded and written; kept: download failed or skipped, previous copy used; missing: neither. */
  status: 'updated' | 'kept' | 'missing';
  rows?: number;
  error?: string;
}

export interface UpdateResult {
  tables: TableResult[];
  airports: BuildStats;
  warnings: string[];
}

export class UpdateError extends Error {
  constructor(
    readonly failures: string[],
    readonly tables: TableResult[],
  ) {
    super(`data update failed; previous files kept:\n  ${failures.join('\n  ')}`);
    this.name = 'UpdateError';
  }
}

interface Fetched {
  spec: TableSpec;
  url?: string;
  text?: string;
  rows?: number;
  error?: string;
}

export async function runDataUpdate(opts: UpdateOptions): Promise<UpdateResult> {
  const dir = path.resolve(opts.dir);
  const log = opts.log ?? (() => {});
  const base = opts.from?.replace(/\/+$/, '');
  const fetched = await Promise.all(
    TABLES.map(async (spec): Promise<Fetched> => {
      const url = opts.urls?.[spec.id] ?? (base ? `${base}/${spec.file}` : spec.defaultUrl);
      if (!url) return { spec, error: `${spec.file}: no URL (upstream publishes no single file; use --from or --url)` };
      const source = `${spec.file} (${url})`;
      try {
        const text = await downloadWithRetry(url, source, opts.timeoutMs ?? 120_000, opts.retryDelaysMs ?? [2_000, 10_000]);
        const rows = spec.validate(text, source);
        const min = opts.minRows?.[spec.id] ?? spec.minRows;
        if (rows < min) throw new DataError(source, undefined, `only ${rows} rows, expected at least ${min} (truncated download?)`);
        log(`${spec.file}: ${rows} rows from ${url}`);
        return { spec, url, text, rows };
      } catch (e) {
        return { spec, url, error: (e as Error).message };
      }
    }),
  );

  const failures = fetched.filter((f) => f.error && f.spec.required).map((f) => f.error!);
  const warnings: string[] = [];
  const tables: TableResult[] = fetched.map((f) => {
    const file = path.join(dir, f.spec.file);
    if (!f.error) return { id: f.spec.id, file, url: f.url, status: 'updated', rows: f.rows };
    if (!f.spec.required) warnings.push(`${f.error}${existsSync(file) ? '; keeping the previous copy' : ''}`);
    return { id: f.spec.id, file, url: f.url, status: existsSync(file) ? 'kept' : 'missing', error: f.error };
  });
  if (failures.length) throw new UpdateError(failures, tables);

  // Optional tables that failed fall back to their previous copy for the build.
  const textOf = (id: TableId): { text: string; source: string } | undefined => {
    const f = fetched.find((x) => x.spec.id === id)!;
    if (f.text !== undefined) return { text: f.text, source: `${f.spec.file} (${f.url})` };
    const file = path.join(dir, f.spec.file);
    return existsSync(file) ? { text: readFileSync(file, 'utf8'), source: file } : undefined;
  };
  const parseOptional = <T>(id: TableId, parse: (t: string, s: string) => T): T | undefined => {
    const t = textOf(id);
    if (!t) return undefined;
    try {
      return parse(t.text, t.source);
    } catch (e) {
      warnings.push(`previous ${t.source} is unusable, ignored: ${(e as Error).message}`);
      return undefined;
    }
  };
  const vrs = textOf('vrs-airports')!;
  const countries = textOf('ourairports-countries')!;
  const ourAirports = parseOptional('ourairports-airports', parseOurAirports);
  const ourRunways = parseOptional('ourairports-runways', parseOurRunways);
  const built = buildAirports({
    vrs: parseVrsAirports(vrs.text, vrs.source),
    ourAirports,
    ourRunways,
    openFlights: parseOptional('openflights-airports', parseOpenFlightsAirports),
  });
  const countryNames = parseOurAirportsCountries(countries.text, countries.source);
  const sources: AirportsFile['sources'] = tables
    .filter((t) => t.status !== 'missing' && t.id !== 'vrs-aircraft')
    .map((t) => ({ table: t.id, url: t.url, rows: t.rows ?? 0, licence: TABLES.find((s) => s.id === t.id)!.licence }));
  // OurAirports runways not joined: take them from the npm package rather than build a table without runways.
  if (!ourAirports || !ourRunways) {
    try {
      const pkg = await loadFallbackAirports();
      const filled = fillRunwaysFrom(built.airports, pkg.airports);
      built.stats.withRunwayEnds = built.airports.filter((a) => a.runwayEnds?.length).length;
      sources.push({ table: 'npm-runways', url: `npm:${FALLBACK_PACKAGE}`, rows: filled, licence: FALLBACK_LICENCE });
      log(`runways: OurAirports runways not available; ${filled} airports got theirs from ${FALLBACK_PACKAGE}`);
    } catch (e) {
      warnings.push(`no runway data (OurAirports runways not available, npm package unreadable: ${(e as Error).message}); airport inference will use airport positions`);
    }
  }
  const now = (opts.now ?? (() => new Date()))();
  const airportsJson = serializeAirportsFile(toAirportsFile(built.airports, countryNames, sources, now));

  mkdirSync(dir, { recursive: true });
  for (const f of fetched) if (f.text !== undefined) writeFileAtomic(path.join(dir, f.spec.file), f.text);
  writeFileAtomic(path.join(dir, AIRPORTS_JSON), airportsJson);
  writeFileAtomic(
    path.join(dir, MANIFEST_JSON),
    JSON.stringify({ updatedAt: now.toISOString(), tables: tables.map(({ file, ...t }) => ({ ...t, file: path.basename(file) })), airports: built.stats, warnings }, null, 2) + '\n',
  );
  for (const w of warnings) log(`warning: ${w}`);
  log(`${AIRPORTS_JSON}: ${built.stats.airports} airports (${built.stats.fromOurAirports} OurAirports, ${built.stats.fromVrsOnly} VRS only; tz ${built.stats.tzFromOpenFlights} OpenFlights, ${built.stats.tzComputed} computed; ${built.stats.withRunwayEnds} with runway thresholds)`);
  return { tables, airports: built.stats, warnings };
}

/** Transient failures (reset keep-alive sockets, 5xx, 429) are retried; 4xx and bad content are not. */
async function downloadWithRetry(url: string, source: string, timeoutMs: number, delays: readonly number[]): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await download(url, source, timeoutMs);
    } catch (e) {
      const transient = e instanceof DownloadError && e.transient;
      if (!transient || attempt >= delays.length) throw e;
      await new Promise((r) => setTimeout(r, delays[attempt]));
    }
  }
}

class DownloadError extends DataError {
  constructor(
    source: string,
    problem: string,
    readonly transient: boolean,
  ) {
    super(source, undefined, problem);
  }
}

/** GET as bytes; gunzips .gz bodies (by magic number); strips a BOM and CRs so stored files are uniform. */
async function download(url: string, source: string, timeoutMs: number): Promise<string> {
  let body: Buffer;
  try {
    const res = await axios.get<ArrayBuffer>(url, {
      responseType: 'arraybuffer',
      timeout: timeoutMs,
      maxContentLength: 512 * 1024 * 1024,
      headers: { 'User-Agent': 'flightwatch data update' },
      // A few large files: no keep-alive, so a socket the server closed while we were parsing is never reused.
      httpAgent: NO_KEEPALIVE_HTTP,
      httpsAgent: NO_KEEPALIVE_HTTPS,
      // Accept 2xx only; anything else is a failure with its status in the message.
      validateStatus: (s) => s >= 200 && s < 300,
    });
    body = Buffer.from(res.data);
  } catch (e) {
    const status = axios.isAxiosError(e) ? e.response?.status : undefined;
    if (status) throw new DownloadError(source, `HTTP ${status}`, status >= 500 || status === 429);
    throw new DownloadError(source, `download failed: ${(e as Error).message}`, true);
  }
  if (body[0] === 0x1f && body[1] === 0x8b) {
    try {
      body = gunzipSync(body);
    } catch (e) {
      throw new DataError(source, undefined, `corrupt gzip: ${(e as Error).message}`);
    }
  }
  let text = body.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.replace(/\r\n?/g, '\n');
}
