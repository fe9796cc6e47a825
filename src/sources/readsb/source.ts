/**
 * readsb-v2 family source: adsb.lol, airplanes.live, adsb.fi, ADS-B Exchange (RapidAPI and enterprise
 * gateway) and any readsb re-api compatible server. All serve the same record; they differ in endpoint
 * paths, what they can filter on and how they authenticate (docs/sources.md has the table).
 */
import { batchValues } from '../batch';
import type { READSB_PROVIDERS, ReadsbSourceConfig } from '../../config/schema';
import { SourceError, type FetchResult, type PlannedRequest, type WatchPlan } from '../source';
import { HttpSource, type HttpSourceOptions } from '../http/http-source';
import type { TextResponse } from '../http/fetch-text';
import { parseReadsbText, type ParseContext } from './parse';
import { redactor } from '../../util/redact';

export type ReadsbProvider = (typeof READSB_PROVIDERS)[number];

/** readsb's find_hex limit; also what the public APIs document. */
export const MAX_HEX_PER_REQUEST = 1000;
/** Public readsb APIs serve circles of at most 250 nm. */
export const MAX_RADIUS_NM = 250;

interface ProviderSpec {
  hex: (list: string) => string;
  reg: (list: string) => string;
  /** Undefined when the provider has no type endpoint: type entries are then only seen via other queries. */
  type?: (list: string) => string;
  point: (lat: string, lon: string, nm: string) => string;
  /** Whether a comma-separated list is documented for registrations (else one request per registration). */
  regList: boolean;
  /** Whether `~` (non-ICAO) addresses may be queried (adsb.lol's parameter whitelist rejects `~`). */
  tildeHex: boolean;
}

const READSB_NATIVE: ProviderSpec = {
  hex: (l) => `/v2/hex/${l}`,
  reg: (l) => `/v2/reg/${l}`,
  type: (l) => `/v2/type/${l}`,
  point: (lat, lon, nm) => `/v2/point/${lat}/${lon}/${nm}`,
  regList: true,
  tildeHex: false,
};

export const PROVIDERS: Record<ReadsbProvider, ProviderSpec> = {
  adsblol: READSB_NATIVE,
  airplaneslive: READSB_NATIVE,
  generic: READSB_NATIVE,
  adsbfi: {
    hex: (l) => `/v2/hex/${l}`,
    reg: (l) => `/v2/registration/${l}`,
    point: (lat, lon, nm) => `/v2/lat/${lat}/lon/${lon}/dist/${nm}`,
    regList: false,
    tildeHex: false,
  },
  'adsbx-rapidapi': {
    hex: (l) => `/v2/hex/${l}/`,
    reg: (l) => `/v2/registration/${l}/`,
    point: (lat, lon, nm) => `/v2/lat/${lat}/lon/${lon}/dist/${nm}/`,
    regList: false,
    tildeHex: false,
  },
  'adsbx-gateway': {
    hex: (l) => `/icao/${l}`,
    reg: (l) => `/registration/${l}`,
    point: (lat, lon, nm) => `/lat/${lat}/lon/${lon}/dist/${nm}`,
    regList: false,
    tildeHex: false,
  },
};

/** Provider from the base URL's host when the config does not name one. */
export function guessProvider(baseUrl: string): ReadsbProvider {
  const host = new URL(baseUrl).hostname.toLowerCase();
  const is = (d: string) => host === d || host.endsWith(`.${d}`);
  if (is('adsb.lol')) return 'adsblol';
  if (is('airplanes.live')) return 'airplaneslive';
  if (is('adsb.fi')) return 'adsbfi';
  if (is('rapidapi.com')) return 'adsbx-rapidapi';
  if (is('adsbexchange.com')) return 'adsbx-gateway';
  return 'generic';
}

/** Coordinates in paths: at most 4 decimals (~11 m), no exponent, no trailing zeros. */
const coord = (x: number) => String(Number(x.toFixed(4)));

export class ReadsbSource extends HttpSource<ReadsbSourceConfig> {
  readonly provider: ReadsbProvider;
  private readonly spec: ProviderSpec;
  private readonly base: string;
  /** Leading "/v2" of the provider paths is dropped when the base URL already ends with it (airplanes.live docs). */
  private readonly stripV2: boolean;
  private readonly authHeaders: Record<string, string>;
  private readonly authProblem?: string;

  constructor(config: ReadsbSourceConfig, opts: HttpSourceOptions = {}) {
    super(config, opts);
    this.provider = config.provider ?? guessProvider(config.baseUrl);
    this.spec = PROVIDERS[this.provider];
    this.base = config.baseUrl.replace(/\/+$/, '');
    this.stripV2 = /\/v2$/.test(new URL(this.base).pathname);
    const scheme =
      config.auth?.scheme ??
      (this.provider === 'adsbx-rapidapi' ? 'rapidapi' : this.provider === 'adsbx-gateway' ? 'api-auth' : undefined);
    this.authHeaders = {};
    if (scheme) {
      const keyEnv = config.auth?.keyEnv;
      const key = keyEnv ? this.env[keyEnv] : undefined;
      redactor.add(key); // masked wherever it shows up again (an upstream error quoting it)
      if (!keyEnv) this.authProblem = `provider ${this.provider} needs an API key: set auth.keyEnv`;
      else if (!key) this.authProblem = `API key environment variable ${keyEnv} is not set`;
      else if (scheme === 'rapidapi') {
        this.authHeaders['X-RapidAPI-Key'] = key;
        this.authHeaders['X-RapidAPI-Host'] = new URL(this.base).host;
      } else this.authHeaders['api-auth'] = key;
    }
  }

  private rel(path: string): string {
    return this.stripV2 && path.startsWith('/v2/') ? path.slice(3) : path;
  }

  requestsFor(plan: WatchPlan): PlannedRequest[] {
    const out: PlannedRequest[] = [];
    const maxChars = this.config.maxListChars;
    const hexes = plan.hex.filter((h) => this.spec.tildeHex || !h.startsWith('~'));
    for (const b of batchValues(hexes, MAX_HEX_PER_REQUEST, maxChars))
      out.push({ query: { kind: 'hex', values: b }, path: this.rel(this.spec.hex(b.join(','))), cost: 1 });
    const regs = this.spec.regList
      ? batchValues(plan.registrations, MAX_HEX_PER_REQUEST, maxChars)
      : plan.registrations.map((r) => [r]);
    for (const b of regs)
      out.push({ query: { kind: 'reg', values: b }, path: this.rel(this.spec.reg(b.join(','))), cost: 1 });
    const typePath = this.spec.type;
    if (typePath)
      for (const b of batchValues(plan.types, MAX_HEX_PER_REQUEST, maxChars))
        out.push({ query: { kind: 'type', values: b }, path: this.rel(typePath(b.join(','))), cost: 1 });
    for (const a of plan.areas) {
      const nm = Math.min(a.radiusNm, MAX_RADIUS_NM);
      out.push({
        query: { kind: 'point', areaId: a.id, lat: a.lat, lon: a.lon, radiusNm: nm },
        path: this.rel(this.spec.point(coord(a.lat), coord(a.lon), coord(nm))),
        cost: 1,
      });
    }
    return out;
  }

  override planNotes(plan: WatchPlan): string[] {
    const notes: string[] = [];
    if (!this.spec.type && plan.types.length)
      notes.push(
        `provider ${this.provider} has no type endpoint: type-only watch entries (${plan.types.join(', ')}) are matched only over the hex/registration/area replies`,
      );
    const tilde = plan.hex.filter((h) => h.startsWith('~'));
    if (tilde.length && !this.spec.tildeHex)
      notes.push(
        `non-ICAO addresses (${tilde.join(', ')}) cannot be queried from ${this.provider}; matched only over area replies`,
      );
    return notes;
  }

  protected urlFor(req: PlannedRequest): string {
    return this.base + req.path;
  }

  protected override async exchange(req: PlannedRequest, signal?: AbortSignal): Promise<TextResponse> {
    if (this.authProblem) throw new SourceError(this.id, 'auth', this.authProblem, { path: req.path });
    return this.send(this.urlFor(req), req.path, this.authHeaders, signal);
  }

  protected parse(text: string, ctx: ParseContext): FetchResult {
    return parseReadsbText(text, ctx);
  }
}
