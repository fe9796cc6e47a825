import { Writable } from 'node:stream';
import { createLogger } from '../../../src/util/log';
import { createPollSummary } from '../../../src/runtime/poll-summary';
import type { PollCycleResult } from '../../../src/ingest/poll-cycle';

function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _e, cb) {
      for (const l of chunk.toString('utf8').split('\n')) if (l.trim()) lines.push(JSON.parse(l));
      cb();
    },
  });
  return { lines, log: createLogger({ level, destination, env: {} }) };
}

const cycle = (startedAt: number, servedBy: string | undefined, matched = 0): PollCycleResult => ({
  matched: Array.from({ length: matched }, () => ({}) as PollCycleResult['matched'][number]),
  servedBy,
  attempts: servedBy ? [{ sourceId: servedBy, ok: true } as PollCycleResult['attempts'][number]] : [],
  states: 40,
  rejected: 0,
  startedAt,
  durationMs: 100,
});

it('logs one info summary per minute of 2-s cycles, each cycle only at debug', () => {
  const { lines, log } = capture('info');
  const s = createPollSummary(log);
  const t0 = Date.UTC(2026, 11, 2, 7, 0, 0);
  // 90 cycles = 3 minutes at a 2 s schedule; one unserved, one with 2 watched aircraft.
  for (let i = 0; i < 90; i++) s.record(cycle(t0 + i * 2000, i === 5 ? undefined : 'rx', i === 7 ? 2 : 0));
  const infos = lines.filter((l) => l.msg === 'poll cycles');
  expect(lines.filter((l) => l.msg === 'poll cycle')).toHaveLength(0);
  expect(infos).toHaveLength(2); // the third minute is not over yet
  expect(infos[0]).toMatchObject({ level: 'info', cycles: 30, unserved: 1, maxMatched: 2, servedBy: { rx: 29 } });
  expect(infos[1]).toMatchObject({ cycles: 30, unserved: 0, maxMatched: 0, servedBy: { rx: 30 }, meanMs: 100 });
});

it('still logs every cycle at debug', () => {
  const { lines, log } = capture('debug');
  const s = createPollSummary(log);
  for (let i = 0; i < 3; i++) s.record(cycle(1_000_000 + i * 2000, 'rx', 1));
  expect(lines.filter((l) => l.msg === 'poll cycle').map((l) => [l.level, l.servedBy, l.matched])).toEqual([
    ['debug', 'rx', 1],
    ['debug', 'rx', 1],
    ['debug', 'rx', 1],
  ]);
});
