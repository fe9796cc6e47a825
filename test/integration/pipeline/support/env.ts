/**
 * The per-file setup of the delivery integration tests: one redis-server on a free port, a connection to it and
 * a recording HTTP receiver; after each test the things a test opened (queues, pipelines) are closed and the
 * receiver is emptied and answers 204 again. Fields are set in beforeAll: read them inside tests and hooks.
 */
import type { Redis } from 'ioredis';
import { startRedis, type TestRedis } from '../../../helpers/redis-server';
import { createRedis } from '../../../../src/pipeline/connection';
import { startReceiver, type Receiver } from './receiver';

export interface DeliverTestEnv {
  server: TestRedis;
  redis: Redis;
  rx: Receiver;
  /** Closed after each test, last opened first. */
  open: { close(timeoutMs?: number): Promise<unknown> }[];
}

export function useDeliverTestEnv(
  opts: { role?: 'worker' | 'producer'; closeTimeoutMs?: number } = {},
): DeliverTestEnv {
  const env = { open: [] } as unknown as DeliverTestEnv;
  beforeAll(async () => {
    env.server = await startRedis();
    env.redis = createRedis(env.server.url, opts.role ?? 'worker');
    env.rx = await startReceiver();
  });
  afterEach(async () => {
    while (env.open.length) await env.open.pop()!.close(opts.closeTimeoutMs);
    env.rx.received.length = 0;
    env.rx.respond = () => ({ status: 204 });
  });
  afterAll(async () => {
    await env.rx.close();
    env.redis.disconnect();
    await env.server.stop();
  });
  return env;
}
