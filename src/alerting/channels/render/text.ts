/** Plain-text part. Values are one-line already (view), so an API string cannot fake extra lines. */
import type { AlertView } from './view';

export const DISCLAIMER =
  'Positions come from public ADS-B feeds; they can be delayed, incomplete or wrong. Verify before acting.';
export const OPERATIONAL_FOOTER = 'This is an operational alert about flightwatch itself, not about an aircraft.';

export function renderText(v: AlertView, opts: { map: boolean }): string {
  const width = Math.max(...v.rows.map((r) => r.label.length)) + 2;
  const out: string[] = [];
  if (v.synthetic) out.push('*** TEST ALERT: synthetic data, no aircraft was detected ***', '');
  out.push(v.headline, '='.repeat(Math.min(v.headline.length, 72)), '');
  if (v.summary) out.push(v.summary, '');
  for (const r of v.rows) out.push(`${`${r.label}:`.padEnd(width)}${r.value}`);
  if (v.links.length) {
    out.push('', 'The aircraft on public maps:');
    for (const l of v.links) out.push(`  ${`${l.label}:`.padEnd(17)}${l.href}`);
  }
  if (opts.map) out.push('', 'A map of the recent track is attached (map.png).');
  out.push(
    '',
    `Alert ${v.alertId}`,
    `Event ${v.eventId}`,
    '',
    `-- flightwatch. ${v.operational ? OPERATIONAL_FOOTER : DISCLAIMER}`,
    '',
  );
  return out.join('\n');
}
