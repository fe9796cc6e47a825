/**
 * The console over a real seeded archive (SQLite temp file): the record fixture's three trips of one airframe
 * plus a fourth airframe whose registration, operator and callsign carry HTML and script, as a hostile API
 * reply could; three users (viewer, reviewer, admin) with real scrypt hashes; and an HTTP client with a
 * cookie jar that reads CSRF tokens from the forms it is served.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { openArchive, type Archive } from '../../src/archive';
import { classifyStaleLegs } from '../../src/archive/classify/store';
import { recordDb, type RecordDatabase } from '../../src/archive/record-schema';
import { writeEvents } from '../../src/archive/write-events';
import { loadOrCreateSigningKey } from '../../src/archive/evidence/keys';
import { classifySchema } from '../../src/config/classify-schema';
import { watchEntrySchema } from '../../src/config/schema';
import { webSchema, type WebConfig } from '../../src/config/web-schema';
import type { FlightEvent } from '../../src/domain/event';
import { hashPassword } from '../../src/web/auth/password';
import { startConsole, type ConsoleServer } from '../../src/web/server';
import type { ConsoleDeps } from '../../src/web/deps';
import { loadAirportNamer } from '../../src/reports';
import type { SharedHealth, WorkerHealth } from '../../src/web/health-model';
import { silentLogger } from '../../src/util/log';
import { fixtureEvents, HEX, legId, writeFixture } from '../integration/archive/record-fixture';

export { HEX, legId };
export const HOSTILE_HEX = 'abc123';
export const HOSTILE = {
  registration: '<script>alert("reg")</script>',
  operator: `"><img src=x onerror=alert('op')>`,
  callsign: `X'"><svg onload=alert(1)>`,
};

export const USERS = {
  vera: { role: 'viewer', password: 'viewer-password-1' },
  rita: { role: 'reviewer', password: 'reviewer-password-1' },
  adam: { role: 'admin', password: 'admin-password-1' },
} as const;

export const WATCH = [
  watchEntrySchema.parse({
    id: 'ice-air',
    match: { operators: ['GlobalX'] },
    note: 'ICE Air charter operator',
    source: 'https://example.org/ice-air-contract',
    added: '2026-01-15',
    tags: ['removal'],
  }),
  watchEntrySchema.parse({ id: 'never-seen', match: { hex: ['ffffff'] }, note: 'retired airframe', tags: [] }),
];

/** Trip 2 again, for the hostile airframe: new ids, new trip id, strings as a hostile reply would carry. */
function hostileEvents(): FlightEvent[] {
  return fixtureEvents()
    .filter((e) => e.id.startsWith('trip-2'))
    .map((e) => {
      const moved = JSON.parse(
        JSON.stringify(e).replaceAll('trip-2', 'trip-9').replaceAll(HEX, HOSTILE_HEX),
      ) as FlightEvent;
      return { ...moved, aircraft: { ...moved.aircraft, ...HOSTILE, hex: HOSTILE_HEX } };
    });
}

export interface SeededArchive {
  archive: Archive;
  db: Kysely<RecordDatabase>;
  dataDir: string;
  close(): Promise<void>;
}

export async function seedArchive(): Promise<SeededArchive> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fw-console-'));
  const archive = await openArchive({ file: join(dataDir, 'archive.sqlite') });
  await writeFixture(archive.db);
  await writeEvents(
    archive.db,
    hostileEvents().map((event) => ({ event })),
  );
  const db = recordDb(archive.db);
  await classifyStaleLegs(db, classifySchema.parse(undefined));
  return {
    archive,
    db,
    dataDir,
    async close() {
      await archive.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let hashes: Promise<NodeJS.ProcessEnv> | undefined;
/** The env the console reads: each user's hash and the session secret (hashed once per test file). */
export function consoleEnv(): Promise<NodeJS.ProcessEnv> {
  hashes ??= (async () => {
    const env: NodeJS.ProcessEnv = { CONSOLE_SESSION_SECRET: 'test-session-secret-0123456789-abcdefghij' };
    for (const [name, u] of Object.entries(USERS)) env[`PW_${name.toUpperCase()}`] = await hashPassword(u.password);
    return env;
  })();
  return hashes;
}

export function webConfig(over: Record<string, unknown> = {}): WebConfig {
  return webSchema.parse({
    users: Object.entries(USERS).map(([name, u]) => ({
      name,
      role: u.role,
      passwordHashEnv: `PW_${name.toUpperCase()}`,
    })),
    sessionSecretEnv: 'CONSOLE_SESSION_SECRET',
    ...over,
  });
}

export async function startTestConsole(
  seeded: SeededArchive,
  o: {
    web?: WebConfig;
    health?: () => Promise<WorkerHealth>;
    shared?: () => Promise<SharedHealth>;
    now?: () => Date;
  } = {},
): Promise<ConsoleServer> {
  return startConsole({
    web: o.web ?? webConfig(),
    db: seeded.db,
    env: await consoleEnv(),
    log: silentLogger,
    port: 0,
    ...(o.now ? { now: o.now } : {}),
    deps: consoleDeps(seeded, {
      ...(o.health ? { health: o.health } : {}),
      ...(o.shared ? { shared: o.shared } : {}),
    }),
  });
}

/** The console's deps over the seeded archive: the test watchlist, a key in its data dir, no airport table. */
export function consoleDeps(seeded: Pick<SeededArchive, 'dataDir'>, over: Partial<ConsoleDeps> = {}): ConsoleDeps {
  return {
    watch: () => WATCH,
    evidenceKey: () => loadOrCreateSigningKey(seeded.dataDir, {}),
    airports: () => loadAirportNamer(seeded.dataDir),
    ...over,
  };
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  location: string | null;
}

/** An HTTP client that keeps cookies (by name) and never follows redirects: tests look at each answer. */
export class ConsoleClient {
  readonly cookies = new Map<string, string>();
  /** The CSRF token of the last form served. */
  csrf = '';

  constructor(
    readonly base: string,
    readonly headers: Record<string, string> = {},
  ) {}

  private remember(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (/Max-Age=0/.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private async send(path: string, init: RequestInit = {}): Promise<Reply> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(this.base + path, {
      ...init,
      redirect: 'manual',
      headers: { ...this.headers, ...(cookie ? { cookie } : {}), ...(init.headers as Record<string, string>) },
    });
    this.remember(res);
    const isText = /text|json/.test(res.headers.get('content-type') ?? '');
    const text = isText ? await res.text() : '';
    if (!isText) await res.arrayBuffer();
    const token = /name="csrf" value="([^"]*)"/.exec(text);
    if (token) this.csrf = token[1]!;
    return { status: res.status, headers: res.headers, text, location: res.headers.get('location') };
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Reply> {
    return this.send(path, { headers });
  }

  async bytes(path: string): Promise<{ status: number; headers: Headers; body: Buffer }> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(this.base + path, { redirect: 'manual', headers: { ...this.headers, cookie } });
    return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
  }

  /** POSTs a form; `csrf` is the token last served unless the fields name their own (or null to leave it out). */
  post(path: string, fields: Record<string, string | null>, headers: Record<string, string> = {}): Promise<Reply> {
    const body = new URLSearchParams();
    const all = { csrf: this.csrf, ...fields };
    for (const [k, v] of Object.entries(all)) if (v !== null) body.set(k, v);
    return this.send(path, {
      method: 'POST',
      body: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    });
  }

  /** Opens the sign-in form (for its CSRF token), then signs in; returns the POST's answer. */
  async login(name: string, password: string): Promise<Reply> {
    await this.get('/login');
    return this.post('/login', { user: name, password });
  }
}
