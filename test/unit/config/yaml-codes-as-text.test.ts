import { parseConfigText, formatProblem } from '../../../src/config/load';

const base = `
sources:
  - id: adsblol
    kind: readsb-v2
    baseUrl: https://api.adsb.lol
`;

function config(text: string) {
  const r = parseConfigText(text);
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r.config;
}

describe('hex and squawk lists read as text', () => {
  it('keeps unquoted 3946e4, 738043 and 0d070b as the hex codes written', () => {
    const c = config(`${base}watch:\n  - id: tails\n    match: { hex: [3946e4, 738043, 0d070b] }\n`);
    expect(c.watch[0]?.match.hex).toEqual(['3946e4', '738043', '0d070b']);
  });

  it('reads block lists and squawks with leading zeros as written', () => {
    const c = config(
      `${base}watch:\n  - id: tails\n    match:\n      hex:\n        - 3946e4\n        - 738043\n      squawks: [0700, 7500]\ndetect:\n  squawkCodes: [7700, 0700]\n`,
    );
    expect(c.watch[0]?.match.hex).toEqual(['3946e4', '738043']);
    expect(c.watch[0]?.match.squawks).toEqual(['0700', '7500']);
    expect(c.detect.squawkCodes).toEqual(['7700', '0700']);
  });

  it('still rejects a number that is not a hex code, naming it as written', () => {
    const r = parseConfigText(`${base}watch:\n  - id: tails\n    match: { hex: [12345] }\n`);
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.problems.map(formatProblem)).toEqual([
        'watch[0].match.hex[0] (line 8): "12345" is not a 6-digit ICAO hex',
      ]);
  });

  it('leaves other numbers numbers', () => {
    const c = config(`${base}watch:\n  - id: t\n    match: { hex: [3946e4] }\ndetect:\n  lowAltFt: 4000\n`);
    expect(c.detect.lowAltFt).toBe(4000);
  });
});
