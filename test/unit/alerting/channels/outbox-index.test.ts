/** Outbox file names (readable, safe, bounded, unique per alert) and the index built from them. */
import { INDEX_MAX_ROWS, indexRows, outboxStem, renderIndex } from '../../../../src/alerting/channels/outbox-index';
import { channelDisabledAlert, landingAlert } from './fixture';

describe('outboxStem', () => {
  it('reads as time, event, aircraft and a hash of the alert id', () => {
    expect(outboxStem(landingAlert('outbox'))).toMatch(/^2026-11-27T19-02-00Z_landing_N917XA_[0-9a-f]{10}$/);
    expect(outboxStem(channelDisabledAlert('outbox'))).toMatch(
      /^2026-11-27T19-05-00Z_operational-channel-disabled_[0-9a-f]{10}$/,
    );
  });

  it('is the same for the same alert and differs for another alert id', () => {
    expect(outboxStem(landingAlert('a'))).toBe(outboxStem(landingAlert('a')));
    expect(outboxStem(landingAlert('a'))).not.toBe(outboxStem(landingAlert('b')));
  });

  it('keeps hostile, long or missing values filesystem-safe and bounded', () => {
    const a = landingAlert('x');
    a.event.aircraft = { hex: 'ab12cd', registration: `../..\\C:/${'Ü'.repeat(300)}<script>\u0000` };
    a.event.time = 'not a time';
    const stem = outboxStem(a);
    expect(stem).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(stem.length).toBeLessThanOrEqual(90);
    expect(stem.startsWith('0000-00-00T00-00-00Z_landing_C-script_')).toBe(true);
    a.event.aircraft = { hex: 'ab12cd' };
    expect(outboxStem(a)).toContain('_landing_ab12cd_');
  });
});

describe('indexRows and renderIndex', () => {
  const stem = (minute: number, who = 'N917XA') =>
    `2026-11-27T19-${String(minute).padStart(2, '0')}-00Z_landing_${who}_0123456789`;

  it('lists complete pairs only, newest first, ignoring other files', () => {
    const files = [
      `${stem(1)}.eml`,
      `${stem(1)}.json`,
      `${stem(3)}.json`, // half-written: no .eml yet
      `${stem(2, 'N1')}.eml`,
      `${stem(2, 'N1')}.json`,
      'ab12cd=3Alanding=3A20261127T1900=3Aoutbox.json',
      'index.html',
      '.x.json.1.tmp',
    ];
    expect(indexRows(files)).toEqual([
      { stem: stem(2, 'N1'), time: '2026-11-27 19:02:00 UTC', what: 'landing', who: 'N1' },
      { stem: stem(1), time: '2026-11-27 19:01:00 UTC', what: 'landing', who: 'N917XA' },
    ]);
  });

  it(`shows at most ${INDEX_MAX_ROWS} rows and says how many more the folder holds`, () => {
    const rows = Array.from({ length: INDEX_MAX_ROWS + 5 }, (_, i) => ({
      stem: `s${i}`,
      time: 't',
      what: 'seen',
    }));
    const html = renderIndex(rows, new Date('2026-12-02T07:00:00Z'));
    expect(html.match(/<tr><td>/g)).toHaveLength(INDEX_MAX_ROWS);
    expect(html).toContain('5 older alerts are in this folder but not listed here.');
    expect(html).toContain(`${INDEX_MAX_ROWS + 5} alerts, newest first`);
    expect(html).not.toMatch(/<script/i);
  });
});
