/**
 * Health: the sources and their last valid reply, the last poll, blindness, queues, dead letters and archive
 * lag as the worker sees them — and what the archive itself says (newest detection archived, where each
 * archiver stream stands). Served by `flightwatch web` without a worker, the live part is what the workers
 * record in their Redis (blindness, queues, dead letters); what only a worker's process knows is said unknown.
 */
import type { ConsoleDeps } from '../deps';
import type { SharedHealth, WorkerHealth } from '../health-model';
import { html, type SafeHtml } from '../html';
import { age, count, timeEl, tableHead } from '../format';
import type { Page, PageContext } from '../page';

const WORKER_TIMEOUT_MS = 3000;
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

const state = (ok: boolean, yes: string, no: string) =>
  html`<span class="badge ${ok ? 'ok' : 'bad'}">${ok ? yes : no}</span>`;

/** `get()`'s answer, or why there is none (it failed or took longer than WORKER_TIMEOUT_MS). */
async function answer<T>(get: () => Promise<T>, who: string): Promise<T | string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      get(),
      new Promise<never>((_, fail) => {
        timer = setTimeout(
          () => fail(new Error(`${who} did not answer within ${WORKER_TIMEOUT_MS} ms`)),
          WORKER_TIMEOUT_MS,
        );
      }),
    ]);
  } catch (e) {
    return (e as Error).message;
  } finally {
    clearTimeout(timer);
  }
}

const dataFact = (lastDataAt: number, blindAfterMs: number, now: number) => {
  const silentMs = now - lastDataAt;
  return html`${state(silentMs <= blindAfterMs, 'receiving', 'blind')} newest valid data ${age(silentMs)} ago (blind
  after ${age(blindAfterMs)})`;
};

const deadLettersFact = (n: number | undefined) =>
  n === undefined
    ? 'unknown (Redis did not answer)'
    : html`${state(n === 0, '0', count(n))} ${n ? html`see <code>flightwatch dlq list</code>` : ''}`;

const queueTable = (queues: WorkerHealth['queues']) =>
  queues
    ? html`<table>
        <caption>
          Queues (every replica on this Redis)
        </caption>
        ${tableHead(['Queue', ...QUEUE_STATES.map((s) => ({ label: s, class: 'num' }))])}
        <tbody>
          ${Object.entries(queues).map(
            ([name, c]) =>
              html`<tr>
                <th scope="row">${name}</th>
                ${QUEUE_STATES.map((s) => html`<td class="num">${count(c[s] ?? 0)}</td>`)}
              </tr>`,
          )}
        </tbody>
      </table>`
    : html`<p class="bad">Queues: unknown (Redis did not answer in time).</p>`;

function live(h: WorkerHealth, now: number): SafeHtml {
  return html`<div class="grid2">
      <div class="card">
        <dl class="facts">
          <dt>Data</dt>
          <dd>${dataFact(h.lastDataAt, h.blindAfterMs, now)}</dd>
          <dt>Last poll</dt>
          <dd>${h.lastPollAt ? html`${timeEl(h.lastPollAt)} (${age(now - h.lastPollAt)} ago)` : 'none yet'}</dd>
          <dt>Worker up since</dt>
          <dd>${timeEl(h.startedAt)}</dd>
          <dt>Dead letters</dt>
          <dd>${deadLettersFact(h.deadLetters)}</dd>
          <dt>Archive</dt>
          <dd>
            ${
              !h.archive.enabled
                ? 'disabled in the config'
                : html`${state(!h.archive.problem, 'writing', 'not writing')} ${h.archive.problem ?? ''} lag
                  ${h.archive.lagMs === undefined ? 'unknown' : age(h.archive.lagMs)}`
            }
          </dd>
        </dl>
      </div>
      ${queueTable(h.queues)}
    </div>
    <h2>Sources</h2>
    <table>
      ${tableHead(['Source', 'State', 'Last valid reply', 'Why not healthy'])}
      <tbody>
        ${h.sources.map(
          (s) =>
            html`<tr>
              <th scope="row">${s.id}</th>
              <td>${state(s.healthy, 'healthy', 'failing')}</td>
              <td>${s.lastOkAt ? html`${timeEl(s.lastOkAt)} (${age(now - s.lastOkAt)} ago)` : 'none since start'}</td>
              <td>${s.reason ?? ''}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}

/** No worker in this process: what the workers recorded in their Redis. */
function shared(h: SharedHealth, now: number): SafeHtml {
  const data =
    h.lastDataAt !== undefined
      ? dataFact(h.lastDataAt, h.blindAfterMs, now)
      : h.queues
        ? 'unknown: no worker has recorded a valid reply on this Redis'
        : 'unknown (Redis did not answer)';
  return html`<p class="card">
      No worker runs in this process: read from the workers' Redis at <code>${h.redis}</code>. Sources, the last poll
      and archive lag are known only to a running worker (its <code>/readyz</code>).
    </p>
    <div class="grid2">
      <div class="card">
        <dl class="facts">
          <dt>Data</dt>
          <dd>${data}</dd>
          <dt>Dead letters</dt>
          <dd>${deadLettersFact(h.deadLetters)}</dd>
        </dl>
      </div>
      ${queueTable(h.queues)}
    </div>`;
}

async function workerPart(deps: ConsoleDeps, now: number): Promise<SafeHtml> {
  const h = deps.health
    ? await answer(deps.health, 'the worker')
    : deps.shared
      ? await answer(deps.shared, "the workers' Redis")
      : 'no worker runs beside this console and it knows no Redis';
  if (typeof h === 'string')
    return html`<p class="card">
      <strong>Unknown:</strong> ${h}. Sources, last poll, blindness, queues, dead letters and archive lag are known only
      to a running worker; the archive's own view follows.
    </p>`;
  return 'startedAt' in h ? live(h, now) : shared(h, now);
}

async function archiveFacts(ctx: PageContext): Promise<SafeHtml> {
  const newest = await ctx.db
    .selectFrom('events')
    .select((eb) => [
      eb.fn.max('time').as('time'),
      eb.fn.max('archived_at').as('archived'),
      eb.fn.countAll<number>().as('n'),
    ])
    .executeTakeFirst();
  const legs = await ctx.db
    .selectFrom('legs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  const cursors = await ctx.db.selectFrom('archiver_cursor').selectAll().orderBy('name').execute();
  const now = ctx.now.getTime();
  const archivedAt = newest?.archived ? Date.parse(String(newest.archived)) : NaN;
  return html`<div class="card">
    <dl class="facts">
      <dt>Events archived</dt>
      <dd>${count(Number(newest?.n ?? 0))}</dd>
      <dt>Legs</dt>
      <dd>${count(Number(legs?.n ?? 0))}</dd>
      <dt>Newest detection</dt>
      <dd>${timeEl(newest?.time ? String(newest.time) : null)}</dd>
      <dt>Last archive write</dt>
      <dd>${Number.isFinite(archivedAt) ? html`${timeEl(archivedAt)} (${age(now - archivedAt)} ago)` : 'never'}</dd>
      ${cursors.map(
        (c) =>
          html`<dt>Archiver stream “${c.name}”</dt>
            <dd>at <code>${c.stream_id}</code>, ${timeEl(c.updated_at)}</dd>`,
      )}
    </dl>
  </div>`;
}

export const healthPage =
  (deps: ConsoleDeps): Page =>
  async (ctx) => {
    const body = html`<h2>Worker</h2>
      ${await workerPart(deps, ctx.now.getTime())}
      <h2>Archive</h2>
      ${await archiveFacts(ctx)}`;
    return { title: 'Health', body: body.toString() };
  };
