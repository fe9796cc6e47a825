/**
 * The console's actions: sign in and out, the review POST, the evidence download. Every POST checks the
 * CSRF token bound to the session (or, for sign-in, to the signed pre-session cookie).
 */
import type { ReviewAction } from '../archive/review/store';
import { reviewLeg } from '../archive/review/store';
import { loadEvidence } from '../archive/evidence/load';
import { buildSignedBundle } from '../archive/evidence/export';
import { zipBundle } from '../archive/evidence/storage';
import { watchEntriesFrom } from '../archive/evidence/watch-entries';
import { html } from './html';
import { HttpError, isLocalPath, readForm, redirect, safeNext } from './http';
import { verifyPassword, parseHash } from './auth/password';
import { setCookie } from './auth/cookies';
import { loginBody } from './pages/login';
import { mayOpen } from './routes';
import { PRE_SESSION_COOKIE, SESSION_COOKIE, type ConsoleState, type RequestInfo } from './request';

// Compared against when the name is unknown, so a wrong name costs the same time as a wrong password.
const DUMMY = parseHash(
  'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
  'the dummy hash',
);

function checkCsrf(s: ConsoleState, r: RequestInfo, form: URLSearchParams): void {
  const id = r.session ? r.session.id : preSessionId(s, r);
  if (!id || !s.sessions.checkCsrf(id, form.get('csrf')))
    throw new HttpError(403, 'the form has expired or did not come from this console: reload the page and try again');
}

/** The id behind the signed pre-session cookie, namespaced apart from session ids. */
export function preSessionId(s: ConsoleState, r: Pick<RequestInfo, 'cookies'>): string | undefined {
  const id = s.sessions.unsign(r.cookies.get(PRE_SESSION_COOKIE));
  return id ? `pre:${id}` : undefined;
}

export function loginPage(s: ConsoleState, r: RequestInfo, status = 200, error?: string, user?: string): void {
  const next = safeNext(r.url.searchParams.get('next'), s.home);
  r.page(status, { title: 'Sign in', body: loginBody({ csrfToken: r.csrfToken, next, error, user }) });
}

export async function login(s: ConsoleState, r: RequestInfo): Promise<void> {
  const form = await readForm(r.req);
  checkCsrf(s, r, form);
  const name = (form.get('user') ?? '').trim().slice(0, 64);
  const password = form.get('password') ?? '';
  const ipKey = `ip:${r.ip}`;
  const userKey = `user:${name.toLowerCase()}`;
  const wait = Math.max(s.limits.ip.retryAfterMs(ipKey), s.limits.user.retryAfterMs(userKey));
  if (wait > 0) {
    const seconds = Math.ceil(wait / 1000);
    r.res.setHeader('Retry-After', String(seconds));
    s.log.warn({ user: name, ip: r.ip }, 'console sign-in refused: too many failed attempts');
    return loginPage(s, r, 429, `Too many failed sign-ins. Try again in ${seconds} seconds.`, name);
  }
  const user = s.users.get(name);
  const ok = await verifyPassword(password, user?.hash ?? DUMMY);
  if (!user || !ok) {
    s.limits.ip.fail(ipKey);
    s.limits.user.fail(userKey);
    s.log.warn({ user: name, ip: r.ip }, 'console sign-in failed');
    return loginPage(s, r, 401, 'Wrong name or password.', name);
  }
  s.limits.user.reset(userKey);
  const session = s.sessions.create(user.name, user.role);
  s.log.info({ user: user.name, role: user.role, ip: r.ip }, 'console sign-in');
  redirect(r.res, safeNext(form.get('next'), s.home), [
    setCookie(SESSION_COOKIE, s.sessions.sign(session.id), {
      secure: r.https,
      maxAgeS: s.sessions.remainingMs(session) / 1000,
    }),
    setCookie(PRE_SESSION_COOKIE, '', { secure: r.https, maxAgeS: 0 }),
  ]);
}

export async function logout(s: ConsoleState, r: RequestInfo): Promise<void> {
  const form = await readForm(r.req);
  if (!r.session) return redirect(r.res, '/login');
  checkCsrf(s, r, form);
  s.sessions.destroy(r.session.id);
  s.log.info({ user: r.session.user }, 'console sign-out');
  redirect(r.res, '/login', [setCookie(SESSION_COOKIE, '', { secure: r.https, maxAgeS: 0 })]);
}

function reviewActionOf(form: URLSearchParams): ReviewAction {
  const note = (form.get('note') ?? '').slice(0, 2000);
  switch (form.get('action')) {
    case 'confirm':
      return { action: 'confirm', note };
    case 'reject':
      return { action: 'reject', note };
    case 'correct':
      return { action: 'correct', category: form.get('category') ?? '', note };
    default:
      throw new HttpError(
        400,
        `action: expected confirm, reject or correct, got ${JSON.stringify(form.get('action'))}`,
      );
  }
}

/**
 * Where a review returns: `next` (the Trip page sends its own path), else /review. Only a path on this console:
 * a form posted from elsewhere must not turn the console into a redirector to another site.
 */
function reviewReturn(form: URLSearchParams): URL {
  const next = form.get('next') || '/review';
  if (!isLocalPath(next))
    throw new HttpError(400, `next: ${JSON.stringify(next.slice(0, 100))} is not a path on this console`);
  return new URL(next, 'http://console.invalid');
}

const withFlash = (to: URL, fields: Record<string, string>): string => {
  for (const [k, v] of Object.entries(fields)) to.searchParams.set(k, v);
  return `${to.pathname}${to.search}`;
};

/** POST /review: reviewers and admins; the reviewer recorded is the signed-in user. */
export async function review(s: ConsoleState, r: RequestInfo): Promise<void> {
  if (!r.session || !mayOpen(r.session.role, 'reviewer'))
    throw new HttpError(403, 'reviewing needs the reviewer or admin role');
  const form = await readForm(r.req);
  checkCsrf(s, r, form);
  const back = reviewReturn(form);
  const legId = form.get('leg') ?? '';
  try {
    const { after } = await reviewLeg(s.db, { legId, reviewer: r.session.user, at: s.now() }, reviewActionOf(form));
    s.log.info({ user: r.session.user, leg: legId, state: after.state }, 'leg reviewed in the console');
    redirect(r.res, withFlash(back, { done: legId, state: after.state }));
  } catch (e) {
    if ((e as Error).name !== 'ReviewError') throw e;
    redirect(r.res, withFlash(back, { error: (e as Error).message }));
  }
}

/** Evidence ids are leg, trip and event ids: letters, digits and `:._~+-`, never a path. */
const EVIDENCE_ID = /^[A-Za-z0-9~][A-Za-z0-9:._~+-]{0,255}$/;

/** GET /evidence/:id → the signed bundle as a .zip; signed-in users only (it names what public mode hides). */
export async function evidence(s: ConsoleState, r: RequestInfo, id: string): Promise<void> {
  if (!r.role || !mayOpen(r.role, 'viewer')) throw new HttpError(403, 'evidence bundles need a signed-in user');
  if (!EVIDENCE_ID.test(id) || id.includes('..'))
    throw new HttpError(400, 'not an evidence id (a leg, trip or event id from this console)');
  let input;
  try {
    input = await loadEvidence(s.db, id, watchEntriesFrom({ watch: [...s.deps.watch()] }));
  } catch (e) {
    if ((e as Error).name === 'EvidenceNotFoundError') throw new HttpError(404, (e as Error).message);
    throw e;
  }
  const zip = zipBundle(buildSignedBundle(input, s.deps.evidenceKey(), s.now()), s.now());
  const file = `evidence-${id.replace(/[^A-Za-z0-9._-]/g, '_')}.zip`;
  r.res.writeHead(200, {
    'Content-Type': 'application/zip',
    'Content-Length': String(zip.length),
    'Content-Disposition': `attachment; filename="${file}"`,
    'Cache-Control': 'no-store',
  });
  r.res.end(Buffer.from(zip));
}

export const errorBody = (message: string): string =>
  html`<p class="flash error" role="alert">${message}</p>`.toString();
