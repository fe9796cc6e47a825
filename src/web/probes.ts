/**
 * /livez and /readyz of the console. `flightwatch web` runs without a worker (and without the worker's health
 * port), so a container HEALTHCHECK or a load balancer asks the console itself: is the process up, and can it
 * serve pages (the archive answers a query within a second). The answers are JSON in the worker's shape
 * ({ ready, checks }), given before any session handling: a probe has no cookie and is given none. A failed
 * check names the kind of problem only; the driver's text (which may quote a connection string) goes to the log.
 */
import type { ServerResponse } from 'node:http';
import { sql, type Kysely } from 'kysely';
import { problemOf } from '../archive/errors';
import { sendJson, timeout } from '../observability/http-server';
import type { Logger } from '../util/log';

export const PROBE_PATHS: ReadonlySet<string> = new Set(['/livez', '/readyz']);

const ARCHIVE_TIMEOUT_MS = 1000;

interface ArchiveCheck {
  ok: boolean;
  problem?: string;
}

async function archiveCheck<DB>(db: Kysely<DB>, log: Logger): Promise<ArchiveCheck> {
  // Never rejects: a failed query is a check that failed; only the time limit makes `timeout` reject.
  const answer = sql`select 1 as one`.execute(db).then(
    (): ArchiveCheck => ({ ok: true }),
    (e: unknown): ArchiveCheck => {
      const problem = problemOf(e);
      log.warn({ err: (e as Error)?.message ?? String(e), problem }, 'console readiness: the archive query failed');
      return { ok: false, problem };
    },
  );
  try {
    return await timeout(answer, ARCHIVE_TIMEOUT_MS, 'the archive');
  } catch {
    return { ok: false, problem: `no answer within ${ARCHIVE_TIMEOUT_MS} ms` };
  }
}

/** Answers GET/HEAD /livez or /readyz (PROBE_PATHS). */
export async function answerProbe<DB>(path: string, db: Kysely<DB>, res: ServerResponse, log: Logger): Promise<void> {
  if (path === '/livez') return sendJson(res, 200, { status: 'ok', uptimeS: Math.round(process.uptime()) });
  const archive = await archiveCheck(db, log);
  sendJson(res, archive.ok ? 200 : 503, { ready: archive.ok, checks: { archive } });
}
