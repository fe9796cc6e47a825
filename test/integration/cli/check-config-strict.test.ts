/** `flightwatch check-config [--strict]` as a process: unset env vars and budgets are warnings, errors under --strict. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../helpers/cli';

jest.setTimeout(60_000);

let tmp: string;
beforeAll(() => (tmp = mkdtempSync(join(tmpdir(), 'fw-strict-'))));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function write(schedule: string): string {
  const file = join(tmp, `c${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    file,
    [
      'sources:',
      '  - { id: lol, kind: readsb-v2, baseUrl: "https://api.adsb.lol", dailyRequestBudget: 1000 }',
      'poll:',
      `  schedule: "${schedule}"`,
      'watch:',
      '  - { id: tails, match: { hex: [acb2ba] }, source: test fixture }',
      'alerts:',
      '  channels:',
      '    - { id: tg, kind: telegram, chatId: "-100123", tokenEnv: FW_STRICT_TG_TOKEN }',
      '',
    ].join('\n'),
  );
  return file;
}

it('warns and exits 0 without --strict; errors, exit 2 and no "ok" with it', async () => {
  const file = write('*/5 * * * * *');
  const env = { FW_STRICT_TG_TOKEN: '' };
  const r = await runCli(['check-config', '--config', file], { env });
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/ok: 1 watch entries/);
  expect(r.stderr).toContain(
    'warning: alerts.channels[0].tokenEnv (tg): env FW_STRICT_TG_TOKEN is referenced by the config but not set',
  );
  expect(r.stderr).toMatch(/^warning: sources\[0\] \(lol\): 17,280 requests\/day .* exceeds the 1,000\/day/m);

  const strict = await runCli(['check-config', '--strict', '--config', file], { env });
  expect(strict.code).toBe(2);
  expect(strict.stdout).toBe('');
  expect(strict.stderr).toMatch(/^error: alerts\.channels\[0\]\.tokenEnv \(tg\): env FW_STRICT_TG_TOKEN/m);
  expect(strict.stderr).toMatch(/^error: sources\[0\] \(lol\): 17,280 requests\/day/m);
  expect(strict.stderr).toContain(`${file}: 2 problems under --strict`);
});

it('passes --strict when the variable is set and the schedule fits', async () => {
  const r = await runCli(['check-config', '--strict', '--config', write('*/2 * * * *')], {
    env: { FW_STRICT_TG_TOKEN: '123456:token-value' },
  });
  expect([r.code, r.stderr]).toEqual([0, '']);
  expect(r.stdout).toMatch(/ok: /);
});
