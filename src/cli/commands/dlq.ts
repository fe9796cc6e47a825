/**
 * `flightwatch dlq list|retry`: alerts that could not be delivered (permanent error, retry horizon passed,
 * disabled channel) and detect jobs that failed. `retry` gives them fresh attempts and a fresh horizon.
 */
import type { Command } from 'commander';
import { redisPrefix, withRedis } from '../../pipeline/connection';
import { REDIS_URL_HELP, redisUrl } from '../../runtime/redis/cli-redis-url';
import { cliAction } from '../action';
import { createQueues } from '../../pipeline/queues';
import { alertsSchema } from '../../config/alerts-schema';
import { retryPolicy } from '../../pipeline/context';
import { listDeadLetters, retryAllDeadLetters, retryDeadLetter, type DeadLetter } from '../../pipeline/dlq';

async function withQueues<T>(
  opts: { redisUrl?: string },
  fn: (q: ReturnType<typeof createQueues>) => Promise<T>,
): Promise<T> {
  return withRedis(opts.redisUrl ?? (await redisUrl()), async (redis) => {
    const q = createQueues(redis, redisPrefix(), retryPolicy(alertsSchema.parse({})));
    try {
      return await fn(q);
    } finally {
      await q.close();
    }
  });
}

export function formatDeadLetters(rows: DeadLetter[]): string {
  if (!rows.length) return 'no dead letters\n';
  const head = ['ID', 'QUEUE', 'CHANNEL', 'EVENT', 'ATTEMPTS', 'FAILED AT', 'REASON'];
  const cells = rows.map((r) => [
    r.id,
    r.queue,
    r.channel,
    r.event,
    String(r.attempts),
    r.failedAt ?? '-',
    r.reason.slice(0, 160),
  ]);
  const width = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]?.length ?? 0)));
  const line = (c: string[]) => c.map((v, i) => (i === c.length - 1 ? v : v.padEnd(width[i] ?? 0))).join('  ');
  return [line(head), ...cells.map(line)].join('\n') + '\n';
}

export function register(program: Command): void {
  const cmd = program.command('dlq').description('dead letters: alerts that could not be delivered');
  cmd
    .command('list')
    .description('list dead letters (id, channel, event, reason, attempts)')
    .option('--json', 'one JSON object per line')
    .option('--redis-url <url>', REDIS_URL_HELP)
    .action(
      cliAction('dlq', async (o: { json?: boolean; redisUrl?: string }) => {
        const rows = await withQueues(o, (q) => listDeadLetters(q));
        process.stdout.write(o.json ? rows.map((r) => JSON.stringify(r) + '\n').join('') : formatDeadLetters(rows));
      }),
    );
  cmd
    .command('retry')
    .description('send dead letters again with fresh attempts and retry horizon')
    .argument('[id]', 'job id from `dlq list`')
    .option('--all', 'retry every dead letter')
    .option('--redis-url <url>', REDIS_URL_HELP)
    .action(
      cliAction('dlq', async (id: string | undefined, o: { all?: boolean; redisUrl?: string }) => {
        if (!id === !o.all) {
          process.stderr.write('flightwatch dlq retry: give one job id or --all\n');
          process.exitCode = 1;
          return;
        }
        const results = await withQueues(o, (q) =>
          o.all ? retryAllDeadLetters(q) : retryDeadLetter(q, id!).then((r) => [r]),
        );
        for (const r of results) {
          if (r.ok) process.stdout.write(`requeued ${r.id}\n`);
          else process.stderr.write(`${r.id}: ${r.reason}\n`);
        }
        if (results.some((r) => !r.ok)) process.exitCode = 1;
        else if (!results.length) process.stdout.write('no dead letters\n');
      }),
    );
}
