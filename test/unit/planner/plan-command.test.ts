/** `flightwatch plan` end to end: real config loader, real source adapters from the registry, real budgets. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { loadConfig, parseConfigText } from '../../../src/config/load';
import { buildPlanReport, formatPlanReport, register } from '../../../src/cli/commands/plan';
import { closeSources, createSources } from '../../../src/sources/registry';
import type { Config } from '../../../src/config/schema';

const ROOT = resolve(__dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'fw-plan-'));

const parse = (yaml: string): Config => {
  const r = parseConfigText(yaml);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.config;
};
const report = (config: Config, env: NodeJS.ProcessEnv = {}) => {
  const sources = createSources(config.sources, { env });
  try {
    return buildPlanReport(config, sources, env);
  } finally {
    closeSources(sources);
  }
};

/** Runs the registered command in-process, capturing stdout/stderr and the exit code. */
async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const program = new Command().exitOverride();
  register(program);
  let out = '';
  let err = '';
  const [o, e, saved] = [process.stdout.write, process.stderr.write, process.exitCode];
  process.stdout.write = (s: string) => ((out += s), true);
  process.stderr.write = (s: string) => ((err += s), true);
  process.exitCode = undefined;
  try {
    await program.parseAsync(args, { from: 'user' });
    return { code: Number(process.exitCode ?? 0), out, err };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
    process.exitCode = saved;
  }
}

const ADSBLOL = `  - { id: adsblol, kind: readsb-v2, baseUrl: "https://api.adsb.lol" }\n`;

describe('flightwatch plan', () => {
  it('plans the shipped config within every budget, one request per list and per area', async () => {
    const file = join(ROOT, 'config/flightwatch.yaml');
    const config = loadConfig(file);
    const r = report(config);
    const enabled = config.sources.filter((s) => s.enabled);
    expect(r.sources.map((s) => s.sourceId)).toEqual(enabled.map((s) => s.id));
    const lol = r.sources.find((s) => s.sourceId === 'adsblol')!;
    // Every planned hex and type is requested, and every area polled once.
    const requested = (kind: string) => lol.requests.filter((q) => q.kind === kind);
    expect(requested('hex').reduce((k, q) => k + (q.values ?? 0), 0)).toBe(r.plan.hex.length);
    expect(requested('type')).toHaveLength(r.plan.types.length ? 1 : 0);
    expect(requested('point').map((q) => q.areaId)).toEqual(config.areas.map((a) => a.id));
    expect(lol.requestsPerDay).toBe(lol.requestsPerCycle * r.schedule.cyclesPerDay);
    expect(r.schedule.cyclesPerDay).toBe(2880);
    // The shipped config must fit: a warning here means the shipped file needs fixing.
    expect(r.warnings).toEqual([]);

    const res = await cli(['plan', '--config', file]);
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/schedule "\*\/30 \* \* \* \* \*": 2,880 cycles a day, 30 s apart at the closest/);
    expect(res.out).toMatch(/adsblol \(readsb-v2\), tried 1st/);
    expect(res.out).toContain(`/v2/type/${r.plan.types.join(',')}`);
    expect(res.out).toMatch(/budget: [\d,]+ of 86,400 requests\/day \(adsb\.lol 1 request\/s\)/);
    expect(res.out).toMatch(/note: provider adsbfi has no type endpoint/);
    expect(res.out).toMatch(/no warnings/);
  });

  it('--json prints one object with per-source requests, per-day figures and limits', async () => {
    const file = join(dir, 'json.yaml');
    writeFileSync(
      file,
      `sources:\n${ADSBLOL}poll: { schedule: "0 * * * * *" }\nwatch:\n  - { id: g, match: { types: [GLF5] } }\n`,
    );
    const res = await cli(['plan', '--config', file, '--json']);
    expect(res.code).toBe(0);
    const j = JSON.parse(res.out);
    expect(j.config).toBe(file);
    expect(j.schedule).toMatchObject({ expression: '0 * * * * *', cyclesPerDay: 1440, minIntervalS: 60 });
    expect(j.plan).toEqual({ hex: [], registrations: [], types: ['GLF5'], areas: [], needsLocalScan: false });
    expect(j.sources[0]).toMatchObject({
      sourceId: 'adsblol',
      requestsPerCycle: 1,
      requestsPerDay: 1440,
      requests: [{ kind: 'type', path: '/v2/type/GLF5', cost: 1, values: 1 }],
      limits: [{ what: 'requests', perDay: 86400, basis: 'adsb.lol 1 request/s' }],
    });
    expect(j.warnings).toEqual([]);
  });

  it('warns when a schedule is too fast for 1 request/s and when a prefix entry has no areas', () => {
    const config = parse(
      `sources:\n${ADSBLOL}poll: { schedule: "*/2 * * * * *" }\nwatch:\n` +
        `  - { id: known, match: { hex: [acb2ba], registrations: [N917XA] } }\n` +
        `  - { id: gulf, match: { types: [GLF5, GLF4] } }\n` +
        `  - { id: reg, match: { registrations: [N660CP] } }\n` +
        `  - { id: tail, match: { hex: [a2c4e0] } }\n` +
        `  - { id: globalx, match: { callsignPrefixes: [GXA] } }\n`,
    );
    const r = report(config);
    const lol = r.sources[0];
    // `known` rides on the hex query that `tail` needs anyway: no second lookup of N917XA.
    expect(lol.requests.map((q) => q.kind)).toEqual(['hex', 'reg', 'type']);
    expect(r.plan.hex).toEqual(['a2c4e0', 'acb2ba']);
    expect(r.plan.registrations).toEqual(['N660CP']);
    expect(r.warnings.some((w) => /"globalx" matches only on callsignPrefixes.*Add `areas:`/.test(w))).toBe(true);
    expect(r.warnings).toContain(
      'adsblol: 129,600 requests/day (3 per cycle × 43,200 cycles) exceeds the 86,400/day of adsb.lol 1 request/s; ' +
        'poll at most 28,800 times a day (every 3 s or slower)',
    );
    expect(r.warnings).toContain(
      'adsblol: 3 requests per cycle take 3 s at 1 request/s, longer than the 2 s between cycles; cycles will overlap or be skipped',
    );
    const text = formatPlanReport(r, 'x.yaml');
    expect(text).toMatch(/3 warnings:/);
    expect(text).toMatch(/warning: watch\[4\] "globalx"/);
    expect(text).toMatch(/= 150% {2}OVER/);
  });

  it('counts OpenSky credits per request cost against 400 anonymous credits', () => {
    const config = parse(
      `sources:\n  - { id: os, kind: opensky, bbox: { lamin: 21, lomin: -128, lamax: 50, lomax: -61 } }\n` +
        `poll: { schedule: "0 */5 * * * *" }\nwatch:\n  - { id: g, match: { types: [GLF5] } }\n`,
    );
    const r = report(config);
    const os = r.sources[0];
    expect(os.requests).toEqual([{ kind: 'all', path: '/states/all?lamin=21&lomin=-128&lamax=50&lomax=-61', cost: 4 }]);
    expect(os.costPerDay).toBe(4 * 288);
    expect(os.limits).toEqual([{ what: 'credits', perDay: 400, basis: 'OpenSky anonymous' }]);
    expect(r.warnings[0]).toMatch(
      /^os: 1,152 credits\/day \(4 per cycle × 288 cycles\) exceeds the 400\/day of OpenSky anonymous; poll at most 100 times a day \(every 864 s or slower\)$/,
    );
    expect(formatPlanReport(r, 'x.yaml')).toMatch(
      /budget: 1,152 of 400 credits\/day \(OpenSky anonymous\) = 288% {2}OVER/,
    );
  });

  it('batches a large hex list into requests that each stay within the list limit', () => {
    const hexes = Array.from({ length: 1500 }, (_, i) => (0xa00000 + i).toString(16));
    const config = parse(`sources:\n${ADSBLOL}watch:\n  - { id: many, match: { hex: [${hexes.join(',')}] } }\n`);
    const r = report(config);
    const hexReqs = r.sources[0].requests;
    expect(hexReqs.every((q) => q.kind === 'hex')).toBe(true);
    expect(hexReqs.reduce((k, q) => k + (q.values ?? 0), 0)).toBe(1500);
    for (const q of hexReqs) expect(q.path.replace('/v2/hex/', '').length).toBeLessThanOrEqual(1000);
    expect(hexReqs.length).toBe(Math.ceil(1500 / Math.floor(1001 / 7)));
    // 11 requests every 30 s fit the 1 request/s budget.
    expect(r.warnings).toEqual([]);
  });

  it('prints every config problem with its path and exits 2 on an invalid config', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, `sources:\n${ADSBLOL}watch:\n  - { id: x, match: { hex: [zz12] } }\n`);
    const res = await cli(['plan', '--config', file]);
    expect(res.code).toBe(2);
    expect(res.out).toBe('');
    expect(res.err).toContain('watch[0].match.hex[0] (line 4): "zz12" is not a 6-digit ICAO hex');
  });
});
