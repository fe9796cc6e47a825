/** `npm run demo` end to end: exit 0, the generated flight's alerts as .eml and verified webhook files. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { simpleParser } from 'mailparser';
import { REPO } from '../../helpers/cli';

jest.setTimeout(90_000);

it('replays the generated KAEX → PANC → ZYTX Gulfstream V through embedded Redis, SMTP and a webhook receiver', async () => {
  const outDir = mkdtempSync(join(tmpdir(), 'fw-demo-'));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, DEMO_OUT: outDir };
    delete env.REDIS_URL;
    const r = spawnSync(process.execPath, ['--require', 'tsx/cjs', resolve(REPO, 'scripts/demo.ts')], {
      cwd: REPO,
      env,
      encoding: 'utf8',
      timeout: 80_000,
    });
    expect(r.stderr).not.toMatch(/demo failed/);
    expect(r.status).toBe(0);
    // Every alert delivered (the detector may add route events such as trips; the six below are the core).
    const [, delivered, total] = /Delivered (\d+) of (\d+) alerts/.exec(r.stdout) ?? [];
    expect(Number(delivered)).toBeGreaterThanOrEqual(11);
    expect(delivered).toBe(total);

    const emails = readdirSync(join(outDir, 'email')).sort();
    expect(emails.length).toBeGreaterThanOrEqual(6);
    // Subjects are plain words with non-ASCII (an em dash): RFC 2047 encoded, so parse them.
    const subjects = await Promise.all(
      emails.map(async (f) => (await simpleParser(readFileSync(join(outDir, 'email', f)))).subject),
    );
    expect(
      subjects.some((s) => /Gulfstream V N0DEMO landed at .*\(ZYTX\), China, a watched destination/.test(s ?? '')),
    ).toBe(true);
    expect(subjects.some((s) => /Gulfstream V N0DEMO landed at .*\(PANC\), United States/.test(s ?? ''))).toBe(true);

    const hooks = readdirSync(join(outDir, 'webhook')).map((f) =>
      JSON.parse(readFileSync(join(outDir, 'webhook', f), 'utf8')),
    );
    expect(hooks.every((h) => h.verified === true)).toBe(true);
    // `seen` is routed to e-mail only; takeoff, landing and destination also go to the webhook.
    const types = hooks.map((h) => h.payload.type);
    expect(types).not.toContain('flightwatch.seen');
    expect(types.filter((t) => t === 'flightwatch.takeoff')).toHaveLength(2);
    expect(types.filter((t) => t === 'flightwatch.landing')).toHaveLength(2);
    expect(types.filter((t) => t === 'flightwatch.destination')).toHaveLength(1);
    for (const f of [...emails.map((e) => join('email', e)), 'events.ndjson']) expect(r.stdout).toContain(f);
    expect(existsSync(join(outDir, 'flight', 'trace_full_adfd5d.json'))).toBe(true);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
});
