import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseConfigText, formatProblem, missingEnv } from '../../../src/config/load';
import { configJsonSchema } from '../../../src/config/json-schema';

const SHIPPED = resolve(__dirname, '../../../config/flightwatch.yaml');

const base = `
sources:
  - id: adsblol
    kind: readsb-v2
    baseUrl: https://api.adsb.lol
watch:
  - id: gulfstream-v
    match: { types: [GLF5] }
`;

function problems(text: string): string[] {
  const r = parseConfigText(text);
  if (r.ok) throw new Error('expected problems, config was valid');
  return r.problems.map(formatProblem);
}

describe('config loading', () => {
  it('accepts the shipped config and every watch entry carries provenance', () => {
    const r = parseConfigText(readFileSync(SHIPPED, 'utf8'));
    if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
    expect(r.config.sources.map((s) => s.id)).toEqual(['adsblol', 'adsbfi', 'airplaneslive']);
    for (const w of r.config.watch) {
      expect(w.note).toBeTruthy();
      expect(w.source).toBeTruthy();
      expect(w.added).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    const types = r.config.watch.flatMap((w) => w.match.types ?? []);
    expect(types).toContain('GLF5');
    const prefixes = r.config.watch.flatMap((w) => w.match.callsignPrefixes ?? []);
    expect(prefixes).toEqual(expect.arrayContaining(['GXA', 'BBQ', 'HWA', 'WAL', 'VXP', 'OAE']));
    const shenyang = r.config.destinations.find((d) => d.airports.includes('ZYTX'));
    expect(shenyang?.countries).toContain('CN');
  });

  it('applies defaults and normalizes codes', () => {
    const r = parseConfigText(
      `${base}    tags: [removal-charter]\n  - id: tails\n    match: { hex: [ACB2BA], registrations: [n917xa] }\n`,
    );
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.config.poll.schedule).toBe('*/30 * * * * *');
    expect(r.config.sources[0]).toMatchObject({ requestsPerSecond: 1, enabled: true });
    expect(r.config.watch[1].match).toEqual({ hex: ['acb2ba'], registrations: ['N917XA'] });
  });

  it('names the path, value and line of a bad hex', () => {
    const text = `${base}  - id: tails\n    match:\n      hex: [acb2ba, zz12]\n`;
    expect(problems(text)).toEqual(['watch[1].match.hex[1] (line 11): "zz12" is not a 6-digit ICAO hex']);
  });

  it('reports every problem at once, not just the first', () => {
    const text = `
sources:
  - id: Bad Id
    kind: readsb-v2
    baseUrl: not-a-url
  - id: sky
    kind: opensky
    clientIdEnv: OPENSKY_CLIENT_ID
poll: { schedule: "every minute" }
watch:
  - id: a
    match: {}
  - id: a
    match: { types: [GULFSTREAM5], callsignPattern: "GXA(" }
    colour: red
destinations:
  - id: cn
`;
    const p = problems(text).join('\n');
    expect(p).toContain('sources[0].id (line 3): "Bad Id" is not an id');
    expect(p).toMatch(/sources\[0\]\.baseUrl \(line 5\): /);
    expect(p).toContain('sources[1] (line 6): clientIdEnv and clientSecretEnv go together');
    expect(p).toContain('watch[0].match (line 12): needs at least one match key');
    expect(p).toContain('watch[1].id (line 13): "a" is already used by watch[0]');
    expect(p).toContain('watch[1].match.types[0] (line 14): "GULFSTREAM5" is not an ICAO type designator');
    expect(p).toMatch(/watch\[1\]\.match\.callsignPattern \(line 14\): "GXA\(" is not a valid regular expression/);
    expect(p).toMatch(/watch\[1\] \(line 13\): Unrecognized key: "colour"/);
    expect(p).toContain('destinations[0] (line 17): needs airports or countries');
  });

  it('rejects routes that name a watch id, tag or destination the config does not have', () => {
    const text = `${base}    tags: [removal-charter]
destinations:
  - id: shenyang
    airports: [ZYTX]
alerts:
  channels:
    - { id: partner, kind: outbox }
  routes:
    - match: { watch: [gulfstrem-v], tags: [removal-charter, removal-chartre], destinations: [shenyang, beijing] }
      channels: [partner]
`;
    expect(problems(text)).toEqual([
      'alerts.routes[0].match.watch[0] (line 17): "gulfstrem-v" is not a watch entry in this config',
      'alerts.routes[0].match.tags[1] (line 17): "removal-chartre" is not a watch entry tag in this config',
      'alerts.routes[0].match.destinations[1] (line 17): "beijing" is not a destination in this config',
    ]);
    expect(
      parseConfigText(
        text.replace('gulfstrem-v', 'gulfstream-v').replace(', removal-chartre', '').replace(', beijing', ''),
      ).ok,
    ).toBe(true);
  });

  it('rejects an invalid cron schedule with its path', () => {
    expect(problems(`${base}poll: { schedule: "61 * * * *" }\n`)).toEqual([
      'poll.schedule (line 9): "61 * * * *" is not a cron expression',
    ]);
  });

  it('reports YAML syntax errors with the line', () => {
    const p = problems('sources:\n  - id: a\n   kind: x\n');
    expect(p[0]).toMatch(/^\(file\) \(line \d\): YAML syntax: /);
  });

  it('reports duplicate YAML keys instead of silently keeping one', () => {
    expect(problems(`${base}poll: { schedule: "* * * * *" }\npoll: { schedule: "*/5 * * * *" }\n`)[0]).toMatch(
      /YAML syntax: .*[Uu]nique|duplicate/i,
    );
  });

  it('lists referenced env secrets that are not set', () => {
    const r = parseConfigText(
      `${base}  - id: b\n    match: { types: [GLF4] }\n`.replace(
        'baseUrl: https://api.adsb.lol',
        'baseUrl: https://adsbexchange-com1.p.rapidapi.com/v2\n    auth: { scheme: rapidapi, keyEnv: ADSBX_API_KEY }',
      ),
    );
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(missingEnv(r.config, {})).toEqual(['ADSBX_API_KEY']);
    expect(missingEnv(r.config, { ADSBX_API_KEY: 'k' })).toEqual([]);
  });

  it('keeps config/flightwatch.schema.json in step with the zod schema (run `npm run schema`)', () => {
    const committed = JSON.parse(readFileSync(resolve(__dirname, '../../../config/flightwatch.schema.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(configJsonSchema())));
  });
});

describe('the renamed trips key', () => {
  it('reads the old `routes:` key (and its `trips:` block) with one deprecation warning at its line', () => {
    const r = parseConfigText(`${base}routes:\n  trips: { maxGroundStopMinutes: 90 }\n  enRoute: { threshold: 0.7 }\n`);
    if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
    expect(r.config.trips.stitch.maxGroundStopMinutes).toBe(90);
    expect(r.config.trips.enRoute.threshold).toBe(0.7);
    expect(r.warnings.map(formatProblem)).toEqual([
      expect.stringMatching(/^routes \(line 10\): deprecated: `routes:` is now `trips:`/),
    ]);
  });

  it('reads `trips:` without a warning', () => {
    const r = parseConfigText(`${base}trips:\n  stitch: { maxGroundStopMinutes: 90 }\n`);
    if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
    expect(r.config.trips.stitch.maxGroundStopMinutes).toBe(90);
    expect(r.warnings).toEqual([]);
  });

  it('names a problem inside the old key by the path and line as written', () => {
    expect(problems(`${base}routes:\n  trips:\n    maxGroundStopMinutes: -1\n`)).toEqual([
      expect.stringMatching(/^routes\.trips\.maxGroundStopMinutes \(line 11\): /),
    ]);
  });

  it('refuses both keys at once instead of choosing one', () => {
    expect(problems(`${base}trips: {}\nroutes: {}\n`)).toEqual([expect.stringMatching(/^\(file\).*routes|^routes/)]);
  });
});
