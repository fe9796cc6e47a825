/**
 * The probes the Redis discovery asks with: real redis-servers of our own, and loopback TCP servers that
 * behave like what may sit on a stale port (silence, a closed connection, another protocol). Each probe must
 * end within its timeout, say why it got no answer, and send nothing but its own command.
 */
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import IORedis from 'ioredis';
import { startRedis, type TestRedis } from '../../helpers/redis-server';
import { freePort } from '../../../src/runtime/redis/free-port';
import { pingRedis, redisConfigDir, redisRunId, runIdOfInfo, shutdownIfSame } from '../../../src/runtime/redis/probe';

const servers: Array<{ srv: Server; sockets: Socket[] }> = [];
afterEach(async () => {
  for (const { srv, sockets } of servers.splice(0)) {
    for (const s of sockets) s.destroy();
    await new Promise((r) => srv.close(r));
  }
});

/** A loopback TCP server that hands every accepted socket to `onSocket`, and records what it was sent. */
async function fakeServer(onSocket: (s: Socket) => void): Promise<{ port: number; received: () => string }> {
  let received = '';
  const sockets: Socket[] = [];
  const srv = createServer((s) => {
    sockets.push(s);
    s.on('data', (d) => (received += d.toString('latin1')));
    s.on('error', () => {});
    onSocket(s);
  });
  servers.push({ srv, sockets });
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  return { port: (srv.address() as { port: number }).port, received: () => received };
}

const RUN_ID = '0123456789abcdef0123456789abcdef01234567';
const infoReply = (body: string) => `$${Buffer.byteLength(body)}\r\n${body}\r\n`;

describe('against something that is not a working Redis', () => {
  it('nothing listening: false, and the reason names the refused connection', async () => {
    const port = await freePort();
    expect(await pingRedis('127.0.0.1', port)).toBe(false);
    expect(await redisRunId('127.0.0.1', port)).toEqual({
      ok: false,
      reason: expect.stringMatching(/^nothing answers \(.*ECONNREFUSED/),
    });
  });

  it('a server that accepts and stays silent: given up at the timeout', async () => {
    const { port } = await fakeServer(() => {});
    const started = Date.now();
    expect(await pingRedis('127.0.0.1', port, 300)).toBe(false);
    expect(await redisRunId('127.0.0.1', port, 300)).toEqual({ ok: false, reason: 'no reply to INFO within 300 ms' });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('a server that closes the connection instead of replying', async () => {
    const { port } = await fakeServer((s) => s.once('data', () => s.end()));
    expect(await pingRedis('127.0.0.1', port)).toBe(false);
    expect(await redisRunId('127.0.0.1', port)).toEqual({
      ok: false,
      reason: 'the connection closed before a reply to INFO',
    });
  });

  it('another protocol (an HTTP server on the port): not a Redis reply', async () => {
    const { port } = await fakeServer((s) => s.once('data', () => s.write('HTTP/1.1 400 Bad Request\r\n\r\n')));
    expect(await pingRedis('127.0.0.1', port)).toBe(false);
    expect(await redisRunId('127.0.0.1', port)).toEqual({
      ok: false,
      reason: expect.stringMatching(/^not a Redis reply to INFO: /),
    });
  });

  it('an INFO reply without a run_id', async () => {
    const { port } = await fakeServer((s) =>
      s.once('data', () => s.write(infoReply('# Server\r\nredis_version:7.2.0\r\n'))),
    );
    expect(await redisRunId('127.0.0.1', port)).toEqual({ ok: false, reason: 'its INFO server reply has no run_id' });
  });
});

it('sends its own command and nothing else (no AUTH, no ready check, no CLIENT SETINFO)', async () => {
  const server = await fakeServer((s) =>
    s.once('data', () => s.write(infoReply(`# Server\r\nprocess_id:4242\r\nrun_id:${RUN_ID}\r\n`))),
  );
  expect(await redisRunId('127.0.0.1', server.port)).toEqual({ ok: true, runId: RUN_ID, pid: 4242 });
  expect(server.received()).toBe('*2\r\n$4\r\ninfo\r\n$6\r\nserver\r\n');
});

describe('against real redis-servers', () => {
  let redis: TestRedis;
  beforeAll(async () => (redis = await startRedis()));
  afterAll(() => redis.stop());

  it('PING, INFO run_id and pid, CONFIG GET dir', async () => {
    const client = new IORedis(redis.url, { maxRetriesPerRequest: 1 });
    try {
      const info = await client.info('server');
      const dir = (await client.config('GET', 'dir')) as string[];
      expect(await pingRedis('127.0.0.1', redis.port)).toBe(true);
      expect(await redisRunId('127.0.0.1', redis.port)).toEqual(runIdOfInfo(info));
      expect(await redisRunId('127.0.0.1', redis.port)).toMatchObject({ ok: true, pid: expect.any(Number) });
      expect(await redisConfigDir('127.0.0.1', redis.port)).toBe(dir[1]);
    } finally {
      client.disconnect();
    }
  });

  it('shutdownIfSame leaves a server with another run_id alone, and shuts down the one it names', async () => {
    const own = await startRedis();
    try {
      const id = await redisRunId('127.0.0.1', own.port);
      if (!id.ok) throw new Error(id.reason);
      expect(await shutdownIfSame('127.0.0.1', own.port, RUN_ID)).toBe(false);
      expect(await pingRedis('127.0.0.1', own.port)).toBe(true);
      expect(await shutdownIfSame('127.0.0.1', own.port, id.runId)).toBe(true);
      expect(await pingRedis('127.0.0.1', own.port)).toBe(false);
      expect(await shutdownIfSame('127.0.0.1', own.port, id.runId)).toBe(false);
    } finally {
      await own.stop();
    }
  });
});

describe('a server that wants a password', () => {
  it('answers PING (a server is there) but not INFO nor CONFIG', async () => {
    // startRedis waits for +PONG, which a password-protected server never gives: the password is set afterwards.
    const redis = await startRedis();
    try {
      const client = new IORedis(redis.url, { maxRetriesPerRequest: 1 });
      await client.config('SET', 'requirepass', 'not-ours').finally(() => client.disconnect());
      expect(await pingRedis('127.0.0.1', redis.port)).toBe(true);
      expect(await redisRunId('127.0.0.1', redis.port)).toEqual({
        ok: false,
        reason: expect.stringMatching(/^it answers INFO with an error: NOAUTH/),
      });
      await expect(redisConfigDir('127.0.0.1', redis.port)).rejects.toThrow(
        /it answers CONFIG GET dir with an error: NOAUTH/,
      );
    } finally {
      await redis.stop();
    }
  });
});

describe('runIdOfInfo', () => {
  it('reads run_id and process_id; a run_id that is not 40 hex digits is none', () => {
    expect(runIdOfInfo(`# Server\r\nprocess_id:7\r\nrun_id:${RUN_ID}\r\n`)).toEqual({
      ok: true,
      runId: RUN_ID,
      pid: 7,
    });
    expect(runIdOfInfo(`run_id:${RUN_ID}\r\n`)).toEqual({ ok: true, runId: RUN_ID });
    expect(runIdOfInfo(`run_id:${RUN_ID.slice(1)}\r\n`)).toEqual({
      ok: false,
      reason: 'its INFO server reply has no run_id',
    });
  });
});
