/**
 * OpenSky /states credits (openskynetwork/opensky-api docs/free/rest.rst): a daily bucket per account
 * (400 anonymous, 4,000 standard user, 8,000 active feeder) and a cost per /states/all call by bounding-box
 * area in square degrees: ≤25 → 1, 25–100 → 2, 100–400 → 3, >400 or global → 4. The server's
 * X-Rate-Limit-Remaining header, when present, is the truth; our own count covers calls in between.
 */
export interface BBox {
  lamin: number;
  lomin: number;
  lamax: number;
  lomax: number;
}

export const ANONYMOUS_DAILY_CREDITS = 400;
export const USER_DAILY_CREDITS = 4000;
/** The table names only bbox areas (and sensor serials): a request without a bbox is priced as global. */
export const GLOBAL_COST = 4;

export const bboxAreaSqDeg = (b: BBox) => Math.abs(b.lamax - b.lamin) * Math.abs(b.lomax - b.lomin);

export function statesCost(bbox?: BBox): number {
  if (!bbox) return GLOBAL_COST;
  const area = bboxAreaSqDeg(bbox);
  if (area <= 25) return 1;
  if (area <= 100) return 2;
  if (area <= 400) return 3;
  return GLOBAL_COST;
}

const utcDay = (t: number) => new Date(t).toISOString().slice(0, 10);

/** Start of the next UTC day (epoch ms). */
export function nextUtcMidnight(t: number): number {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
}

export interface CreditSnapshot {
  day: string;
  daily: number;
  spent: number;
  remaining: number;
  /** Last X-Rate-Limit-Remaining seen today, if any. */
  serverRemaining?: number;
}

export class CreditLedger {
  private day = '';
  private spent = 0;
  private serverRemaining?: number;
  private spentSinceServer = 0;

  constructor(readonly daily: number) {}

  private roll(now: number) {
    const d = utcDay(now);
    if (d !== this.day) {
      this.day = d;
      this.spent = 0;
      this.serverRemaining = undefined;
      this.spentSinceServer = 0;
    }
  }

  remaining(now: number): number {
    this.roll(now);
    const ours = this.daily - this.spent;
    const theirs = this.serverRemaining === undefined ? Infinity : this.serverRemaining - this.spentSinceServer;
    return Math.max(0, Math.min(ours, theirs));
  }

  charge(cost: number, now: number): void {
    this.roll(now);
    this.spent += cost;
    this.spentSinceServer += cost;
  }

  /** X-Rate-Limit-Remaining from a reply (already net of that reply's own cost). */
  observeRemaining(value: string | undefined, now: number): void {
    if (value === undefined) return;
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) return;
    this.roll(now);
    this.serverRemaining = n;
    this.spentSinceServer = 0;
  }

  snapshot(now: number): CreditSnapshot {
    return {
      day: (this.roll(now), this.day),
      daily: this.daily,
      spent: this.spent,
      remaining: this.remaining(now),
      serverRemaining: this.serverRemaining,
    };
  }
}
