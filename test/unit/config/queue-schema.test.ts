import { parseConfigText, formatProblem } from '../../../src/config/load';
import { workerRecoveryOptions, worstRecoveryMs } from '../../../src/config/queue-schema';

const base = `
sources:
  - { id: rx, kind: receiver, url: "http://127.0.0.1:8080/data/aircraft.json" }
watch:
  - { id: w, match: { types: [GLF5] } }
`;

const parse = (extra = '') => parseConfigText(base + extra);

describe('queue: (job locks and the stall check)', () => {
  it('defaults recover a dead worker’s jobs within 12 s (BullMQ’s own defaults took up to 60 s)', () => {
    const r = parse();
    if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
    expect(r.config.queue).toEqual({ lockDuration: 8000, stalledInterval: 4000, maxStalledCount: 2 });
    expect(worstRecoveryMs(r.config.queue)).toBe(12_000);
    expect(workerRecoveryOptions(r.config.queue)).toEqual({
      lockDuration: 8000,
      stalledInterval: 4000,
      maxStalledCount: 2,
    });
  });

  it('takes durations as text', () => {
    const r = parse('queue: { lockDuration: 30s, stalledInterval: 30s, maxStalledCount: 1 }\n');
    if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
    expect(r.config.queue).toEqual({ lockDuration: 30_000, stalledInterval: 30_000, maxStalledCount: 1 });
  });

  it.each([
    ['queue: { lockDuration: 1s }', 'queue.lockDuration (line 6): "1s" is shorter than 2s'],
    ['queue: { stalledInterval: 20s }', 'queue.stalledInterval (line 6): 20s is longer than lockDuration (8s)'],
    ['queue: { maxStalledCount: 0 }', 'queue.maxStalledCount'],
    ['queue: { lockTime: 5s }', 'queue'],
  ])('%s is refused with a message naming the key', (yaml, message) => {
    const r = parse(`${yaml}\n`);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map(formatProblem).join('\n')).toContain(message);
  });
});
