/** The log's format choice and the readable line: one line per entry, key fields, secrets masked in both modes. */
import { chooseLogFormat, formatPrettyLine } from '../../../src/util/log-format';
import { createLogger } from '../../../src/util/log';

function capture(env: NodeJS.ProcessEnv, destination: { isTTY?: boolean } = {}) {
  const lines: string[] = [];
  const log = createLogger({
    env,
    level: 'debug',
    destination: Object.assign(destination, { write: (s: string) => void lines.push(s) }),
  });
  return { log, lines };
}

describe('chooseLogFormat', () => {
  it('is pretty on a terminal and JSON elsewhere; LOG_FORMAT overrides both ways', () => {
    expect(chooseLogFormat({}, true)).toEqual({ format: 'pretty' });
    expect(chooseLogFormat({}, false)).toEqual({ format: 'json' });
    expect(chooseLogFormat({ LOG_FORMAT: 'json' }, true)).toEqual({ format: 'json' });
    expect(chooseLogFormat({ LOG_FORMAT: ' Pretty ' }, false)).toEqual({ format: 'pretty' });
  });

  it('names a bad LOG_FORMAT and falls back to the automatic choice', () => {
    const c = chooseLogFormat({ LOG_FORMAT: 'yaml' }, false);
    expect(c.format).toBe('json');
    expect(c.problem).toBe('LOG_FORMAT="yaml" is not json or pretty; using json');
  });
});

describe('formatPrettyLine', () => {
  const line = (o: Record<string, unknown>) =>
    JSON.stringify({
      level: 'info',
      time: '2026-12-02T07:14:53.123Z',
      pid: 1,
      hostname: 'h',
      name: 'flightwatch',
      ...o,
    });

  it('shows time, level, message and the fields, leaving out pid, hostname and name', () => {
    const out = formatPrettyLine(line({ msg: 'poll cycle', servedBy: 'adsblol', matched: 2, failed: [] }));
    expect(out).toBe('2026-12-02 07:14:53Z INFO  poll cycle  servedBy=adsblol matched=2 failed=[]');
  });

  it('keeps everything on one line: multi-line messages, quoted values, a stack reduced to its first frame', () => {
    const out = formatPrettyLine(
      line({
        level: 'fatal',
        msg: 'worker failed\nto start',
        err: 'boom at "x"',
        stack: 'Error: boom\n    at start (worker.ts:1:1)\n    at main (cli.ts:2:2)',
      }),
    );
    expect(out.split('\n')).toHaveLength(1);
    expect(out).toBe(
      '2026-12-02 07:14:53Z FATAL worker failed ⏎ to start  err="boom at \\"x\\"" stack="at start (worker.ts:1:1)"',
    );
  });

  it('bounds long values and colours the level only when asked', () => {
    const out = formatPrettyLine(line({ level: 'warn', msg: 'm', body: 'x'.repeat(500) }), { color: true });
    expect(out).toContain('\x1b[33mWARN \x1b[0m');
    expect(out.length).toBeLessThan(220);
    expect(out).toMatch(/body=x+…$/);
  });

  it('leaves out a field whose value the message already says in full', () => {
    const out = formatPrettyLine(
      line({ msg: 'archive: SQLite /srv/fw/archive.sqlite', archive: 'SQLite /srv/fw/archive.sqlite', save: 'no' }),
    );
    expect(out).toBe('2026-12-02 07:14:53Z INFO  archive: SQLite /srv/fw/archive.sqlite  save=no');
  });

  it('passes text that is not a JSON object through unchanged', () => {
    expect(formatPrettyLine('not json')).toBe('not json');
    expect(formatPrettyLine('[1,2]')).toBe('[1,2]');
  });
});

describe('createLogger formats', () => {
  const env = { HOOK_SECRET: 'whsec_s3cr3t-value', SMTP_URL: 'smtp://ops:pw-12345@mail.example.org' };

  it('writes readable lines when LOG_FORMAT=pretty, secrets masked', () => {
    const { log, lines } = capture({ ...env, LOG_FORMAT: 'pretty' });
    log.warn(
      { err: 'rejected whsec_s3cr3t-value', url: 'smtp://ops:pw-12345@mail.example.org' },
      'send failed pw-12345',
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ WARN {2}send failed \[redacted\] {2}err="rejected \[redacted\]"/,
    );
    expect(lines[0]).not.toMatch(/s3cr3t|pw-12345/);
    expect(lines[0].endsWith('\n')).toBe(true);
  });

  it('writes JSON when the destination is not a terminal, and pretty when it is', () => {
    const json = capture(env, { isTTY: false });
    json.log.info({ n: 1 }, 'hello');
    expect(JSON.parse(json.lines[0])).toMatchObject({ level: 'info', msg: 'hello', n: 1 });

    const tty = capture({ ...env, NO_COLOR: '1' }, { isTTY: true });
    tty.log.info({ n: 1 }, 'hello');
    expect(tty.lines[0]).toMatch(/ INFO {2}hello {2}n=1\n$/);
  });

  it('logs a bad LOG_FORMAT once, as a warning in the format it fell back to', () => {
    const { lines } = capture({ LOG_FORMAT: 'xml' });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({
      level: 'warn',
      msg: 'LOG_FORMAT="xml" is not json or pretty; using json',
    });
  });
});
