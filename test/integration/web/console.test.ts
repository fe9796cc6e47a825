/**
 * The console over HTTP with a seeded archive: sign-in, cookie flags, roles, CSRF, the sign-in rate limit,
 * review end to end with its audit log, public mode, hostile strings, evidence downloads and path traversal.
 */
import http from 'node:http';
import { unzipSync } from 'fflate';
import { reviewHistory } from '../../../src/archive/review/store';
import { verifyBundle } from '../../../src/archive/evidence/manifest';
import type { ConsoleServer } from '../../../src/web/server';
import {
  ConsoleClient,
  HEX,
  HOSTILE,
  HOSTILE_HEX,
  legId,
  seedArchive,
  startTestConsole,
  USERS,
  webConfig,
  type SeededArchive,
} from '../../helpers/console';

let seeded: SeededArchive;
let server: ConsoleServer;
const client = (headers: Record<string, string> = {}) => new ConsoleClient(server.url, headers);

async function signedIn(name: keyof typeof USERS, headers: Record<string, string> = {}): Promise<ConsoleClient> {
  const c = client(headers);
  const r = await c.login(name, USERS[name].password);
  expect(r.status).toBe(303);
  return c;
}

beforeAll(async () => {
  seeded = await seedArchive();
  // trustProxy: the tests vary the client address (X-Forwarded-For) and the scheme (X-Forwarded-Proto).
  server = await startTestConsole(seeded, { web: webConfig({ trustProxy: true }) });
});
afterAll(async () => {
  await server?.close();
  await seeded?.close();
});

describe('signing in', () => {
  it('sends a stranger to the sign-in page, then back where they were going', async () => {
    const c = client({ 'x-forwarded-for': '10.0.0.1' });
    const r = await c.get('/watchlist');
    expect(r.status).toBe(303);
    expect(r.location).toBe('/login?next=%2Fwatchlist');
    const form = await c.get(r.location!);
    expect(form.status).toBe(200);
    expect(form.text).toContain('name="next" value="/watchlist"');
    const ok = await c.post('/login', { user: 'vera', password: USERS.vera.password, next: '/watchlist' });
    expect(ok.status).toBe(303);
    expect(ok.location).toBe('/watchlist');
    expect((await c.get('/watchlist')).status).toBe(200);
  });

  it('never redirects off the console after sign-in', async () => {
    const c = client({ 'x-forwarded-for': '10.0.0.2' });
    await c.get('/login');
    const r = await c.post('/login', { user: 'vera', password: USERS.vera.password, next: '//evil.example/x' });
    expect(r.status).toBe(303);
    expect(r.location).toBe('/'); // the first page of the navigation (Now)
  });

  it('sets the session cookie HttpOnly, SameSite=Strict, and Secure only over https', async () => {
    const plain = client({ 'x-forwarded-for': '10.0.0.3' });
    const r = await plain.login('vera', USERS.vera.password);
    const cookie = r.headers.getSetCookie().find((l) => l.startsWith('fw_session='))!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).not.toMatch(/Secure/);

    const tls = client({ 'x-forwarded-for': '10.0.0.4', 'x-forwarded-proto': 'https' });
    const s = await tls.login('vera', USERS.vera.password);
    const secure = s.headers.getSetCookie().find((l) => l.startsWith('fw_session='))!;
    expect(secure).toMatch(/; Secure/);
    expect(secure).toMatch(/; HttpOnly/);
    expect(s.headers.get('strict-transport-security')).toMatch(/max-age=/);
  });

  it('refuses a wrong password, and a forged or tampered session cookie', async () => {
    const c = client({ 'x-forwarded-for': '10.0.0.5' });
    const r = await c.login('vera', 'not-her-password');
    expect(r.status).toBe(401);
    expect(r.text).toContain('Wrong name or password.');
    expect(c.cookies.has('fw_session')).toBe(false);

    const good = await signedIn('vera', { 'x-forwarded-for': '10.0.0.6' });
    const value = good.cookies.get('fw_session')!;
    const forged = client({ cookie: `fw_session=${value.slice(0, -2)}xx` });
    expect((await forged.get('/watchlist')).status).toBe(303);
  });

  it('ends the session on sign-out, on the server', async () => {
    const c = await signedIn('vera', { 'x-forwarded-for': '10.0.0.7' });
    const page = await c.get('/watchlist');
    expect(page.text).toContain('Signed in as <strong>vera</strong>');
    const stolen = c.cookies.get('fw_session')!;
    const out = await c.post('/logout', {});
    expect(out.status).toBe(303);
    // The old cookie, replayed, opens nothing: the session is gone server-side.
    const replay = client({ cookie: `fw_session=${encodeURIComponent(stolen)}` });
    expect((await replay.get('/watchlist')).status).toBe(303);
  });
});

describe('sign-in rate limit', () => {
  // A console of its own: the users it locks out stay usable for the other tests.
  let limited: ConsoleServer;
  const client = (headers: Record<string, string> = {}) => new ConsoleClient(limited.url, headers);
  beforeAll(async () => {
    limited = await startTestConsole(seeded, {
      web: webConfig({ trustProxy: true, loginLimit: { perUser: 3, perIp: 5, window: '10m' } }),
    });
  });
  afterAll(() => limited.close());

  it('refuses a user after too many failures, even with the right password, with Retry-After', async () => {
    for (let i = 0; i < 3; i++) {
      const c = client({ 'x-forwarded-for': `10.1.0.${i}` });
      expect((await c.login('adam', `wrong-${i}`)).status).toBe(401);
    }
    const c = client({ 'x-forwarded-for': '10.1.0.99' });
    const r = await c.login('adam', USERS.adam.password);
    expect(r.status).toBe(429);
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(r.text).toContain('Too many failed sign-ins');
    expect(c.cookies.has('fw_session')).toBe(false);
  });

  it('refuses an address after too many failures across user names', async () => {
    const ip = { 'x-forwarded-for': '10.2.0.1' };
    for (let i = 0; i < 5; i++) expect((await client(ip).login(`guess-${i}`, 'password1')).status).toBe(401);
    const r = await client(ip).login('rita', USERS.rita.password);
    expect(r.status).toBe(429);
    // Another address is not affected.
    expect((await client({ 'x-forwarded-for': '10.2.0.2' }).login('rita', USERS.rita.password)).status).toBe(303);
  });
});

describe('security headers', () => {
  it('sends a strict CSP, X-Frame-Options and nosniff on pages, errors and assets', async () => {
    const c = await signedIn('vera', { 'x-forwarded-for': '10.3.0.1' });
    const page = await c.get('/watchlist');
    const css = /href="(\/assets\/console\.css[^"]*)"/.exec(page.text)![1];
    for (const r of [page, await c.get('/no-such-page'), await client().get('/login'), await c.get(css)]) {
      expect(r.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(r.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(r.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(r.headers.get('x-frame-options')).toBe('DENY');
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    }
    // Every asset the page loads comes from this server (links to sources may point elsewhere).
    expect(page.text).toMatch(/<link rel="stylesheet" href="\/assets\//);
    expect(page.text).not.toMatch(/<(link|script|img|iframe|source)\b[^>]*\b(src|href)="(https?:)?\/\//);
  });
});

describe('roles', () => {
  it('lets a viewer read but not open or post a review', async () => {
    const c = await signedIn('vera', { 'x-forwarded-for': '10.4.0.1' });
    expect((await c.get('/watchlist')).status).toBe(200);
    const review = await c.get('/review');
    expect(review.status).toBe(403);
    expect(review.text).toContain('needs the reviewer role');
    const leg = legId('trip-1', 1);
    const post = await c.post('/review', { leg, action: 'confirm', note: '' });
    expect(post.status).toBe(403);
    expect(await seeded.db.selectFrom('leg_reviews').selectAll().where('leg_id', '=', leg).execute()).toEqual([]);
  });

  it('lets an admin do what a reviewer does', async () => {
    const c = await signedIn('adam', { 'x-forwarded-for': '10.4.0.2' });
    expect((await c.get('/review')).status).toBe(200);
  });
});

describe('CSRF', () => {
  it('refuses a review POST without a token, or with the token of another session', async () => {
    const leg = legId('trip-3', 0);
    const rita = await signedIn('rita', { 'x-forwarded-for': '10.5.0.1' });
    await rita.get('/review');
    const missing = await rita.post('/review', { leg, action: 'confirm', csrf: null });
    expect(missing.status).toBe(403);
    expect(missing.text).toContain('did not come from this console');

    const other = await signedIn('adam', { 'x-forwarded-for': '10.5.0.2' });
    await other.get('/review');
    const foreign = await rita.post('/review', { leg, action: 'confirm', csrf: other.csrf });
    expect(foreign.status).toBe(403);
    expect(await seeded.db.selectFrom('leg_reviews').selectAll().where('leg_id', '=', leg).execute()).toEqual([]);
  });

  it('refuses a sign-in POST without the token of its form', async () => {
    const c = client({ 'x-forwarded-for': '10.5.0.3' });
    const r = await c.post('/login', { user: 'rita', password: USERS.rita.password, csrf: null });
    expect(r.status).toBe(403);
    expect(c.cookies.has('fw_session')).toBe(false);
  });

  it('refuses a sign-out POST without the token', async () => {
    const c = await signedIn('vera', { 'x-forwarded-for': '10.5.0.4' });
    expect((await c.post('/logout', { csrf: 'nope' })).status).toBe(403);
    expect((await c.get('/watchlist')).status).toBe(200);
  });
});

describe('review end to end', () => {
  it('confirms and corrects through the form; state, class and audit log follow', async () => {
    const c = await signedIn('rita', { 'x-forwarded-for': '10.6.0.1' });
    const page = await c.get('/review');
    const removal = legId('trip-1', 1);
    expect(page.text).toContain(`name="leg" value="${removal}"`);

    const ok = await c.post('/review', { leg: removal, action: 'confirm', note: '' });
    expect(ok.status).toBe(303);
    expect(ok.location).toContain('state=confirmed');
    const after = await c.get(ok.location!);
    expect(after.text).toContain('is now confirmed');
    expect(after.text).not.toContain(`name="leg" value="${removal}"`); // off the unreviewed list

    const shuffle = legId('trip-3', 0);
    await c.post('/review', { leg: shuffle, action: 'correct', category: 'removal', note: 'went on to GT' });
    const cls = await seeded.db.selectFrom('leg_classes').selectAll().where('leg_id', '=', shuffle).executeTakeFirst();
    expect(cls).toMatchObject({ review_state: 'corrected', counted_category: 'removal' });

    const log = await reviewHistory(seeded.db, removal);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ reviewer: 'rita' });
    expect(JSON.parse(log[0].after)).toMatchObject({ state: 'confirmed' });
    expect(JSON.parse((await reviewHistory(seeded.db, shuffle))[0].after)).toMatchObject({
      state: 'corrected',
      category: 'removal',
      note: 'went on to GT',
    });
  });

  it('says what is missing when a rejection has no note, and changes nothing', async () => {
    const c = await signedIn('rita', { 'x-forwarded-for': '10.6.0.2' });
    await c.get('/review');
    const leg = legId('trip-2', 0);
    const r = await c.post('/review', { leg, action: 'reject', note: '  ' });
    expect(r.status).toBe(303);
    const page = await c.get(r.location!);
    expect(page.text).toContain('reject needs a note saying why');
    expect(await reviewHistory(seeded.db, leg)).toEqual([]);
  });

  it('returns a review posted from a Trip page to that trip, saying what was saved', async () => {
    const c = await signedIn('rita', { 'x-forwarded-for': '10.6.0.3' });
    const trip = await c.get('/trips/trip-1');
    const leg = legId('trip-1', 2);
    expect(trip.text).toContain('name="next" value="/trips/trip-1"');
    const r = await c.post('/review', { leg, action: 'confirm', note: '', next: '/trips/trip-1' });
    expect(r.status).toBe(303);
    expect(r.location).toBe(`/trips/trip-1?done=${encodeURIComponent(leg)}&state=confirmed`);
    const back = await c.get(r.location!);
    expect(back.text).toContain(`Saved: ${leg} is now confirmed.`);
    const bad = await c.post('/review', { leg, action: 'reject', note: ' ', next: '/trips/trip-1' });
    expect(bad.location).toMatch(/^\/trips\/trip-1\?error=/);
  });

  it('refuses a next that leaves the console, recording nothing', async () => {
    const c = await signedIn('rita', { 'x-forwarded-for': '10.6.0.4' });
    await c.get('/review');
    const leg = legId('trip-2', 0);
    for (const next of [
      'https://evil.example/',
      '//evil.example/x',
      '/\\evil.example',
      '/\t/evil.example',
      'trips/x',
    ]) {
      const r = await c.post('/review', { leg, action: 'confirm', note: '', next });
      expect(r.status).toBe(400);
      expect(r.location).toBeNull();
      expect(r.text).toContain('is not a path on this console');
    }
    expect(await reviewHistory(seeded.db, leg)).toEqual([]);
  });
});

describe('hostile strings from the API', () => {
  it('renders registration, operator and callsign as inert text on every page that shows them', async () => {
    const c = await signedIn('adam', { 'x-forwarded-for': '10.7.0.1' });
    for (const path of [`/aircraft/${HOSTILE_HEX}`, '/review']) {
      const r = await c.get(path);
      expect(r.status).toBe(200);
      for (const s of Object.values(HOSTILE)) expect(r.text).not.toContain(s);
      expect(r.text).not.toMatch(/<script>alert|<img src=x|<svg onload/);
    }
    const page = await c.get(`/aircraft/${HOSTILE_HEX}`);
    expect(page.text).toContain('&lt;script&gt;alert(&quot;reg&quot;)&lt;/script&gt;');
    expect(page.text).toContain('&quot;&gt;&lt;img src=x onerror=alert(&#39;op&#39;)&gt;');
  });

  it('does not reflect a hostile path or query as markup', async () => {
    const c = await signedIn('vera', { 'x-forwarded-for': '10.7.0.2' });
    const r = await c.get('/aircraft/%3Cscript%3Ealert(1)%3C%2Fscript%3E');
    expect(r.status).toBe(404);
    expect(r.text).not.toContain('<script>alert(1)');
    const q = await c.get('/review?error=%3Cscript%3Ex%3C/script%3E');
    expect(q.text).not.toContain('<script>x');
  });
});

describe('public read-only mode', () => {
  let pub: ConsoleServer;
  beforeAll(async () => {
    pub = await startTestConsole(seeded, {
      web: webConfig({ publicMode: { enabled: true, hideFields: ['registration', 'operator', 'callsign', 'watch'] } }),
    });
  });
  afterAll(() => pub.close());

  it('shows pages without sign-in, with the configured fields hidden', async () => {
    const c = new ConsoleClient(pub.url);
    const r = await c.get(`/aircraft/${HEX}`);
    expect(r.status).toBe(200);
    expect(r.text).not.toContain('N123XX');
    expect(r.text).not.toContain('GlobalX');
    expect(r.text).toContain('hidden');
    expect(r.text).toContain('Public view');
    const w = await c.get('/watchlist');
    expect(w.status).toBe(200);
    expect(w.text).not.toContain('operators GlobalX');
    // Signed in, the same page shows them.
    const v = new ConsoleClient(pub.url);
    await v.login('vera', USERS.vera.password);
    expect((await v.get(`/aircraft/${HEX}`)).text).toContain('N123XX');
  });

  it('refuses review, evidence and health to the public', async () => {
    const c = new ConsoleClient(pub.url);
    expect((await c.get('/review')).status).toBe(403);
    expect((await c.get('/health')).status).toBe(403);
    expect((await c.get(`/evidence/${encodeURIComponent(legId('trip-1', 1))}`)).status).toBe(403);
    await c.get('/login');
    const post = await c.post('/review', { leg: legId('trip-2', 0), action: 'confirm' });
    expect(post.status).toBe(403);
    expect(await reviewHistory(seeded.db, legId('trip-2', 0))).toEqual([]);
  });
});

describe('identity links on the Aircraft page', () => {
  const link = (hex: string, previous: string, reason: string, matched: string) => ({
    hex,
    previous_hex: previous,
    reason,
    matched,
    gap_seconds: 250,
    distance_nm: 3.24,
    alt_diff_ft: null,
    linked_at: '2026-01-15T10:00:00.000Z',
    event_id: `${hex}:seen:20260115T1000`,
    archived_at: '2026-01-15T10:00:05.000Z',
  });
  beforeAll(async () => {
    await seeded.db
      .insertInto('identity_links')
      .values([link(HEX, 'a0a0a0', 'same-registration', 'N123XX'), link('b0b0b0', HEX, 'same-callsign', '<b>GXA1</b>')])
      .execute();
  });

  it('shows the address this airframe continues and the one that continues it, with the evidence', async () => {
    const c = await signedIn('vera');
    const r = await c.get(`/aircraft/${HEX}`);
    expect(r.status).toBe(200);
    const section = r.text.slice(r.text.indexOf('<h2>Other addresses</h2>'), r.text.indexOf('<h2>Watch entries</h2>'));
    expect(section).toContain('href="/aircraft/a0a0a0"');
    expect(section).toContain('this address continues it');
    expect(section).toMatch(/same registration N123XX · unheard 4 min ·\s+3\.2 nm apart/);
    expect(section).toContain('href="/aircraft/b0b0b0"');
    expect(section).toContain('continues this address');
    expect(section).toContain('same callsign &lt;b&gt;GXA1&lt;/b&gt; · unheard 4 min');
  });

  it('hides the matched registration or callsign in the public view with that field', async () => {
    const pub = await startTestConsole(seeded, {
      web: webConfig({ publicMode: { enabled: true, hideFields: ['registration', 'callsign'] } }),
    });
    try {
      const r = await new ConsoleClient(pub.url).get(`/aircraft/${HEX}`);
      expect(r.status).toBe(200);
      expect(r.text).toContain('href="/aircraft/a0a0a0"');
      expect(r.text).not.toContain('N123XX');
      expect(r.text).not.toContain('GXA1');
    } finally {
      await pub.close();
    }
  });
});

describe('evidence download', () => {
  it('serves the signed bundle of a leg as a zip that verifies', async () => {
    const c = await signedIn('vera', { 'x-forwarded-for': '10.8.0.1' });
    const leg = legId('trip-1', 1);
    const r = await c.bytes(`/evidence/${encodeURIComponent(leg)}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/zip');
    expect(r.headers.get('content-disposition')).toBe('attachment; filename="evidence-leg_trip-1-takeoff-1.zip"');
    const files = new Map(Object.entries(unzipSync(r.body)).map(([k, v]) => [k, Buffer.from(v)]));
    expect(verifyBundle(files).ok).toBe(true);
    expect(JSON.parse(files.get('record.json')!.toString()).subject).toMatchObject({ id: leg });
  });

  it('answers 404 for an id the archive does not hold', async () => {
    const c = await signedIn('vera', { 'x-forwarded-for': '10.8.0.2' });
    expect((await c.bytes('/evidence/leg:nope')).status).toBe(404);
  });

  it('refuses path traversal in every spelling, never serving a file', async () => {
    const c = await signedIn('vera', { 'x-forwarded-for': '10.8.0.3' });
    const cookie = [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const raw = (path: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        // node:http sends the path as written (fetch would normalise the dots away first).
        // A URL string is normalised by node too ("/evidence/.." → "/"): host, port and path are given apart.
        const { hostname, port } = new URL(server.url);
        const req = http.request({ hostname, port, path, headers: { cookie } }, (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
      });
    for (const path of [
      '/evidence/..%2F..%2F..%2Fetc%2Fpasswd',
      '/evidence/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/evidence/..',
      '/evidence/....//....//etc/passwd',
      '/evidence/../../../etc/passwd',
      '/evidence/%2Fetc%2Fpasswd',
      '/evidence/..%5C..%5Cwindows%5Cwin.ini',
      '/evidence/%E0%A4%A',
    ]) {
      const r = await raw(path);
      expect([400, 404]).toContain(r.status);
      expect(r.body).not.toContain('root:');
    }
  });
});

describe('pages', () => {
  it('Watchlist: provenance, 30-day matches and the entries that never matched', async () => {
    const c = await signedIn('vera', { 'x-forwarded-for': '10.9.0.1' });
    const r = await c.get('/watchlist');
    expect(r.text).toContain('ICE Air charter operator');
    expect(r.text).toContain('https://example.org/ice-air-contract');
    const never = r.text.slice(r.text.indexOf('Never matched'));
    expect(never).toContain('never-seen');
    expect(never).not.toContain('<code>ice-air</code>');
  });

  it('Aircraft: legs, trips and watch entries of one airframe; 404 for an unknown one', async () => {
    const c = await signedIn('vera', { 'x-forwarded-for': '10.9.0.2' });
    const r = await c.get(`/aircraft/${HEX}`);
    expect(r.text).toContain('Aircraft N123XX');
    expect(r.text).toContain('Legs (5)');
    expect(r.text).toContain('href="/trips/trip-1"');
    expect(r.text).toContain('ICE Air charter operator');
    expect((await c.get('/aircraft/ffffff')).status).toBe(404);
    const lookup = await c.get(`/aircraft?hex=${HEX.toUpperCase()}`);
    expect(lookup.location).toBe(`/aircraft/${HEX}`);
  });

  it('Health without a worker says what is unknown and shows what the archive knows', async () => {
    const c = await signedIn('vera', { 'x-forwarded-for': '10.9.0.3' });
    const r = await c.get('/health');
    expect(r.status).toBe(200);
    expect(r.text).toContain('Unknown:');
    expect(r.text).toContain('no worker runs beside this console');
    expect(r.text).toMatch(/Legs<\/dt>\s*<dd>6<\/dd>/);
  });
});
