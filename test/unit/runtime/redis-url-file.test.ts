/** `<data.dir>/redis/url` read as text, and /proc/<pid>/stat read as text: the parsing alone, no I/O. */
import { parseProcStat } from '../../../src/runtime/redis/proc';
import { embeddedUrlFileText, parseEmbeddedUrlFile } from '../../../src/runtime/redis/url-file';

const RUN_ID = 'c0ffee'.padEnd(40, '0');

describe('parseEmbeddedUrlFile', () => {
  it('reads back what the worker writes', () => {
    expect(parseEmbeddedUrlFile(embeddedUrlFileText('redis://127.0.0.1:41234', RUN_ID))).toEqual({
      ok: true,
      url: 'redis://127.0.0.1:41234',
      host: '127.0.0.1',
      port: 41234,
      runId: RUN_ID,
    });
  });

  it('a URL without a valid run_id line names no run_id (older file, edited file)', () => {
    for (const text of ['redis://127.0.0.1:41234\n', `redis://127.0.0.1:41234\nrun_id=${RUN_ID.slice(1)}\n`])
      expect(parseEmbeddedUrlFile(text)).toEqual({
        ok: true,
        url: 'redis://127.0.0.1:41234',
        host: '127.0.0.1',
        port: 41234,
      });
  });

  it('a first line that is not a redis:// URL with a port is refused, quoted', () => {
    for (const first of ['', 'not a url', 'http://127.0.0.1:41234', 'redis://127.0.0.1'])
      expect(parseEmbeddedUrlFile(`${first}\nrun_id=${RUN_ID}\n`)).toEqual({
        ok: false,
        reason: `its first line ${JSON.stringify(first)} is not a redis:// URL with a port`,
      });
  });
});

describe('parseProcStat', () => {
  it('reads name, state and parent pid; a name may hold spaces and parentheses', () => {
    expect(parseProcStat('4242 (redis-server) S 1 4242 4242 0 -1 4194560')).toEqual({
      comm: 'redis-server',
      state: 'S',
      ppid: 1,
    });
    expect(parseProcStat('17 (node (a) b) Z 16 17 17 0')).toEqual({ comm: 'node (a) b', state: 'Z', ppid: 16 });
  });

  it('anything else is undefined', () => {
    expect(parseProcStat('')).toBeUndefined();
    expect(parseProcStat('17 node S 16')).toBeUndefined();
  });
});
