/**
 * `flightwatch silence add|list|rm`: mute alerts for an aircraft / watch entry / event type for a while.
 * Silences live in Redis (REDIS_URL) and are checked by every worker right before sending.
 */
import type { Command } from 'commander';
import { redisPrefix, withRedis as connect } from '../../pipeline/connection';
import { REDIS_URL_HELP, redisUrl } from '../../runtime/redis/cli-redis-url';
import { cliAction } from '../action';
import type { Redis } from 'ioredis';
import { keys } from '../../alerting/keys';
import { addSilence, listSilences, removeSilence, type Silence } from '../../alerting/silences';
import { formatDuration, parseDuration } from '../../config/alerts-schema';
import { FLIGHT_EVENT_TYPES } from '../../domain/event';

const withRedis = async <T>(opts: { redisUrl?: string }, fn: (r: Redis) => Promise<T>) =>
  connect(opts.redisUrl ?? (await redisUrl()), fn);

export function describeSilence(s: Silence, now = Date.now()): string {
  const what = [s.hex && `hex=${s.hex}`, s.watch && `watch=${s.watch}`, s.event && `event=${s.event}`]
    .filter(Boolean)
    .join(' ');
  const left = formatDuration(Math.max(0, Date.parse(s.endsAt) - now));
  return `${s.id}  ${what}  until ${s.endsAt} (${left} left)${s.comment ? `  # ${s.comment}` : ''}`;
}

const fail = (msg: string) => {
  process.stderr.write(`flightwatch silence: ${msg}\n`);
  process.exitCode = 1;
};

export function register(program: Command): void {
  const cmd = program
    .command('silence')
    .description('mute alerts for an aircraft, watch entry or event type for a while');
  cmd
    .command('add')
    .description('add a silence (at least one of --hex, --watch, --event)')
    .option('--hex <hex>', 'ICAO 24-bit address, e.g. a1b2c3')
    .option('--watch <id>', 'watch entry id')
    .option('--event <type>', `event type (${FLIGHT_EVENT_TYPES.join(', ')})`)
    .requiredOption('--for <duration>', 'how long, e.g. 24h, 90m, 7d')
    .option('--comment <text>', 'why (shown by `silence list`)')
    .option('--redis-url <url>', REDIS_URL_HELP)
    .action(
      cliAction(
        'silence',
        async (o: {
          hex?: string;
          watch?: string;
          event?: string;
          for: string;
          comment?: string;
          redisUrl?: string;
        }) => {
          const forMs = parseDuration(o.for);
          if (!forMs) return fail(`--for ${JSON.stringify(o.for)} is not a duration (e.g. 24h, 90m, 7d)`);
          if (o.hex && !/^~?[0-9a-f]{6}$/i.test(o.hex.trim()))
            return fail(`--hex ${JSON.stringify(o.hex)} is not a 6-digit ICAO hex`);
          if (o.event && !(FLIGHT_EVENT_TYPES as readonly string[]).includes(o.event))
            return fail(`--event ${JSON.stringify(o.event)} is not one of ${FLIGHT_EVENT_TYPES.join(', ')}`);
          if (!o.hex && !o.watch && !o.event) return fail('give at least one of --hex, --watch, --event');
          const s = await withRedis(o, (r) =>
            addSilence(r, keys(redisPrefix()), {
              hex: o.hex,
              watch: o.watch,
              event: o.event,
              comment: o.comment,
              forMs,
            }),
          );
          process.stdout.write(`${describeSilence(s)}\n`);
        },
      ),
    );
  cmd
    .command('list')
    .description('active silences')
    .option('--json', 'one JSON object per line')
    .option('--redis-url <url>', REDIS_URL_HELP)
    .action(
      cliAction('silence', async (o: { json?: boolean; redisUrl?: string }) => {
        const list = await withRedis(o, (r) => listSilences(r, keys(redisPrefix())));
        if (!list.length && !o.json) process.stdout.write('no active silences\n');
        for (const s of list) process.stdout.write(`${o.json ? JSON.stringify(s) : describeSilence(s)}\n`);
      }),
    );
  cmd
    .command('rm')
    .description('remove a silence')
    .argument('<id>', 'silence id (from `silence list`)')
    .option('--redis-url <url>', REDIS_URL_HELP)
    .action(
      cliAction('silence', async (id: string, o: { redisUrl?: string }) => {
        const removed = await withRedis(o, (r) => removeSilence(r, keys(redisPrefix()), id));
        if (!removed) return fail(`no silence ${id}`);
        process.stdout.write(`removed ${id}\n`);
      }),
    );
}
