/**
 * The worker serves the console on web.port: a real worker (in process) polls a receiver stand-in, and its
 * Health page shows what that worker knows — the source healthy with its last reply, the last poll, the queues
 * on its Redis — beside what the archive knows.
 */
import { redisSuite } from '../../helpers/redis-suite';
import { until } from '../../helpers/wait';
import { receiverStandIn, startConsoleWorker, type ConsoleWorker } from '../../helpers/console-worker';

const suite = redisSuite('fwweb');
const receiver = receiverStandIn();

it('serves the console with the worker’s live health on web.port', async () => {
  const redis = suite.client();
  await redis.ping();
  let w: ConsoleWorker | undefined;
  try {
    w = await startConsoleWorker({
      sourceUrl: receiver.url(),
      env: { REDIS_URL: `redis://${redis.options.host}:${redis.options.port}` },
      prefix: suite.prefix().slice(0, -1),
    });
    expect(w.worker.webUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const c = w.console;
    // The page is an HTTP endpoint of the process under test: re-read until the first poll shows on it.
    const page = await until(
      'the Health page showing the first poll',
      async () => {
        const r = await c.get('/health');
        return r.text.includes('healthy') && !r.text.includes('none yet') ? r.text : undefined;
      },
      { timeoutMs: 20_000 },
    );
    expect(page).not.toContain('Unknown:');
    expect(page).toMatch(/<th scope="row">rx<\/th>\s*<td><span class="badge ok">healthy<\/span><\/td>/);
    expect(page).toContain('Queues (every replica on this Redis)');
    expect(page).toContain('receiving');
  } finally {
    await w?.stop();
  }
}, 60_000);
