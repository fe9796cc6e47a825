/** `--summary`: counts of events by type and by watch entry. */
import type { FlightEvent } from '../domain/event';

export class EventSummary {
  readonly byType = new Map<string, number>();
  readonly byWatch = new Map<string, Map<string, number>>();
  total = 0;

  add(events: readonly FlightEvent[]): void {
    for (const e of events) {
      this.total++;
      this.byType.set(e.type, (this.byType.get(e.type) ?? 0) + 1);
      for (const id of e.watch.ids) {
        let m = this.byWatch.get(id);
        if (!m) this.byWatch.set(id, (m = new Map<string, number>()));
        m.set(e.type, (m.get(e.type) ?? 0) + 1);
      }
    }
  }

  toJSON(): { total: number; byType: Record<string, number>; byWatch: Record<string, Record<string, number>> } {
    const sorted = (m: Map<string, number>) => Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)));
    return {
      total: this.total,
      byType: sorted(this.byType),
      byWatch: Object.fromEntries(
        [...this.byWatch].sort(([a], [b]) => a.localeCompare(b)).map(([id, m]) => [id, sorted(m)]),
      ),
    };
  }

  /** Human-readable table. */
  format(): string {
    const j = this.toJSON();
    const lines = [`events: ${j.total}`];
    lines.push('by type:');
    if (!this.byType.size) lines.push('  (none)');
    for (const [t, n] of Object.entries(j.byType)) lines.push(`  ${t.padEnd(12)} ${String(n).padStart(7)}`);
    lines.push('by watch entry:');
    if (!this.byWatch.size) lines.push('  (none)');
    for (const [id, m] of Object.entries(j.byWatch)) {
      const total = Object.values(m).reduce((a, b) => a + b, 0);
      lines.push(
        `  ${id.padEnd(24)} ${String(total).padStart(7)}  (${Object.entries(m)
          .map(([t, n]) => `${t} ${n}`)
          .join(', ')})`,
      );
    }
    return lines.join('\n') + '\n';
  }
}
