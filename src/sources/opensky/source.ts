/**
 * OpenSky Network /states/all. It cannot filter by type, registration or callsign, so any watch entry
 * other than a hex list needs a scan: one bbox call (config `bbox`) or a global one, matched locally after
 * the aircraft database fills registration/type. Hex-only plans use `icao24=` filters (small replies).
 * Every call spends daily credits; the ledger keeps the source out of rotation when they run out.
 */
import type { OpenSkySourceConfig } from '../../config/schema';
import { SourceError, type FetchResult, type PlannedRequest, type WatchPlan } from '../source';
import { HttpSource, type HttpSourceOptions } from '../http/http-source';
import type { TextResponse } from '../http/fetch-text';
import type { ParseContext } from '../readsb/parse';
import { parseOpenSkyText } from './parse';
import {
  ANONYMOUS_DAILY_CREDITS,
  CreditLedger,
  GLOBAL_COST,
  nextUtcMidnight,
  statesCost,
  USER_DAILY_CREDITS,
} from './credits';
import { ClientCredentialsToken } from './oauth';
import { redactor } from '../../util/redact';

/** icao24 values per request: keeps URLs near 1.5 kB. */
export const MAX_ICAO24_PER_REQUEST = 100;

export class OpenSkySource extends HttpSource<OpenSkySourceConfig> {
  readonly credits: CreditLedger;
  readonly oauth?: ClientCredentialsToken;
  private readonly base: string;
  private readonly authProblem?: string;
  /** Cheapest request of the last plan: below that many credits the source sits out until the UTC day ends. */
  private minCost = 1;

  constructor(config: OpenSkySourceConfig, opts: HttpSourceOptions = {}) {
    super(config, opts);
    this.base = config.baseUrl.replace(/\/+$/, '');
    const authenticated = !!config.clientIdEnv;
    this.credits = new CreditLedger(
      config.dailyCredits ?? (authenticated ? USER_DAILY_CREDITS : ANONYMOUS_DAILY_CREDITS),
    );
    if (config.clientIdEnv && config.clientSecretEnv) {
      const clientId = this.env[config.clientIdEnv];
      const clientSecret = this.env[config.clientSecretEnv];
      redactor.add(clientSecret);
      if (!clientId || !clientSecret)
        this.authProblem = `OAuth2 client credentials missing: environment variable ${!clientId ? config.clientIdEnv : config.clientSecretEnv} is not set`;
      else
        this.oauth = new ClientCredentialsToken({
          sourceId: this.id,
          tokenUrl: config.tokenUrl,
          clientId,
          clientSecret,
          client: this.client,
          timeoutMs: config.timeoutMs,
          now: this.now,
        });
    }
  }

  requestsFor(plan: WatchPlan): PlannedRequest[] {
    const out: PlannedRequest[] = [];
    const scan = plan.types.length > 0 || plan.registrations.length > 0 || plan.areas.length > 0 || plan.needsLocalScan;
    const bbox = this.config.bbox;
    if (scan) {
      const q = bbox ? `?lamin=${bbox.lamin}&lomin=${bbox.lomin}&lamax=${bbox.lamax}&lomax=${bbox.lomax}` : '';
      out.push({ query: { kind: 'all' }, path: `/states/all${q}`, cost: statesCost(bbox) });
    }
    // A global scan already includes every hex; a bbox scan does not, and watched tails matter anywhere.
    const hexes = plan.hex.filter((h) => !h.startsWith('~'));
    if (hexes.length && (!scan || bbox))
      for (let i = 0; i < hexes.length; i += MAX_ICAO24_PER_REQUEST) {
        const values = hexes.slice(i, i + MAX_ICAO24_PER_REQUEST);
        out.push({
          query: { kind: 'hex', values },
          path: `/states/all?${values.map((h) => `icao24=${h}`).join('&')}`,
          cost: GLOBAL_COST,
        });
      }
    if (out.length) this.minCost = Math.min(...out.map((r) => r.cost));
    return out;
  }

  override planNotes(plan: WatchPlan): string[] {
    const notes: string[] = [];
    if (plan.types.length || plan.registrations.length)
      notes.push(
        'OpenSky returns no registration or type: type/registration entries match only after aircraft-database enrichment',
      );
    const tilde = plan.hex.filter((h) => h.startsWith('~'));
    if (tilde.length) notes.push(`OpenSky has no non-ICAO addresses (${tilde.join(', ')})`);
    return notes;
  }

  override unavailableReason(now: number): string | undefined {
    const blocked = super.unavailableReason(now);
    if (blocked) return blocked;
    const left = this.credits.remaining(now);
    if (left < this.minCost)
      return `daily /states credits exhausted (${left} of ${this.credits.daily} left, a request costs ${this.minCost}); out of rotation until ${new Date(nextUtcMidnight(now)).toISOString()}`;
    return undefined;
  }

  protected urlFor(req: PlannedRequest): string {
    return this.base + req.path;
  }

  protected override async exchange(req: PlannedRequest, signal?: AbortSignal): Promise<TextResponse> {
    if (this.authProblem) throw new SourceError(this.id, 'auth', this.authProblem, { path: req.path });
    const now = this.now();
    const left = this.credits.remaining(now);
    if (left < req.cost)
      throw new SourceError(
        this.id,
        'unavailable',
        `request costs ${req.cost} credits, ${left} left today (${req.path})`,
        { path: req.path },
      );
    const url = this.urlFor(req);
    let res: TextResponse;
    if (!this.oauth) res = await this.send(url, req.path, {}, signal);
    else {
      res = await this.send(url, req.path, { Authorization: `Bearer ${await this.oauth.get(signal)}` }, signal);
      if (res.status === 401) {
        // Expired or revoked early: one fresh token, one retry; a second 401 is a real auth failure.
        this.oauth.invalidate();
        res = await this.send(url, req.path, { Authorization: `Bearer ${await this.oauth.get(signal)}` }, signal);
      }
    }
    if (res.status >= 200 && res.status < 300) this.credits.charge(req.cost, this.now());
    this.credits.observeRemaining(res.headers['x-rate-limit-remaining'], this.now());
    return res;
  }

  protected parse(text: string, ctx: ParseContext): FetchResult {
    return parseOpenSkyText(text, ctx);
  }
}
