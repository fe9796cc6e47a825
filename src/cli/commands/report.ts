/**
 * `flightwatch report --period 2026-11|2026-W47 [--format md|csv|json|html] [--out FILE]`: the groups' report
 * of a month or ISO week, rendered. `export report --month/--week` prints through the same function.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { buildReport } from '../../archive/report/report';
import { parsePeriodLabel, type Period } from '../../archive/report/period';
import { isReportFormat, loadAirportNamer, renderReport, REPORT_FORMATS, type ReportFormat } from '../../reports';
import { CliInputError, openRecord, recordAction } from '../record-context';

export interface ReportOutput {
  period: Period;
  format: ReportFormat;
  out?: string;
  config?: string;
}

/** Builds the period's report from the archive and writes it to --out or standard output. */
export async function writeReport(o: ReportOutput): Promise<void> {
  const ctx = await openRecord(o);
  try {
    const report = await buildReport(ctx.db, o.period);
    const airports = await loadAirportNamer(ctx.dataDir, (m) => process.stderr.write(`${m}\n`));
    const text = renderReport(report, o.format, { airports });
    if (o.out) {
      writeFileSync(o.out, text);
      process.stderr.write(`wrote the ${report.period.label ?? ''} report (${o.format}) to ${o.out}\n`);
    } else process.stdout.write(text);
  } finally {
    await ctx.archive.close();
  }
}

export function formatOf(format: string): ReportFormat {
  if (!isReportFormat(format))
    throw new CliInputError(`--format "${format}" is not one of ${REPORT_FORMATS.join(', ')}`);
  return format;
}

export function register(program: Command): void {
  program
    .command('report')
    .description(
      'the report of a month or ISO week: removals by country, city, carrier and hub, transfers, returns, ' +
        'lateral flights, against the six weeks before',
    )
    .requiredOption('--period <period>', 'a month (YYYY-MM) or an ISO-8601 week (YYYY-Www), UTC')
    .option('--format <format>', REPORT_FORMATS.join(' | '), 'md')
    .option('--out <file>', 'write to a file instead of standard output')
    .option('--config <file>', 'config file (archive, classification rules, data dir)')
    .action(
      recordAction('report', async (o: { period: string; format: string; out?: string; config?: string }) => {
        const format = formatOf(o.format);
        await writeReport({ ...o, period: parsePeriodLabel(o.period, '--period'), format });
      }),
    );
}
