/**
 * `reports:` — scheduled report digests (docs/config.md, "reports"): the report of the last complete week or
 * month sent through alert channels. `at` is read in `timezone`; the period reported is the UTC week or month
 * that ended before the send time. Which channels get it is named here, not by alert routes (routes are about
 * aircraft).
 */
import { z } from 'zod';

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

const validZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

export const digestSchema = z
  .strictObject({
    /** Names the digest in logs and in its once-per-period key; default `<every>-<index>`. */
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]*$/i, 'letters, digits, - and _')
      .optional(),
    every: z.enum(['weekly', 'monthly']),
    /** weekly: "mon 07:00" (day and time); monthly: "1 07:00" (day of the month, 1–28, and time). */
    at: z.string().default('mon 07:00'),
    timezone: z.string().refine(validZone, 'not an IANA time zone (e.g. Europe/Berlin)').default('UTC'),
    channels: z.array(z.string().min(1)).min(1, 'a digest needs at least one channel'),
  })
  .superRefine((d, ctx) => {
    if (!digestCron(d))
      ctx.addIssue({
        code: 'custom',
        path: ['at'],
        message:
          d.every === 'weekly'
            ? `"${d.at}" is not a day and time like "mon 07:00"`
            : `"${d.at}" is not a day of the month (1–28) and time like "1 07:00"`,
      });
  });

export const reportsSchema = z
  .strictObject({
    digests: z.array(digestSchema).default([]),
  })
  .prefault({});

export type DigestConfig = z.output<typeof digestSchema>;
export type ReportsConfig = z.output<typeof reportsSchema>;

/** The node-cron expression (minute hour day month weekday) of a digest's `at`, or undefined when invalid. */
export function digestCron(d: { every: 'weekly' | 'monthly'; at: string }): string | undefined {
  const m = /^\s*(\w+)\s+(\d{1,2}):(\d{2})\s*$/.exec(d.at);
  if (!m) return undefined;
  const [day = '', hh = '', mm = ''] = [m[1], m[2], m[3]];
  const hour = Number(hh);
  const minute = Number(mm);
  if (hour > 23 || minute > 59) return undefined;
  if (d.every === 'weekly') {
    const wd = (WEEKDAYS as readonly string[]).indexOf(day.toLowerCase().slice(0, 3));
    return wd < 0 || day.length > 9 ? undefined : `${minute} ${hour} * * ${wd}`;
  }
  const dom = Number(day);
  return Number.isInteger(dom) && dom >= 1 && dom <= 28 ? `${minute} ${hour} ${dom} * *` : undefined;
}
