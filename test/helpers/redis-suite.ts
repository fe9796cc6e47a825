/**
 * One throwaway redis-server for a whole test file: started before its tests, stopped after them, every client
 * it handed out closed first. `prefix()` gives each test keys of its own, so tests in a file never see each
 * other's state.
 */
import Redis from 'ioredis';
import { startRedis, type TestRedis } from './redis-server';

export interface RedisSuite {
  /** A new connection to the suite's server (closed after the file's tests). */
  client(): Redis;
  /** A key prefix no other test of the file uses, e.g. `fwtest3:`. */
  prefix(): string;
}

export function redisSuite(prefixBase: string): RedisSuite {
  let server: TestRedis | undefined;
  const clients: Redis[] = [];
  let n = 0;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.quit().catch(() => undefined)));
    await server?.stop();
  });
  return {
    client() {
      if (!server) throw new Error('redisSuite: client() called outside a test (the server starts in beforeAll)');
      const c = new Redis(server.url, { maxRetriesPerRequest: 2 });
      clients.push(c);
      return c;
    },
    prefix: () => `${prefixBase}${++n}:`,
  };
}
