/**
 * Health: the sources and their last valid reply, the last poll, blindness, queues, dead letters and archive
 * lag as the worker sees them — and what the archive itself says (newest detection archived, where each
 * archiver stream stands). Served by `flightwatch web` without a worker, the live part says it is unknown.
 */
import type { ConsoleDeps } from '../deps';
import type { WorkerHealth } from '../health-model';
import { html, type SafeHtml } from '../html';
import { age, count, timeEl, tableHead } from '../format';
import type { Page, PageContext } from '../page';

const WORKER_TIMEOUT_MS = 3000;
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

const state = (ok: boolean, yes: string, no: string) =>
  html`<span class="badge ${ok ? 'ok' : 'bad'}">${ok ? yes : no}</span>`;

async function workerHealth(deps: ConsoleDeps): Promise<WorkerHealth | string> {
  if (!deps.health) return 'no worker runs beside this console (served by `flightwatch web`)';
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      deps.health(),
      new Promise<never>((_, fail) => {
        timer = setTimeout(
          () => fail(new Error(`the worker did not answer within ${WORKER_TIMEOUT_MS} ms`)),
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

function live(h: WorkerHealth, now: number): SafeHtml {
  const silentMs = now - h.lastDataAt;
  const blind = silentMs > h.blindAfterMs;
  const queues = h.queues
    ? html`<table>
        <caption>
          Queues (every replica on this Redis)
        </caption>
        ${tableHead(['Queue', ...QUEUE_STATES.map((s) => ({ label: s, class: 'num' }))])}
        <tbody>
          ${Object.entries(h.queues).map(
            ([name, c]) =>
              html`<tr>
                <th scope="row">${name}</th>
                ${QUEUE_STATES.map((s) => html`<td class="num">${count(c[s] ?? 0)}</td>`)}
              </tr>`,
          )}
        </tbody>
      </table>`
    : html`<p class="bad">Queues: unknown (Redis did not answer in time).</p>`;
  return html`<div class="grid2">
      <div class="card">
        <dl class="facts">
          <dt>Data</dt>
          <dd>
            ${state(!blind, 'receiving', 'blind')} newest valid data ${age(silentMs)} ago (blind after
            ${age(h.blindAfterMs)})
          </dd>
          <dt>Last poll</dt>
          <dd>${h.lastPollAt ? html`${timeEl(h.lastPollAt)} (${age(now - h.lastPollAt)} ago)` : 'none yet'}</dd>
          <dt>Worker up since</dt>
          <dd>${timeEl(h.startedAt)}</dd>
          <dt>Dead letters</dt>
          <dd>
            ${h.deadLetters === undefined ? 'unknown (Redis did not answer)' : html`${state(h.deadLetters === 0, '0', count(h.deadLetters))} ${h.deadLetters ? html`see <code>flightwatch dlq list</code>` : ''}`}
          </dd>
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
      ${queues}
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
    const h = await workerHealth(deps);
    const body = html`<h2>Worker</h2>
      ${
        typeof h === 'string'
          ? html`<p class="card">
              <strong>Unknown:</strong> ${h}. Sources, last poll, blindness, queues, dead letters and archive lag are
              known only to a running worker; the archive's own view follows.
            </p>`
          : live(h, ctx.now.getTime())
      }
      <h2>Archive</h2>
      ${await archiveFacts(ctx)}`;
    return { title: 'Health', body: body.toString() };
  };
