/** Plain-text part. Values are one-line already (view), so an API string cannot fake extra lines. */
import type { AlertView } from './view';

export const DISCLAIMER =
  'Positions come from public ADS-B feeds; they can be delayed, incomplete or wrong. Verify before acting.';
export const OPERATIONAL_FOOTER = 'This is an operational alert about flightwatch itself, not about an aircraft.';

/** "How sure: inferred — signal lost low and slow …" */
export function certaintyLine(v: AlertView): string | undefined {
  return v.certainty ? `${v.certainty.level} — ${v.certainty.reason}` : undefined;
}

/** One line per watch entry: "ice-air: why it is watched (source: …)". */
export function whyLines(v: AlertView): string[] {
  if (!v.why) return [];
  const out = v.why.entries.map(
    (e) => `${e.id}${e.note ? `: ${e.note}` : ''}${e.source ? ` (source: ${e.source})` : ''}`,
  );
  if (v.why.tags.length) out.push(`tags: ${v.why.tags.join(', ')}`);
  return out;
}

export function renderText(v: AlertView, opts: { map: boolean }): string {
  const rows = [...v.rows];
  const sure = certaintyLine(v);
  if (sure) rows.splice(0, 0, { label: 'How sure', value: sure });
  const width = Math.max(...rows.map((r) => r.label.length)) + 2;
  const out: string[] = [];
  if (v.synthetic) out.push('*** TEST ALERT: synthetic data, no aircraft was detected ***', '');
  out.push(v.headline, '='.repeat(Math.min(v.headline.length, 72)), '');
  if (v.summary) out.push(v.summary, '');
  for (const r of rows) out.push(`${`${r.label}:`.padEnd(width)}${r.value}`);
  if (v.legs?.length) {
    out.push('', 'The trip so far:');
    for (const l of v.legs)
      out.push(
        `  ${l.n}. ${l.from} → ${l.to}`,
        `     departed ${l.departed}, arrived ${l.arrived}${l.note ? ` (${l.note})` : ''}`,
      );
  }
  const why = whyLines(v);
  if (why.length) {
    out.push('', 'Why this aircraft is watched:');
    for (const w of why) out.push(`  ${w}`);
  }
  if (v.links.length) {
    out.push('', 'Check it on public maps (they open at the time of the event):');
    for (const l of v.links) out.push(`  ${`${l.label}:`.padEnd(17)}${l.href}`);
  }
  if (opts.map) out.push('', 'A map of the recent track is attached (map.png).');
  out.push(
    '',
    `Alert ${v.alertId}`,
    // The id to cite and to pass to `flightwatch evidence export` (docs/record.md); a test alert has no record.
    v.operational || v.synthetic ? `Event ${v.eventId}` : `Evidence id: ${v.eventId}`,
    '',
    `-- flightwatch. ${v.operational && !v.digest ? OPERATIONAL_FOOTER : DISCLAIMER}`,
    '',
  );
  return out.join('\n');
}
