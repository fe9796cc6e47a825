/**
 * A monthly report digest end to end: the hand-made flight record in an SQLite archive, a real redis-server,
 * the real notify pipeline, a real e-mail channel to an SMTP sink and a Slack channel to a local HTTP receiver
 * (Slack's incoming-webhook contract). Two replicas' digest schedulers tick at the same minute: the digest
 * arrives once per channel, and its numbers are the archive's. The schedulers' clock is the tests' own.
 */
import { openArchive } from '../../../src/archive';
import { recordDb } from '../../../src/archive/record-schema';
import { classifyStaleLegs } from '../../../src/archive/classify/store';
import { buildReport } from '../../../src/archive/report/report';
import { monthPeriod } from '../../../src/archive/report/period';
import { configSchema, type Config } from '../../../src/config/schema';
import { buildChannels, closeChannels } from '../../../src/alerting/build-channels';
import { startPipeline } from '../../../src/pipeline/pipeline';
import { digestClaimKey } from '../../../src/runtime/report-digest';
import { createDigestScheduler } from '../../../src/runtime/digests';
import { readClaim } from '../../../src/pipeline/period-claim';
import type { PeriodScheduler } from '../../../src/pipeline/period-scheduler';
import type { Pipeline } from '../../../src/pipeline/pipeline';
import { DIGEST_CHART_CID } from '../../../src/alerting/channels/render/digest';
import { silentLogger } from '../../../src/util/log';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink';
import { whenQueuesIdle } from '../../helpers/wait';
import { tempSqlite, type TestDatabase } from '../../helpers/archive-db';
import { useDeliverTestEnv } from '../pipeline/support/env';
import { uniquePrefix } from '../pipeline/support/fixtures';
import { writeFixture } from '../archive/record-fixture';

const env = useDeliverTestEnv();
let smtp: SmtpSink;
let t: TestDatabase;

beforeAll(async () => {
  smtp = await startSmtpSink();
});
afterAll(async () => {
  await smtp.close();
});
beforeEach(async () => {
  t = tempSqlite();
  const a = await openArchive(t.target);
  await writeFixture(a.db);
  await a.close();
});
afterEach(async () => {
  await t.drop();
  smtp.messages.length = 0;
});

function config(channels: string[]): Config {
  return configSchema.parse({
    sources: [{ id: 'rx', kind: 'receiver', url: 'http://127.0.0.1:9/data/aircraft.json' }],
    watch: [{ id: 'ice-air', match: { callsignPrefixes: ['GXA'] } }],
    alerts: {
      retry: { horizon: '20s', backoffBase: '50ms', backoffMax: '400ms' },
      channels: [
        { id: 'group-mail', kind: 'email', to: ['desk@example.org'], smtpUrlEnv: 'DIGEST_SMTP_URL' },
        { id: 'group-chat', kind: 'slack', webhookUrlEnv: 'DIGEST_SLACK_URL' },
        { id: 'ops', kind: 'slack', webhookUrlEnv: 'DIGEST_SLACK_URL' },
      ],
    },
    archive: { file: t.target.file },
    reports: { digests: [{ every: 'monthly', at: '1 07:00', timezone: 'Europe/Berlin', channels }] },
  });
}

/** One replica's digest scheduler; the tests tick it with their own clock. */
function replica(
  cfg: Config | (() => Config),
  processEnv: NodeJS.ProcessEnv,
  p: Pipeline,
  prefix: string,
  owner?: string,
): PeriodScheduler {
  return createDigestScheduler({
    config: typeof cfg === 'function' ? cfg : () => cfg,
    env: processEnv,
    redis: env.redis,
    prefix,
    log: silentLogger,
    ctx: () => p.ctx,
    owner,
  });
}

it('sends the monthly digest once per channel with the archive numbers, however many replicas fire', async () => {
  const cfg = config(['group-mail', 'group-chat']);
  const processEnv = { DIGEST_SMTP_URL: smtp.url, DIGEST_SLACK_URL: `${env.rx.url}/slack` };
  const channels = buildChannels(cfg.alerts, { env: processEnv });
  const prefix = uniquePrefix('digest');
  const p = await startPipeline({ alerts: cfg.alerts, connection: env.redis, channels, prefix });
  env.open.push({ close: () => closeChannels(channels) }, { close: () => p.close(3000) });
  const [r1, r2] = [replica(cfg, processEnv, p, prefix, 'a'), replica(cfg, processEnv, p, prefix, 'b')];
  const before = new Date('2026-12-01T05:59:00Z').getTime();
  await Promise.all([r1.tick(before), r2.tick(before)]); // both know the digest before its time
  expect(smtp.messages).toHaveLength(0);

  const at = Date.parse('2026-12-01T06:00:20Z'); // 07:00 in Berlin on 1 December: November is complete
  const ticks = await Promise.all([r1.tick(at), r2.tick(at)]);
  expect(ticks.flatMap((t) => t.sent)).toEqual(['report digest monthly-0 2026-11']);
  expect(ticks.map((t) => t.skipped).sort()).toEqual([0, 1]);
  expect(await readClaim(env.redis, digestClaimKey(prefix, 'monthly-0', '2026-11'))).toMatchObject({
    state: 'sent',
    at,
    attempts: 1,
  });

  await smtp.waitFor('the digest e-mail', (m) => m.length >= 1);
  await env.rx.waitFor('the digest in Slack', (r) => r.length >= 1);
  // Later ticks the same day, after delivery: still nothing new.
  const later = Date.parse('2026-12-01T06:30:00Z');
  expect((await Promise.all([r1.tick(later), r2.tick(later)])).flatMap((t) => t.sent)).toEqual([]);
  await whenQueuesIdle('notify', [p.ctx.queues.notify]);
  expect(smtp.messages).toHaveLength(1);
  expect(env.rx.received.filter((r) => r.path === '/slack')).toHaveLength(1);

  // The numbers, from the archive independently of the digest.
  const a = await openArchive(t.target);
  const db = recordDb(a.db);
  await classifyStaleLegs(db, cfg.classify);
  const report = await buildReport(db, monthPeriod('2026-11'));
  await a.close();
  const removals = report.categories.find((c) => c.key === 'removal');
  expect(removals?.legs).toBeGreaterThan(0);

  const mail = smtp.messages[0];
  expect(mail.subject).toContain('Flight report 2026-11');
  expect(mail.to).toMatchObject({ text: 'desk@example.org' });
  const html = String(mail.html);
  expect(html).toContain(`${removals!.legs} removal flight`);
  for (const c of report.removalsByCountry) expect(html).toContain(`(${c.key})`);
  expect(html).toContain('Carriers&#39; shares of removals');
  expect(html).toContain(`src="cid:${DIGEST_CHART_CID}"`);
  const chart = mail.attachments.find((x) => x.cid === DIGEST_CHART_CID);
  expect(chart?.contentType).toBe('image/png');
  expect(chart?.content.subarray(1, 4).toString()).toBe('PNG');
  expect(html).toMatch(/alt="Removals per week, 2026-11, against the six weeks before\. Removal flights per week\./);
  expect(mail.text).toContain('# Flight report 2026-11');
  expect(mail.text).toContain(`| Removals (to a country of return) | ${removals!.legs} | ${removals!.confirmed} |`);

  const slack = env.rx.received.find((r) => r.path === '/slack')!.json as {
    text: string;
    blocks: { type: string; text?: { text: string } }[];
  };
  expect(slack.text).toContain('Flight report 2026');
  const texts = slack.blocks.map((b) => b.text?.text ?? '').join('\n');
  expect(texts).toContain(`*Removals:* ${removals!.legs} (${removals!.confirmed} confirmed`);
  expect(texts).toContain('*Countries of return:*');
  for (const b of slack.blocks) expect((b.text?.text ?? '').length).toBeLessThanOrEqual(3000);
}, 60_000);

it('goes only to the channels the digest names, and a week digest reports the last ISO week', async () => {
  const cfg = configSchema.parse({
    ...config(['ops']),
    reports: { digests: [{ id: 'weekly-ops', every: 'weekly', at: 'mon 07:00', channels: ['ops'] }] },
  });
  const processEnv = { DIGEST_SMTP_URL: smtp.url, DIGEST_SLACK_URL: `${env.rx.url}/slack` };
  const channels = buildChannels(cfg.alerts, { env: processEnv });
  const prefix = uniquePrefix('digest-week');
  const p = await startPipeline({ alerts: cfg.alerts, connection: env.redis, channels, prefix });
  env.open.push({ close: () => closeChannels(channels) }, { close: () => p.close(3000) });
  const s = replica(cfg, processEnv, p, prefix);
  await s.tick(Date.parse('2026-11-16T06:59:00Z'));
  const out = await s.tick(Date.parse('2026-11-16T07:00:00Z')); // Monday of W47
  expect(out.sent).toEqual(['report digest weekly-ops 2026-W46']);
  await env.rx.waitFor('the weekly digest', (r) => r.length >= 1);
  await whenQueuesIdle('notify', [p.ctx.queues.notify]);
  expect(smtp.messages).toHaveLength(0);
  expect(env.rx.received).toHaveLength(1);
  expect(JSON.stringify(env.rx.received[0].json)).toContain('Flight report 2026-W46');
}, 60_000);

it('retries a failing build with backoff, alerts once after three failures, and sends once when it works', async () => {
  const good = config(['group-mail']);
  // The archive cannot be opened: its "directory" is a file.
  const broken: Config = { ...good, archive: { ...good.archive, file: `${t.target.file}/not-a-dir/archive.sqlite` } };
  let current = broken;
  const processEnv = { DIGEST_SMTP_URL: smtp.url, DIGEST_SLACK_URL: `${env.rx.url}/slack` };
  const channels = buildChannels(good.alerts, { env: processEnv });
  const prefix = uniquePrefix('digest-retry');
  const p = await startPipeline({ alerts: good.alerts, connection: env.redis, channels, prefix });
  env.open.push({ close: () => closeChannels(channels) }, { close: () => p.close(3000) });
  const [r1, r2] = [
    replica(() => current, processEnv, p, prefix, 'a'),
    replica(() => current, processEnv, p, prefix, 'b'),
  ];
  const both = async (now: number) => {
    const r = await Promise.all([r1.tick(now), r2.tick(now)]);
    return { sent: r.flatMap((x) => x.sent), failed: r.flatMap((x) => x.failed) };
  };
  const key = digestClaimKey(prefix, 'monthly-0', '2026-11');
  const retryAt = async () => ((await readClaim(env.redis, key)) as { retryAt: number }).retryAt;

  await both(Date.parse('2026-12-01T05:59:00Z'));
  const t0 = Date.parse('2026-12-01T06:00:20Z');
  // First attempt: one replica claims it and fails; the next may start after backoffBase (50 ms of the clock).
  expect(await both(t0)).toEqual({ sent: [], failed: ['report digest monthly-0 2026-11'] });
  expect(await readClaim(env.redis, key)).toMatchObject({ state: 'failed', attempts: 1, retryAt: t0 + 50 });
  expect(await both(t0 + 49)).toEqual({ sent: [], failed: [] }); // backing off: nobody tries
  expect(await both(t0 + 50)).toEqual({ sent: [], failed: ['report digest monthly-0 2026-11'] });
  expect(await retryAt()).toBe(t0 + 50 + 100); // doubled
  expect(smtp.messages).toHaveLength(0);

  // The third failure in a row raises one digest-failed alert (to every channel; the e-mail is checked here).
  expect((await both(t0 + 150)).failed).toHaveLength(1);
  await smtp.waitFor('the digest-failed alert', (m) => m.length >= 1);
  const alert = smtp.messages;
  expect(alert[0].subject).toContain('a digest could not be sent');
  expect(alert[0].text).toContain('report digest monthly-0 2026-11 failed 3 times');
  expect((await both(await retryAt())).failed).toHaveLength(1); // the fourth: no second alert

  // The operator fixes the archive (a reload): the next attempt sends it, once, and later ticks send nothing.
  current = good;
  expect(await both(await retryAt())).toEqual({ sent: ['report digest monthly-0 2026-11'], failed: [] });
  expect(await both(Date.parse('2026-12-01T09:00:00Z'))).toEqual({ sent: [], failed: [] });
  await smtp.waitFor('the report', (m) => m.length >= 2);
  await whenQueuesIdle('notify', [p.ctx.queues.notify]);
  expect(smtp.messages.map((m) => m.subject)).toEqual([
    expect.stringContaining('a digest could not be sent'),
    expect.stringContaining('Flight report 2026-11'),
  ]);
  expect(await readClaim(env.redis, key)).toMatchObject({ state: 'sent', attempts: 5 });
}, 60_000);

it('takes reports.digests from a reloaded config without a restart, and a reload never sends a past period', async () => {
  const none: Config = { ...config(['ops']), reports: { digests: [] } };
  let current = none;
  const processEnv = { DIGEST_SMTP_URL: smtp.url, DIGEST_SLACK_URL: `${env.rx.url}/slack` };
  const channels = buildChannels(none.alerts, { env: processEnv });
  const prefix = uniquePrefix('digest-reload');
  const p = await startPipeline({ alerts: none.alerts, connection: env.redis, channels, prefix });
  env.open.push({ close: () => closeChannels(channels) }, { close: () => p.close(3000) });
  const s = replica(() => current, processEnv, p, prefix);

  expect((await s.tick(Date.parse('2026-11-16T08:00:00Z'))).sent).toEqual([]);
  // Reloaded after this Monday's 07:00: last week is not sent now (it was not configured when it was due)…
  current = configSchema.parse({
    ...config(['ops']),
    reports: { digests: [{ id: 'weekly-ops', every: 'weekly', at: 'mon 07:00', channels: ['ops'] }] },
  });
  expect((await s.tick(Date.parse('2026-11-16T08:01:00Z'))).sent).toEqual([]);
  expect((await s.tick(Date.parse('2026-11-23T06:59:00Z'))).sent).toEqual([]);
  // …the next Monday's is.
  expect((await s.tick(Date.parse('2026-11-23T07:00:30Z'))).sent).toEqual(['report digest weekly-ops 2026-W47']);
  await env.rx.waitFor('the weekly digest', (r) => r.length >= 1);
  // Reloaded again with the digest removed: nothing more is sent.
  current = none;
  expect((await s.tick(Date.parse('2026-11-30T07:00:30Z'))).sent).toEqual([]);
  await whenQueuesIdle('notify', [p.ctx.queues.notify]);
  expect(env.rx.received).toHaveLength(1);
}, 60_000);
