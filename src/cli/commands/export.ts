/**
 * `flightwatch export legs --from --to --format csv|json|geojson [--out FILE]`: one row per leg, columns in
 * docs/record.md; `export report --month YYYY-MM|--week YYYY-Www [--json]`: the groups' report, printed as `flightwatch report` does.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import type { Command } from 'commander';
import { EXPORT_FORMATS, WRITERS, type ExportFormat } from '../../archive/export/format';
import { forEachExportedLeg } from '../../archive/export/legs';
import { writeReport } from './report';
import { monthPeriod, PeriodError, weekPeriod, type Period } from '../../archive/report/period';
import { CliInputError, openRecord, recordAction } from '../record-context';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** --from/--to: a date (UTC; --to includes that whole day) or an ISO time (--to exclusive). */
/** Exactly one of --month and --week. */
export function reportPeriod(o: { month?: string; week?: string }): Period {
  if ((o.month === undefined) === (o.week === undefined))
    throw new PeriodError('give one of --month YYYY-MM or --week YYYY-Www');
  return o.month !== undefined ? monthPeriod(o.month) : weekPeriod(o.week!);
}

export function parsePeriod(from: string, to: string): Period {
  const at = (flag: string, v: string, endOfDay: boolean) => {
    const ms = Date.parse(DATE_ONLY.test(v) ? `${v}T00:00:00Z` : v);
    if (!Number.isFinite(ms)) throw new CliInputError(`${flag} "${v}" is not a date (YYYY-MM-DD) or ISO-8601 time`);
    return new Date(DATE_ONLY.test(v) && endOfDay ? ms + 86_400_000 : ms).toISOString();
  };
  const p = { from: at('--from', from, false), to: at('--to', to, true) };
  if (p.from >= p.to) throw new CliInputError(`--from ${from} is not before --to ${to}`);
  return p;
}

async function write(out: NodeJS.WritableStream, text: string): Promise<void> {
  if (!out.write(text)) await new Promise<void>((r) => out.once('drain', () => r()));
}

export function register(program: Command): void {
  const cmd = program.command('export').description('export the flight record for research and reports');
  cmd
    .command('legs')
    .description('one row per leg departing in [--from, --to]: airports, times, category, review, evidence id')
    .requiredOption('--from <date>', 'first day (YYYY-MM-DD, UTC) or ISO time')
    .requiredOption('--to <date>', 'last day, included (YYYY-MM-DD, UTC), or ISO time (excluded)')
    .option('--format <format>', `${EXPORT_FORMATS.join(' | ')}`, 'csv')
    .option('--out <file>', 'write to a file instead of standard output')
    .option('--config <file>', 'config file (archive, classification rules)')
    .action(
      recordAction('export', async (o: { from: string; to: string; format: string; out?: string; config?: string }) => {
        if (!(EXPORT_FORMATS as readonly string[]).includes(o.format))
          throw new CliInputError(`--format "${o.format}" is not one of ${EXPORT_FORMATS.join(', ')}`);
        const period = parsePeriod(o.from, o.to);
        const w = WRITERS[o.format as ExportFormat];
        const ctx = await openRecord(o);
        const out = o.out ? createWriteStream(o.out) : process.stdout;
        try {
          await write(out, w.head());
          let first = true;
          const n = await forEachExportedLeg(ctx.db, period, async (legs) => {
            for (const leg of legs) {
              await write(out, w.row(leg, first));
              first = false;
            }
          });
          await write(out, w.tail());
          if (o.out) process.stderr.write(`wrote ${n} legs to ${o.out}\n`);
        } finally {
          if (o.out) await new Promise((r) => (out as WriteStream).end(() => r(undefined)));
          await ctx.archive.close();
        }
      }),
    );
  cmd
    .command('report')
    .description('the report of a month or week (as `flightwatch report`, in Markdown or --json)')
    .option('--month <YYYY-MM>', 'calendar month, UTC')
    .option('--week <YYYY-Www>', 'ISO-8601 week, UTC (Monday to Monday), e.g. 2026-W48')
    .option('--json', 'print JSON')
    .option('--config <file>', 'config file (archive, classification rules)')
    .action(
      recordAction('export', async (o: { month?: string; week?: string; json?: boolean; config?: string }) =>
        writeReport({
          period: reportPeriod(o),
          format: o.json ? 'json' : 'md',
          ...(o.config ? { config: o.config } : {}),
        }),
      ),
    );
}
