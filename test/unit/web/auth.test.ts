import { hashPassword, parseHash, PasswordHashError, verifyPassword } from '../../../src/web/auth/password';
import { FailureLimiter } from '../../../src/web/auth/rate-limit';
import { SessionStore } from '../../../src/web/auth/sessions';
import { parseCookies, setCookie } from '../../../src/web/auth/cookies';

describe('password hashes', () => {
  it('verifies the password it was made from and no other; each hash has its own salt', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', parseHash(a, 'X'))).toBe(true);
    expect(await verifyPassword('correct horse batterY', parseHash(a, 'X'))).toBe(false);
  });
  it('refuses short passwords and names the variable of a malformed hash', async () => {
    await expect(hashPassword('short')).rejects.toThrow(PasswordHashError);
    expect(() => parseHash('hunter2', 'CONSOLE_PW_ANA')).toThrow(/CONSOLE_PW_ANA is not a password hash/);
    expect(() => parseHash('scrypt$1000$8$1$AAAA$AAAA', 'V')).toThrow(/V is not/); // N not a power of two
  });
});

describe('sessions', () => {
  it('signs cookies, refuses tampered ones, and ends sessions on the server at expiry', () => {
    let now = 1_000_000;
    const store = new SessionStore('a-secret-of-at-least-32-characters!!', 60_000, () => now);
    const s = store.create('ana', 'reviewer');
    const cookie = store.sign(s.id);
    expect(store.get(cookie)?.user).toBe('ana');
    expect(store.get(`${s.id}.AAAA`)).toBeUndefined();
    expect(store.get(`x${cookie}`)).toBeUndefined();
    expect(new SessionStore('another-secret-of-32-characters!!!!', 60_000).get(cookie)).toBeUndefined();
    now += 60_000;
    expect(store.get(cookie)).toBeUndefined();
  });
  it('binds CSRF tokens to one session', () => {
    const store = new SessionStore('a-secret-of-at-least-32-characters!!', 60_000);
    const a = store.create('ana', 'viewer');
    const b = store.create('ben', 'viewer');
    expect(store.checkCsrf(a.id, store.csrfToken(a.id))).toBe(true);
    expect(store.checkCsrf(a.id, store.csrfToken(b.id))).toBe(false);
    expect(store.checkCsrf(a.id, undefined)).toBe(false);
    expect(store.checkCsrf(a.id, '')).toBe(false);
  });
  it('ends every session of a user', () => {
    const store = new SessionStore('a-secret-of-at-least-32-characters!!', 60_000);
    const c = store.sign(store.create('ana', 'viewer').id);
    store.destroyUser('ana');
    expect(store.get(c)).toBeUndefined();
  });
});

describe('FailureLimiter', () => {
  it('refuses past the limit until the oldest failure leaves the window; reset forgives', () => {
    const l = new FailureLimiter(2, 1000);
    l.fail('k', 0);
    expect(l.retryAfterMs('k', 10)).toBe(0);
    l.fail('k', 100);
    expect(l.retryAfterMs('k', 200)).toBe(800);
    expect(l.retryAfterMs('other', 200)).toBe(0);
    expect(l.retryAfterMs('k', 1000)).toBe(0);
    l.fail('k', 1000);
    expect(l.retryAfterMs('k', 1001)).toBe(99);
    l.reset('k');
    expect(l.retryAfterMs('k', 1001)).toBe(0);
  });
});

describe('cookies', () => {
  it('parses a Cookie header, first value wins, malformed values dropped', () => {
    const c = parseCookies('a=1; b=x%20y; a=2; bad=%E0%A4%A; =nope');
    expect([...c]).toEqual([
      ['a', '1'],
      ['b', 'x y'],
    ]);
  });
  it('always sets HttpOnly and SameSite=Strict; Secure only when asked', () => {
    expect(setCookie('s', 'v', { secure: false })).toBe('s=v; Path=/; HttpOnly; SameSite=Strict');
    expect(setCookie('s', 'v', { secure: true, maxAgeS: 60 })).toBe(
      's=v; Path=/; HttpOnly; SameSite=Strict; Secure; Max-Age=60',
    );
  });
});
