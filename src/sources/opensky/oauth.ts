/**
 * OAuth2 client-credentials tokens for OpenSky (the only auth it accepts since 2026-03-18). Tokens last
 * 30 minutes; we refresh a minute early, share one in-flight token request between callers, and let the
 * source invalidate the cache when the API answers 401 anyway (revoked or clock skew).
 */
import { SourceError } from '../source';
import type { HttpClient } from '../http/client';
import { fetchText } from '../http/fetch-text';
import { nonJsonError, statusError } from '../http/status';
import { redactor } from '../../util/redact';

/** Refresh this long before the announced expiry so a request never leaves with a token about to expire. */
export const EXPIRY_MARGIN_MS = 60_000;
const MAX_TOKEN_REPLY_BYTES = 64 * 1024;

export interface OAuthOptions {
  sourceId: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  client: HttpClient;
  timeoutMs: number;
  now: () => number;
}

export class ClientCredentialsToken {
  private token?: string;
  private expiresAt = 0;
  private inflight?: Promise<string>;
  /** Token requests made (for tests and metrics). */
  requests = 0;

  constructor(private readonly o: OAuthOptions) {}

  async get(signal?: AbortSignal): Promise<string> {
    if (this.token && this.o.now() < this.expiresAt - EXPIRY_MARGIN_MS) return this.token;
    this.inflight ??= this.fetchToken(signal).finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  invalidate(): void {
    this.token = undefined;
    this.expiresAt = 0;
  }

  private async fetchToken(signal?: AbortSignal): Promise<string> {
    const { sourceId } = this.o;
    const path = 'token endpoint';
    this.requests++;
    const res = await fetchText(this.o.client, {
      sourceId,
      url: this.o.tokenUrl,
      path,
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      data: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: this.o.clientId,
        client_secret: this.o.clientSecret,
      }).toString(),
      timeoutMs: this.o.timeoutMs,
      maxBytes: MAX_TOKEN_REPLY_BYTES,
      signal,
    });
    // invalid_client / unauthorized_client come back as 400 or 401: both mean the credentials are wrong.
    if (res.status === 400 || res.status === 401 || res.status === 403)
      throw new SourceError(
        sourceId,
        'auth',
        `token endpoint rejected the client credentials (HTTP ${res.status}) (${path})`,
        {
          status: res.status,
          path,
        },
      );
    const bad = statusError(sourceId, path, res, this.o.now()) ?? nonJsonError(sourceId, path, res);
    if (bad) throw bad;
    let parsed: unknown;
    try {
      parsed = JSON.parse(res.text);
    } catch (e) {
      throw new SourceError(sourceId, 'malformed', `token reply is not JSON: ${(e as Error).message} (${path})`, {
        path,
      });
    }
    // Any JSON value may come back; only an object's own fields are read.
    const body: { access_token?: unknown; expires_in?: unknown } =
      typeof parsed === 'object' && parsed !== null ? parsed : {};
    if (typeof body.access_token !== 'string' || body.access_token === '')
      throw new SourceError(sourceId, 'malformed', `token reply has no access_token (${path})`, { path });
    const ttlS = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 1800;
    this.token = body.access_token;
    redactor.add(this.token); // a bearer token is a credential too
    this.expiresAt = this.o.now() + ttlS * 1000;
    return this.token;
  }
}
