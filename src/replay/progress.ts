/**
 * A one-line progress bar for long replays, redrawn at most every `intervalMs`. Only ever drawn on a TTY
 * (the CLI checks `isTTY`), so piped output and logs stay clean.
 */
import type { ReplayProgress } from './runner';

export class ProgressBar {
  private last = -Infinity;
  private drawn = false;

  constructor(
    private readonly out: { write(s: string): unknown; columns?: number },
    private readonly intervalMs = 100,
    private readonly clock: () => number = Date.now,
  ) {}

  static render(p: ReplayProgress, width: number): string {
    const frac = p.filesTotal ? Math.min(1, p.filesStarted / p.filesTotal) : 0;
    const time = p.now ? new Date(p.now).toISOString().slice(0, 16).replace('T', ' ') + 'Z' : '';
    const tail = ` ${Math.round(frac * 100)}% ${p.filesStarted}/${p.filesTotal} files ${p.positions.toLocaleString('en')} positions ${time}`;
    // Fixed for a given terminal width, so the bar does not jump as the counters grow.
    const barW = Math.max(10, Math.min(30, width - 62));
    const full = Math.round(frac * barW);
    return `[${'#'.repeat(full)}${'.'.repeat(barW - full)}]${tail}`.slice(0, Math.max(0, width - 1));
  }

  update(p: ReplayProgress): void {
    const t = this.clock();
    if (t - this.last < this.intervalMs) return;
    this.last = t;
    this.out.write(`\r${ProgressBar.render(p, this.out.columns || 80)}\x1b[K`);
    this.drawn = true;
  }

  /** Clears the line so following output starts clean. */
  done(): void {
    if (this.drawn) this.out.write('\r\x1b[K');
    this.drawn = false;
  }
}
