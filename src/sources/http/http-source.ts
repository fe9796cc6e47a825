/**
 * What the HTTP sources share: per-source client and token bucket, the availability gate, status and
 * non-JSON checks, parse errors mapped to 'malformed', and health bookkeeping. Subclasses supply the
 * request plan, the URL and headers of a request, and the parser.
 */
import type { SourceConfig } from '../../config/schema';
import type { ParseContext } from '../readsb/parse';
import {
  SourceError,
  type FetchOptions,
  type FetchResult,
  type PlannedRequest,
  type Source,
  type WatchPlan,
} from '../source';
import { createHttpClient, type HttpClient } from './client';
import { fetchText, type TextResponse } from './fetch-text';
import { SourceHealth } from './health';
import { TokenBucket } from './rate-limit';
import { nonJsonError, statusError } from './status';
import { redactor } from '../../util/redact';

export interface HttpSourceOptions {
  /** Wall clock (epoch ms) for backoff windows and credits; injectable for tests. */
  now?: () => number;
  env?: NodeJS.ProcessEnv;
  userAgent?: string;
}

/** Drops the "source X: kind: " prefix SourceError puts on its message, to re-wrap with more context. */
export const bareMessage = (e: SourceError) => e.message.replace(/^source [^:]+: [a-z-]+: /, '');

export function asSourceError(
  sourceId: string,
  path: string,
  e: unknown,
  fallback: SourceError['kind'] = 'network',
): SourceError {
  if (e instanceof SourceError) {
    if (e.details.path) return e;
    return new SourceError(e.sourceId, e.kind, `${bareMessage(e)} (${path})`, { ...e.details, path });
  }
  return new SourceError(sourceId, fallback, `${(e as Error)?.message ?? String(e)} (${path})`, { path });
}

export abstract class HttpSource<C extends SourceConfig = SourceConfig> implements Source {
  readonly id: string;
  protected readonly client: HttpClient;
  protected readonly bucket: TokenBucket;
  protected readonly health: SourceHealth;
  protected readonly now: () => number;
  protected readonly env: NodeJS.ProcessEnv;

  constructor(
    readonly config: C,
    opts: HttpSourceOptions = {},
    clientHeaders: Record<string, string> = {},
  ) {
    this.id = config.id;
    this.now = opts.now ?? Date.now;
    this.env = opts.env ?? process.env;
    // Credentials in a source URL (user:pass@ of a receiver behind basic auth) are secrets.
    const cfg = config as { baseUrl?: unknown; url?: unknown };
    for (const u of [cfg.baseUrl, cfg.url]) if (typeof u === 'string') redactor.addUrl(u);
    this.client = createHttpClient({
      connectTimeoutMs: config.connectTimeoutMs,
      userAgent: opts.userAgent,
      headers: clientHeaders,
    });
    this.bucket = new TokenBucket(config.requestsPerSecond);
    this.health = new SourceHealth(config.authFailureBackoffMinutes * 60_000);
  }

  abstract requestsFor(plan: WatchPlan): PlannedRequest[];
  protected abstract parse(text: string, ctx: ParseContext): FetchResult;
  /** Absolute URL of a planned request. */
  protected abstract urlFor(req: PlannedRequest): string;

  unavailableReason(now: number): string | undefined {
    return this.health.unavailableReason(now);
  }

  /** Notes about the plan this source cannot serve (e.g. no type endpoint); logged once by the poll cycle. */
  planNotes(_plan: WatchPlan): string[] {
    return [];
  }

  async fetch(req: PlannedRequest, signal?: AbortSignal, opts?: FetchOptions): Promise<FetchResult> {
    try {
      const blocked = this.unavailableReason(this.now());
      if (blocked) throw new SourceError(this.id, 'unavailable', blocked, { path: req.path });
      const res = await this.exchange(req, signal);
      const bad = statusError(this.id, req.path, res, this.now()) ?? nonJsonError(this.id, req.path, res);
      if (bad) throw bad;
      this.afterSuccess(req, res);
      const ctx: ParseContext = {
        sourceId: this.id,
        fetchedAt: this.now(),
        sourceKind: this.config.kind,
        select: opts?.select,
        bytes: res.bytes,
      };
      let result: FetchResult;
      try {
        result = this.parse(res.text, ctx);
      } catch (e) {
        throw asSourceError(this.id, req.path, e, 'malformed');
      }
      return { ...result, bytes: res.bytes };
    } catch (e) {
      const err = asSourceError(this.id, req.path, e);
      this.health.note(err, this.now());
      this.afterFailure(req, err);
      throw err;
    }
  }

  /** Sends one planned request (rate limited) and returns the raw reply; OpenSky overrides it for OAuth. */
  protected async exchange(req: PlannedRequest, signal?: AbortSignal): Promise<TextResponse> {
    return this.send(this.urlFor(req), req.path, {}, signal);
  }

  protected async send(
    url: string,
    path: string,
    headers: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<TextResponse> {
    try {
      await this.bucket.take(signal);
    } catch {
      throw new SourceError(this.id, 'network', `request aborted by caller (${path})`, { path });
    }
    return fetchText(this.client, {
      sourceId: this.id,
      url,
      path,
      headers,
      timeoutMs: this.config.timeoutMs,
      maxBytes: this.config.maxResponseBytes,
      signal,
    });
  }

  protected afterSuccess(_req: PlannedRequest, _res: TextResponse): void {}
  protected afterFailure(_req: PlannedRequest, _err: SourceError): void {}

  /** Releases keep-alive sockets. */
  close(): void {
    this.client.close();
  }
}
