/**
 * A PostgreSQL 15 server of the test's own (initdb + pg_ctl in a temp dir, a free loopback port), for tests
 * that stop or restart it: the shared one at 5432 is never touched. initdb refuses to run as root, so as
 * root (CI) the server runs as the `postgres` user, in a directory that user owns.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = process.env.TEST_POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PrivatePostgres {
  port: number;
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  adminUrl: string;
  urlOf(database: string): string;
  start(): void;
  stop(): void;
  restart(): void;
  remove(): void;
  log(): string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function pgUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'fw-pg-'));
  const data = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  const user = pgUser();
  if (user) chownSync(dir, user.uid, user.gid);
  const run = (cmd: string, args: string[]) =>
    execFileSync(user ? 'runuser' : join(BIN, cmd), user ? ['-u', 'postgres', '--', join(BIN, cmd), ...args] : args, {
      stdio: 'pipe',
      timeout: 60_000,
    });
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const port = await freePort();
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  const pg: PrivatePostgres = {
    port,
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    urlOf: (db) => `postgres://postgres@127.0.0.1:${port}/${db}`,
    start: () => void run('pg_ctl', ['-D', data, '-o', opts, '-l', logFile, '-w', 'start']),
    stop: () => void run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']),
    restart: () => void run('pg_ctl', ['-D', data, '-o', opts, '-l', logFile, '-m', 'fast', '-w', 'restart']),
    remove: () => {
      try {
        pg.stop();
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
    log: () => {
      try {
        return readFileSync(logFile, 'utf8');
      } catch {
        return '';
      }
    },
  };
  pg.start();
  return pg;
}
