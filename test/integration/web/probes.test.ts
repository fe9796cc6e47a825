/**
 * The console's /livez and /readyz, as a container HEALTHCHECK or a load balancer calls them: no session, no
 * cookie handed out, JSON in the worker's shape. /readyz asks the archive: ready over a seeded SQLite archive,
 * not ready (with the kind of problem only) once that archive is closed, and not ready within its time limit
 * when a PostgreSQL server accepts the connection but never answers.
 */
import net from 'node:net';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { RecordDatabase } from '../../../src/archive/record-schema';
import type { ConsoleServer } from '../../../src/web/server';
import { seedArchive, startTestConsole, type SeededArchive } from '../../helpers/console';

let seeded: SeededArchive | undefined;
let server: ConsoleServer | undefined;
afterEach(async () => {
  await server?.close();
  await seeded?.close();
  server = seeded = undefined;
});

async function probe(path: string, method = 'GET'): Promise<{ status: number; body: unknown; res: Response }> {
  const res = await fetch(server!.url + path, { method, redirect: 'manual' });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, res };
}

it('answers both probes without a session and hands out no cookie', async () => {
  seeded = await seedArchive();
  server = await startTestConsole(seeded);
  const live = await probe('/livez');
  expect(live.status).toBe(200);
  expect(live.body).toMatchObject({ status: 'ok' });
  const ready = await probe('/readyz');
  expect([ready.status, ready.body]).toEqual([200, { ready: true, checks: { archive: { ok: true } } }]);
  for (const r of [live, ready]) {
    expect(r.res.headers.get('content-type')).toBe('application/json');
    expect(r.res.headers.get('cache-control')).toBe('no-store');
    expect(r.res.headers.getSetCookie()).toEqual([]);
  }
  expect((await probe('/readyz', 'HEAD')).status).toBe(200);
  // Pages still need a session: the probes open nothing else.
  expect((await probe('/health')).status).toBe(303);
});

it('says not ready, naming only the kind of problem, when the archive cannot answer', async () => {
  seeded = await seedArchive();
  server = await startTestConsole(seeded);
  await seeded.archive.close();
  const ready = await probe('/readyz');
  expect(ready.status).toBe(503);
  expect(ready.body).toEqual({ ready: false, checks: { archive: { ok: false, problem: 'other' } } });
  expect((await probe('/livez')).status).toBe(200);
});

it('says not ready within a second when the database never answers', async () => {
  // A "PostgreSQL server" that takes the connection and then says nothing.
  const sockets: net.Socket[] = [];
  const silent = net.createServer((s) => void sockets.push(s));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const port = (silent.address() as net.AddressInfo).port;
  const pool = new pg.Pool({ connectionString: `postgres://fw:s3cret-pw@127.0.0.1:${port}/fw` });
  pool.on('error', () => undefined);
  const db = new Kysely<RecordDatabase>({ dialect: new PostgresDialect({ pool }) });
  try {
    seeded = await seedArchive();
    server = await startTestConsole({ ...seeded, db });
    const t0 = Date.now();
    const ready = await probe('/readyz');
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({
      ready: false,
      checks: { archive: { ok: false, problem: 'no answer within 1000 ms' } },
    });
    expect(JSON.stringify(ready.body)).not.toContain('s3cret');
  } finally {
    for (const s of sockets) s.destroy();
    silent.close();
    await db.destroy().catch(() => undefined);
  }
});
