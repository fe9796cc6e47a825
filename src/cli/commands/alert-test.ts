/**
 * `flightwatch alert test --channel ID`: a synthetic alert through the exact channel code the worker uses;
 * exit 0 when the receiver accepted it, 1 with the reason. `alert channels` shows configured channels and
 * which are disabled (410 Gone); `alert enable ID` re-enables one after its receiver was fixed.
 */
import type { Command } from 'commander';
import { resolveConfigPath } from '../../config/load';
import { readConfigOrReport, EXIT_INVALID_CONFIG } from './check-config';
import { buildChannels, closeChannels } from '../../alerting/build-channels';
import { syntheticAlert } from '../../alerting/channels/synthetic';
import { DeliveryError } from '../../alerting/channel';
import { configuredChannelIds } from '../../alerting/routing';
import { redisPrefix, withRedis as connect } from '../../pipeline/connection';
import { REDIS_URL_HELP, redisUrl } from '../../runtime/redis/cli-redis-url';
import { cliAction } from '../action';
import type { Redis } from 'ioredis';
import { keys } from '../../alerting/keys';
import { enableChannel, listDisabledChannels } from '../../alerting/channel-state';

const withRedis = async <T>(url: string | undefined, fn: (r: Redis) => Promise<T>, dataDir?: string) =>
  connect(url ?? (await redisUrl({ dataDir })), fn);

export function register(program: Command): void {
  const cmd = program.command('alert').description('alert channels: send a test alert, list, re-enable');
  cmd
    .command('test')
    .description('send a synthetic alert through one channel; exit 0 if accepted, 1 with the reason')
    .requiredOption('--channel <id>', 'channel id from alerts.channels ("outbox" when none is configured)')
    .option('-c, --config <file>', 'config file (default: $FLIGHTWATCH_CONFIG or config/flightwatch.yaml)')
    .action(
      cliAction('alert', async (o: { channel: string; config?: string }) => {
        const config = readConfigOrReport(resolveConfigPath(o.config));
        if (!config) {
          process.exitCode = EXIT_INVALID_CONFIG;
          return;
        }
        const known = configuredChannelIds(config.alerts);
        if (!known.includes(o.channel)) {
          process.stderr.write(
            `alert test: no channel ${JSON.stringify(o.channel)} (configured: ${known.join(', ')})\n`,
          );
          process.exitCode = 1;
          return;
        }
        let channels;
        try {
          channels = buildChannels(
            {
              channels: config.alerts.channels.filter((c) => c.id === o.channel),
              outboxDir: config.alerts.outboxDir,
            },
            { watch: config.watch },
          );
        } catch (e) {
          process.stderr.write(`alert test: ${(e as Error).message}\n`);
          process.exitCode = 1;
          return;
        }
        const channel = channels.get(o.channel)!;
        try {
          const receipt = await channel.send(syntheticAlert(o.channel));
          process.stdout.write(`${o.channel}: accepted: ${receipt.detail}\n`);
        } catch (e) {
          const why = e instanceof DeliveryError ? `${e.kind}: ${e.message}` : (e as Error).message;
          process.stderr.write(`${o.channel}: not delivered: ${why}\n`);
          process.exitCode = 1;
        } finally {
          await closeChannels(channels);
        }
      }),
    );
  cmd
    .command('channels')
    .description('configured channels and whether they are disabled')
    .option('-c, --config <file>', 'config file')
    .option('--redis-url <url>', REDIS_URL_HELP)
    .action(
      cliAction('alert', async (o: { config?: string; redisUrl?: string }) => {
        const config = readConfigOrReport(resolveConfigPath(o.config));
        if (!config) {
          process.exitCode = EXIT_INVALID_CONFIG;
          return;
        }
        const disabled = new Map(
          (await withRedis(o.redisUrl, (r) => listDisabledChannels(r, keys(redisPrefix())), config.data.dir)).map(
            (d) => [d.channelId, d],
          ),
        );
        for (const id of configuredChannelIds(config.alerts)) {
          const d = disabled.get(id);
          process.stdout.write(`${id}  ${d ? `DISABLED since ${d.disabledAt}: ${d.reason}` : 'enabled'}\n`);
        }
      }),
    );
  cmd
    .command('enable')
    .description('re-enable a channel disabled after 410 Gone (then `dlq retry --all` resends what it missed)')
    .argument('<id>', 'channel id')
    .option('--redis-url <url>', REDIS_URL_HELP)
    .action(
      cliAction('alert', async (id: string, o: { redisUrl?: string }) => {
        const was = await withRedis(o.redisUrl, (r) => enableChannel(r, keys(redisPrefix()), id));
        process.stdout.write(was ? `enabled ${id}\n` : `${id} was not disabled\n`);
      }),
    );
}
