/** The report as Markdown: what the CLI prints by default and what chat digests are cut from. */
import type { Report } from '../archive/report/report';
import { change, headline, periodLabel, reportSections, type SectionOptions } from './sections';

/** Text from data inside a Markdown table cell: no pipes, no markup, one line. */
export function mdText(s: string): string {
  return s
    .replace(/[\r\n]+/g, ' ')
    .replace(/([\\`*_[\]<>|#!~])/g, '\\$1')
    .trim();
}

const rate = (n: number) => String(n);

export function renderReportMarkdown(r: Report, o: SectionOptions = {}): string {
  const out = [
    `# Flight report ${periodLabel(r)}`,
    '',
    `${r.period.from.slice(0, 10)} to ${r.period.to.slice(0, 10)} (UTC, by departure time), against the six weeks ` +
      `from ${r.prior.from.slice(0, 10)}.`,
    '',
    headline(r),
    '',
    `Rejected by a reviewer (not counted): ${r.rejected}. Not yet reviewed: ${r.unreviewed}.`,
    '',
  ];
  for (const s of reportSections(r, o)) {
    out.push(`## ${s.title}`, '', s.note, '');
    if (!s.rows.length) {
      out.push('None in this period.', '');
      continue;
    }
    const share = s.id === 'carriers';
    out.push(
      `| ${s.keyHeader} | Flights | Confirmed | Estimated | Reviewed |${share ? ' Share |' : ''} Per week | Prior per week | Change |`,
      `| --- | ---: | ---: | ---: | ---: |${share ? ' ---: |' : ''} ---: | ---: | ---: |`,
    );
    for (const x of s.rows)
      out.push(
        `| ${mdText(x.name)} | ${x.legs} | ${x.confirmed} | ${x.estimated} | ${x.reviewed} |` +
          `${share ? ` ${Math.round((x.share ?? 0) * 100)} % |` : ''} ${rate(x.perWeek)} | ${rate(x.priorPerWeek)} | ` +
          `${change(x.perWeek, x.priorPerWeek)} |`,
      );
    out.push('');
  }
  out.push('## Removals per week', '', '| Week from | Days | Removals | |', '| --- | ---: | ---: | --- |');
  for (const w of r.removalsPerWeek)
    out.push(`| ${w.from} | ${w.days} | ${w.legs} | ${w.prior ? 'six weeks before' : periodLabel(r)} |`);
  out.push('');
  return out.join('\n');
}
