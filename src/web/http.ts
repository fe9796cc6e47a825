/** Request and response plumbing of the console: security headers, form bodies, redirects. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { redact } from '../util/redact';

export const FORM_MAX_BYTES = 64 * 1024;

/** Every asset is ours and same-origin: no inline script, no CDN, no framing. */
export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export function securityHeaders(res: ServerResponse, https: boolean): void {
  res.setHeader('Content-Security-Policy', CSP);
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  if (https) res.setHeader('Strict-Transport-Security', 'max-age=31536000');
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** An urlencoded form body, at most FORM_MAX_BYTES; anything else is a 4xx naming what is wrong. */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded')
    throw new HttpError(415, 'forms are sent as application/x-www-form-urlencoded');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > FORM_MAX_BYTES) throw new HttpError(413, `the form is larger than ${FORM_MAX_BYTES} bytes`);
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** An HTML answer; passes the redactor, as every answer of this process does. */
export function sendHtml(
  res: ServerResponse,
  status: number,
  html: string,
  headers: Record<string, string> = {},
): void {
  const body = Buffer.from(redact(html));
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': String(body.length),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(body);
}

export function redirect(res: ServerResponse, to: string, cookies: string[] = []): void {
  if (cookies.length) res.setHeader('Set-Cookie', cookies);
  res.writeHead(303, { Location: to, 'Cache-Control': 'no-store', 'Content-Length': '0' });
  res.end();
}

const isControl = (ch: string) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f;

/**
 * A path on this console: one leading `/`, never `//host` or `/\host` (browsers read both as another origin),
 * no control characters (browsers drop tabs and newlines, so `/\t/host` would become `//host`).
 */
export function isLocalPath(next: string): boolean {
  return next.startsWith('/') && !/^\/[/\\]/.test(next) && ![...next].some(isControl);
}

/** A local path to return to after sign-in; anything else (another origin, `//host`) becomes `fallback`. */
export function safeNext(next: string | null | undefined, fallback: string): string {
  return next && isLocalPath(next) ? next : fallback;
}
