/** check-config's extra checks: env vars the config names but the env lacks, and poll plans over a source's budget. */
import { parseConfigText } from '../../../src/config/load';
import type { Config } from '../../../src/config/schema';
import { budgetProblems, missingEnvProblems } from '../../../src/cli/commands/check-config';

function config(text: string): Config {
  const r = parseConfigText(text);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.config;
}

const SOURCES = [
  'sources:',
  '  - { id: lol, kind: readsb-v2, baseUrl: "https://api.adsb.lol", dailyRequestBudget: 1000 }',
  '  - id: ex',
  '    kind: readsb-v2',
  '    baseUrl: "https://adsbexchange-com1.p.rapidapi.com/v2"',
  '    auth: { scheme: rapidapi, keyEnv: ADSBX_KEY }',
  '  - { id: sky, kind: opensky, enabled: false, clientIdEnv: SKY_ID, clientSecretEnv: SKY_SECRET }',
];
const WATCH = ['watch:', '  - { id: tails, match: { hex: [acb2ba] } }'];

describe('missingEnvProblems', () => {
  const c = config(
    [
      ...SOURCES,
      ...WATCH,
      'alerts:',
      '  channels:',
      '    - { id: mail, kind: email, to: [ops@example.org] }',
      '    - { id: tg, kind: telegram, chatId: "-100123", tokenEnv: TG_TOKEN }',
      '',
    ].join('\n'),
  );

  it('names each unset variable with the path and the source or channel that reads it', () => {
    expect(missingEnvProblems(c, {})).toEqual([
      'sources[1].auth.keyEnv (ex): env ADSBX_KEY is referenced by the config but not set',
      'alerts.channels[0].smtpUrlEnv (mail): env SMTP_URL is referenced by the config but not set',
      'alerts.channels[1].tokenEnv (tg): env TG_TOKEN is referenced by the config but not set',
    ]);
  });

  it('counts a blank value as unset, and skips disabled sources', () => {
    const env = { ADSBX_KEY: 'k-1234', SMTP_URL: '  ', TG_TOKEN: '123:abc' };
    expect(missingEnvProblems(c, env)).toEqual([
      'alerts.channels[0].smtpUrlEnv (mail): env SMTP_URL is referenced by the config but not set',
    ]);
    expect(missingEnvProblems(c, { ...env, SMTP_URL: 'smtp://127.0.0.1:25' })).toEqual([]);
  });
});

describe('budgetProblems', () => {
  it('names a source whose daily budget the schedule exceeds, with the interval that would fit', () => {
    const c = config([...SOURCES, 'poll:', '  schedule: "*/5 * * * * *"', ...WATCH, ''].join('\n'));
    expect(budgetProblems(c)).toEqual([
      'sources[0] (lol): 17,280 requests/day (1 per cycle × 17,280 cycles) exceeds the 1,000/day of ' +
        'dailyRequestBudget; poll at most 1,000 times a day (every 87 s or slower)',
    ]);
  });

  it('is empty when every enabled source fits', () => {
    const c = config([...SOURCES, 'poll:', '  schedule: "*/2 * * * *"', ...WATCH, ''].join('\n'));
    expect(budgetProblems(c)).toEqual([]);
  });
});
