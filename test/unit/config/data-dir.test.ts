/** Which data dir `flightwatch data update|status` uses, and that it agrees with the worker's config. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseDataDir, configDataDir, DataDirConfigError } from '../../../src/config/data-dir';

const configYaml = (dataDir?: string) =>
  [
    'sources:',
    '  - { id: rx, kind: receiver, url: "http://127.0.0.1:9/data/aircraft.json" }',
    'watch:',
    '  - id: jets',
    '    match: { types: [GLF5] }',
    ...(dataDir ? ['data:', `  dir: "${dataDir}"`] : []),
    '',
  ].join('\n');

describe('chooseDataDir', () => {
  let tmp: string;
  let good: string;
  let bad: string;
  let noDataKey: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'fw-datadir-'));
    good = join(tmp, 'good.yaml');
    writeFileSync(good, configYaml('/srv/flightwatch/data'));
    bad = join(tmp, 'bad.yaml');
    writeFileSync(bad, `${configYaml('/srv/elsewhere')}poll: { schedule: "every minute" }\n`);
    noDataKey = join(tmp, 'plain.yaml');
    writeFileSync(noDataKey, configYaml());
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('--dir wins over everything', () => {
    expect(
      chooseDataDir({ dir: 'mine', config: good }, { FLIGHTWATCH_DATA_DIR: 'env', FLIGHTWATCH_CONFIG: good }),
    ).toEqual({ dir: 'mine', from: '--dir' });
    // even over an invalid --config: nothing needs reading
    expect(chooseDataDir({ dir: 'mine', config: bad }, {})).toEqual({ dir: 'mine', from: '--dir' });
  });

  it('--config F: data.dir of F (its default "data" when F has no data key), before $FLIGHTWATCH_DATA_DIR', () => {
    expect(chooseDataDir({ config: good }, { FLIGHTWATCH_DATA_DIR: 'env' })).toEqual({
      dir: '/srv/flightwatch/data',
      from: `data.dir in ${good}`,
    });
    expect(chooseDataDir({ config: noDataKey }, {})).toEqual({ dir: 'data', from: `data.dir in ${noDataKey}` });
  });

  it('an explicit --config that is invalid or missing is an error naming the problem', () => {
    expect(() => chooseDataDir({ config: bad }, {})).toThrow(DataDirConfigError);
    expect(() => chooseDataDir({ config: bad }, {})).toThrow(
      /--config .*bad\.yaml: 1 problem\(s\) in .*bad\.yaml, first: poll\.schedule \(line \d+\): "every minute" is not a cron expression; fix it or pass --dir/,
    );
    expect(() => chooseDataDir({ config: join(tmp, 'nope.yaml') }, {})).toThrow(/nope\.yaml does not exist/);
  });

  it('without flags: $FLIGHTWATCH_DATA_DIR, then data.dir of the config the worker reads ($FLIGHTWATCH_CONFIG), then "data"', () => {
    expect(chooseDataDir({}, { FLIGHTWATCH_DATA_DIR: 'env', FLIGHTWATCH_CONFIG: good })).toEqual({
      dir: 'env',
      from: '$FLIGHTWATCH_DATA_DIR',
    });
    expect(chooseDataDir({}, { FLIGHTWATCH_CONFIG: good })).toEqual({
      dir: '/srv/flightwatch/data',
      from: `data.dir in ${good}`,
    });
    // no config file at all: the plain default, no warning
    expect(chooseDataDir({}, { FLIGHTWATCH_CONFIG: join(tmp, 'nope.yaml') })).toEqual({ dir: 'data', from: 'default' });
    // an invalid one is not trusted, and the user is told why
    const c = chooseDataDir({}, { FLIGHTWATCH_CONFIG: bad });
    expect(c).toMatchObject({ dir: 'data', from: 'default' });
    expect(c.warning).toMatch(/not using data\.dir from .*bad\.yaml: 1 problem\(s\).*poll\.schedule/);
  });

  it('configDataDir reports missing and invalid files apart', () => {
    expect(configDataDir(good)).toMatchObject({ ok: true, dir: '/srv/flightwatch/data' });
    expect(configDataDir(join(tmp, 'nope.yaml'))).toMatchObject({ ok: false, missing: true });
    expect(configDataDir(bad)).toMatchObject({ ok: false, missing: false });
  });
});
