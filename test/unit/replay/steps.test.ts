import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listInputFiles } from '../../../src/replay/input-files';
import { planInputs } from '../../../src/replay/plan';
import { replaySteps, type ReplayStep } from '../../../src/replay/steps';
import type { ReplayInputError } from '../../../src/replay/errors';
import { AIRPORTS, buildTrace, writeTrace } from './helpers/synthetic-trace';

const T0 = 1738300000;

describe('replay planning and time steps over traces', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fw-steps-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Three overlapping flights, written under names whose order is the reverse of their start times. */
  const writeThree = () => {
    mkdirSync(join(dir, 'b', 'deep'), { recursive: true });
    const specs = [
      { hex: 'a00003', file: join(dir, 'a', 'trace_full_a00003.json'), depart: T0 + 1200, gz: false },
      { hex: 'a00002', file: join(dir, 'b', 'deep', 'trace_full_a00002.json'), depart: T0 + 600, gz: true },
      { hex: 'a00001', file: join(dir, 'c.json'), depart: T0, gz: false },
    ];
    mkdirSync(join(dir, 'a'), { recursive: true });
    for (const s of specs)
      writeTrace(
        s.file,
        buildTrace({
          hex: s.hex,
          t: 'B738',
          stepS: 20,
          legs: [{ from: AIRPORTS.KHRL, to: AIRPORTS.KAEX, departS: s.depart, callsign: 'BBQ1' }],
        }),
        s.gz,
      );
    writeFileSync(join(dir, 'README.txt'), 'not an input');
    return specs;
  };

  const collect = (paths: string[], stepMs = 1000) => {
    const errors: ReplayInputError[] = [];
    const listed = listInputFiles(paths);
    const plan = planInputs(listed.files, 'auto');
    errors.push(...listed.errors, ...plan.errors);
    const steps: ReplayStep[] = [...replaySteps(plan.inputs, { stepMs }, { onFileError: (e) => errors.push(e) })];
    return { plan, steps, errors };
  };

  it('walks directories recursively, ignores non-captures, and orders files by start time', () => {
    const specs = writeThree();
    const { plan, errors } = collect([dir]);
    expect(errors).toEqual([]);
    expect(plan.inputs.map((i) => i.file)).toEqual([specs[2].file, specs[1].file, specs[0].file]);
    expect(plan.inputs.every((i) => i.format === 'readsb-trace')).toBe(true);
    expect(plan.inputs.map((i) => i.startMs)).toEqual([T0 * 1000, (T0 + 600) * 1000, (T0 + 1200) * 1000]);
  });

  it('merges rows of overlapping traces in time order without losing or duplicating any', () => {
    writeThree();
    const { steps } = collect([dir], 1000);
    const states = steps.flatMap((s) => s.states);
    const times = states.map((s) => s.observedAt);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const perHex = new Map<string, number>();
    for (const s of states) perHex.set(s.hex, (perHex.get(s.hex) ?? 0) + 1);
    // the three flights have identical profiles, so identical row counts
    const n = perHex.get('a00001')!;
    expect(n).toBeGreaterThan(50);
    expect([...perHex.entries()].sort()).toEqual([
      ['a00001', n],
      ['a00002', n],
      ['a00003', n],
    ]);
    // rows at the same second from different aircraft share a step; each step's clock is its latest row
    expect(steps.some((s) => s.states.length === 3)).toBe(true);
    for (const s of steps) expect(s.now).toBe(Math.max(...s.states.map((x) => x.observedAt)));
  });

  it('never puts two positions of one aircraft in a step, and respects the step window', () => {
    writeThree();
    const { steps } = collect([dir], 3_600_000);
    for (const s of steps) {
      const hexes = s.states.map((x) => x.hex);
      expect(new Set(hexes).size).toBe(hexes.length);
      const span = Math.max(...s.states.map((x) => x.observedAt)) - Math.min(...s.states.map((x) => x.observedAt));
      expect(span).toBeLessThan(3_600_000);
    }
    // a whole-hour window still splits at every repeat of an aircraft: rows are 20 s apart
    expect(Math.max(...steps.map((s) => s.states.length))).toBeLessThanOrEqual(3);
  });

  it('reports a corrupted file by name and row, skips it and replays the others', () => {
    const specs = writeThree();
    const bad = buildTrace({ hex: 'a00009', legs: [{ from: AIRPORTS.KHRL, to: AIRPORTS.KAEX, departS: T0 + 300 }] });
    (bad.trace as unknown[][])[7][1] = 'north';
    const badFile = writeTrace(join(dir, 'trace_full_a00009.json'), bad);
    writeFileSync(
      join(dir, 'truncated.json'),
      '{"icao":"a00008","timestamp":1738300000,"trace":[[0,1,2,"ground"],[1,1',
    );
    writeFileSync(join(dir, 'other.json'), '{"hello":"world"}');
    const { steps, errors } = collect([dir, join(dir, 'missing.json')]);
    const msgs = errors.map((e) => e.message).sort();
    expect(msgs).toEqual([
      expect.stringMatching(/missing\.json: cannot read: ENOENT/),
      expect.stringMatching(/other\.json: not a recognised format/),
      `${badFile} (trace[7]): lat "north" is not a latitude`,
      expect.stringMatching(/truncated\.json \(line 1, column \d+\): not valid JSON/),
    ]);
    const hexes = new Set(steps.flatMap((s) => s.states.map((x) => x.hex)));
    expect([...hexes].sort()).toEqual(specs.map((s) => s.hex).sort());
  });
});
