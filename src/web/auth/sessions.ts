/**
 * Sessions: a random id in a signed cookie (`id.hmac`), the session itself (user, role, expiry) on the
 * server, so expiry and logout hold whatever a client keeps. CSRF tokens are bound to the session id (or,
 * before sign-in, to a signed pre-session cookie): HMAC(secret, "csrf:" + id), checked on every POST.
 * In memory: a restart signs everyone out, which is the safe direction.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role } from '../page';

export interface Session {
  id: string;
  user: string;
  role: Exclude<Role, 'public'>;
  expiresAt: number;
}

const safeEqual = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly secret: string,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  private mac(purpose: string, id: string): string {
    return createHmac('sha256', this.secret).update(`${purpose}:${id}`).digest('base64url');
  }

  /** A new random id with its signature: the cookie value. */
  sign(id: string): string {
    return `${id}.${this.mac('cookie', id)}`;
  }

  /** The id of a signed cookie value; undefined when the signature does not match. */
  unsign(value: string | undefined): string | undefined {
    if (!value) return undefined;
    const dot = value.lastIndexOf('.');
    if (dot < 1) return undefined;
    const id = value.slice(0, dot);
    return safeEqual(value.slice(dot + 1), this.mac('cookie', id)) ? id : undefined;
  }

  static newId(): string {
    return randomBytes(24).toString('base64url');
  }

  create(user: string, role: Session['role']): Session {
    this.sweep();
    const s = { id: SessionStore.newId(), user, role, expiresAt: this.now() + this.ttlMs };
    this.sessions.set(s.id, s);
    return s;
  }

  /** The live session of a signed cookie value, else undefined (unknown, forged or expired). */
  get(cookie: string | undefined): Session | undefined {
    const id = this.unsign(cookie);
    const s = id ? this.sessions.get(id) : undefined;
    if (!s) return undefined;
    if (s.expiresAt <= this.now()) {
      this.sessions.delete(s.id);
      return undefined;
    }
    return s;
  }

  destroy(id: string): void {
    this.sessions.delete(id);
  }

  /** Ends every session of a user (role changed or removed on reload). */
  destroyUser(user: string): void {
    for (const s of this.sessions.values()) if (s.user === user) this.sessions.delete(s.id);
  }

  csrfToken(id: string): string {
    return this.mac('csrf', id);
  }

  checkCsrf(id: string, token: unknown): boolean {
    return typeof token === 'string' && safeEqual(token, this.csrfToken(id));
  }

  remainingMs(s: Session): number {
    return s.expiresAt - this.now();
  }

  private sweep(): void {
    const now = this.now();
    for (const s of this.sessions.values()) if (s.expiresAt <= now) this.sessions.delete(s.id);
  }
}
