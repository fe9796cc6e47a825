/**
 * The console's HTTP server: node:http with a route table of our own. The console has a dozen routes, one
 * body type (urlencoded forms) and no middleware chain worth a framework: node:http keeps the dependency
 * tree and the attack surface as they are, and every answer passes one place that sets the security headers.
 * Binds 127.0.0.1 unless `web.host` says otherwise.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Kysely } from 'kysely';
import type { RecordDatabase } from '../archive/record-schema';
import type { WebConfig } from '../config/web-schema';
import type { Logger } from '../util/log';
import { ASSETS } from './assets';
import { parseCookies, setCookie } from './auth/cookies';
import { FailureLimiter } from './auth/rate-limit';
import { SessionStore } from './auth/sessions';
import { resolveUsers, sessionSecret } from './auth/users';
import type { ConsoleDeps } from './deps';
import { errorBody, evidence, login, loginPage, logout, preSessionId, review } from './handlers';
import { HttpError, redirect, securityHeaders, sendHtml } from './http';
import { renderLayout } from './layout';
import type { PageContext, Role } from './page';
import { normalizeHex } from './pages/aircraft';
import { reportDownload } from './pages/report';
import { answerProbe, PROBE_PATHS } from './probes';
import { PRE_SESSION_COOKIE, SESSION_COOKIE, type ConsoleState, type RequestInfo } from './request';
import { compile, mayOpen, PAGE_ROUTES } from './routes';

export interface ConsoleServerOptions {
  web: WebConfig;
  db: Kysely<RecordDatabase>;
  deps: ConsoleDeps;
  log: Logger;
  env?: NodeJS.ProcessEnv;
  /** Overrides web.port (0 = any free port). */
  port?: number;
  /** Overrides web.host. */
  host?: string;
  now?: () => Date;
}

export interface ConsoleServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

export async function startConsole(o: ConsoleServerOptions): Promise<ConsoleServer> {
  const env = o.env ?? process.env;
  const routes = PAGE_ROUTES.map((r) => compile(r, o.deps));
  const nav = PAGE_ROUTES.filter((r) => r.nav).map((r) => ({ href: r.path, label: r.nav ?? r.path }));
  const state: ConsoleState = {
    web: o.web,
    db: o.db,
    deps: o.deps,
    log: o.log,
    users: resolveUsers(o.web, env),
    sessions: new SessionStore(sessionSecret(o.web, env), o.web.sessionTtl),
    limits: {
      ip: new FailureLimiter(o.web.loginLimit.perIp, o.web.loginLimit.window),
      user: new FailureLimiter(o.web.loginLimit.perUser, o.web.loginLimit.window),
    },
    nav,
    home: nav[0]?.href ?? '/health',
    now: o.now ?? (() => new Date()),
  };

  const info = (req: http.IncomingMessage, res: http.ServerResponse): RequestInfo => {
    const url = new URL(req.url ?? '/', 'http://console.invalid');
    const cookies = parseCookies(req.headers.cookie);
    const forwarded = (name: string) => {
      const v = req.headers[name];
      return (Array.isArray(v) ? v[0] : v)?.split(',')[0]?.trim();
    };
    const https =
      (req.socket as { encrypted?: boolean }).encrypted === true ||
      (o.web.trustProxy && forwarded('x-forwarded-proto') === 'https');
    const session = state.sessions.get(cookies.get(SESSION_COOKIE));
    const role = session?.role ?? (o.web.publicMode.enabled ? 'public' : null);
    const r: RequestInfo = {
      req,
      res,
      url,
      path: url.pathname,
      cookies,
      session,
      role,
      https,
      ip: (o.web.trustProxy ? forwarded('x-forwarded-for') : undefined) ?? req.socket.remoteAddress ?? 'unknown',
      csrfToken: '',
      page: (status, result) =>
        sendHtml(
          res,
          status,
          renderLayout({
            title: result.title,
            body: result.body,
            nav: state.nav,
            path: url.pathname,
            role: r.role,
            user: r.session?.user ?? null,
            csrfToken: r.csrfToken,
          }),
        ),
    };
    if (session) r.csrfToken = state.sessions.csrfToken(session.id);
    else {
      // Before sign-in the CSRF token is bound to a signed pre-session cookie, set on first sight.
      let pre = preSessionId(state, r);
      if (!pre) {
        const id = SessionStore.newId();
        res.setHeader('Set-Cookie', setCookie(PRE_SESSION_COOKIE, state.sessions.sign(id), { secure: https }));
        pre = `pre:${id}`;
      }
      r.csrfToken = state.sessions.csrfToken(pre);
    }
    return r;
  };

  const contextOf = (r: RequestInfo, role: Role, params: Record<string, string>): PageContext => ({
    db: state.db,
    query: r.url.searchParams,
    params,
    role,
    user: r.session?.user ?? null,
    csrfToken: r.csrfToken,
    hiddenFields: role === 'public' ? new Set(o.web.publicMode.hideFields) : new Set(),
    now: state.now(),
  });

  const route = async (r: RequestInfo): Promise<void> => {
    const { req, res, path } = r;
    const method = req.method ?? 'GET';
    // URL parsing resolves dot segments ("/evidence/.." → "/", a page): such a path is refused, not resolved.
    if (/(^|\/)\.\.?(\/|$)/.test((req.url ?? '/').split('?')[0] ?? ''))
      throw new HttpError(400, 'dot segments in the path');
    if (path.startsWith('/assets/') && method !== 'POST') {
      const asset = ASSETS.get(path.slice('/assets/'.length));
      if (!asset) throw new HttpError(404, 'no such asset');
      res.writeHead(200, {
        'Content-Type': asset.type,
        'Content-Length': String(asset.body.length),
        'Cache-Control': 'public, max-age=31536000, immutable',
      });
      res.end(asset.body);
      return;
    }
    if (path === '/login') {
      if (method === 'POST') return login(state, r);
      if (r.session) return redirect(res, state.home);
      return loginPage(state, r);
    }
    if (path === '/logout') {
      if (method !== 'POST') throw new HttpError(405, 'sign out with the button (POST /logout)');
      return logout(state, r);
    }
    if (!r.role) return redirect(res, `/login?${new URLSearchParams({ next: path + r.url.search }).toString()}`);
    if (path === '/review' && method === 'POST') return review(state, r);
    if (method === 'POST') throw new HttpError(405, `${path} takes no form`);
    if (path.startsWith('/evidence/')) {
      let id: string;
      try {
        id = decodeURIComponent(path.slice('/evidence/'.length));
      } catch {
        throw new HttpError(400, 'not an evidence id');
      }
      return evidence(state, r, id);
    }
    if (path === '/report/download') {
      // The Report page's files: readable by whoever may read the page, with public mode's hidden fields.
      const file = await reportDownload(contextOf(r, r.role, {}), o.deps);
      r.res.writeHead(file.status, {
        'Content-Type': file.contentType,
        'Content-Disposition': `attachment; filename="${file.filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
        'Cache-Control': 'no-store',
      });
      r.res.end(file.body);
      return;
    }
    if (path === '/aircraft') {
      const hex = normalizeHex(r.url.searchParams.get('hex') ?? '');
      if (!hex) throw new HttpError(400, 'an aircraft is named by its ICAO address: six hex digits, e.g. a1b2c3');
      return redirect(res, `/aircraft/${encodeURIComponent(hex)}`);
    }
    for (const c of routes) {
      const params = c.match(path);
      if (!params) continue;
      if (!mayOpen(r.role, c.route.minRole))
        throw new HttpError(
          403,
          r.session
            ? `This page needs the ${c.route.minRole} role; you are signed in as ${r.session.role}.`
            : 'This page needs a signed-in user.',
        );
      const result = await c.page(contextOf(r, r.role, params));
      return r.page(result.status ?? 200, result);
    }
    throw new HttpError(404, `There is no page at ${path}.`);
  };

  const server = http.createServer((req, res) => {
    let r: RequestInfo | undefined;
    const fail = (e: unknown) => {
      const status = e instanceof HttpError ? e.status : 500;
      if (status === 500) o.log.error({ err: (e as Error).message, path: r?.path }, 'console page failed');
      const message = e instanceof HttpError ? e.message : 'Something went wrong on the server; the log says what.';
      if (res.headersSent) return res.destroy();
      const title =
        {
          400: 'Bad request',
          403: 'Not allowed',
          404: 'Not found',
          405: 'Not allowed',
          413: 'Too large',
          415: 'Unsupported form',
          429: 'Too many requests',
        }[status] ?? 'Error';
      if (r) r.page(status, { title, body: errorBody(message) });
      else sendHtml(res, status, errorBody(message));
    };
    try {
      securityHeaders(res, false);
      const method = req.method ?? 'GET';
      if (!['GET', 'HEAD', 'POST'].includes(method)) throw new HttpError(405, `${method} is not served here`);
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      if (PROBE_PATHS.has(path) && method !== 'POST') {
        answerProbe(path, o.db, res, o.log).catch(fail);
        return;
      }
      r = info(req, res);
      if (r.https) securityHeaders(res, true);
      route(r).catch(fail);
    } catch (e) {
      fail(e);
    }
  });
  server.keepAliveTimeout = 5000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  const port = o.port ?? o.web.port ?? 0;
  const host = o.host ?? o.web.host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'EADDRINUSE' ? new Error(`console: port ${port} on ${host} is in use (web.port)`) : e),
    );
    server.listen(port, host, () => resolve());
  });
  server.on('error', (e) => o.log.error({ err: e.message }, 'console server error'));
  const bound = (server.address() as AddressInfo).port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  o.log.info({ port: bound, host }, 'console listening');
  return {
    port: bound,
    url: `http://${shownHost}:${bound}`,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
