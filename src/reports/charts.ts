/**
 * The report's charts as SVG strings, drawn on the server so the console works without JavaScript and an
 * e-mail can carry the same picture as a PNG. Pure functions of the report. Accessible: role="img" with a
 * <title> and a <desc> that says the numbers, and every bar labelled in text. No external font: a system
 * family list, which resvg resolves to the installed DejaVu Sans for e-mails.
 */
import type { Report } from '../archive/report/report';
import { escapeHtml as x, oneLine } from '../alerting/channels/render/sanitize';
import { periodLabel, reportSections } from './sections';
import type { SectionOptions } from './sections';

export interface Chart {
  svg: string;
  width: number;
  height: number;
  /** The chart's title and description as one text: alt text where the image goes (e-mail). */
  alt: string;
}

const FONT = 'DejaVu Sans, Arial, Helvetica, sans-serif';
const INK = '#1b2a33';
const MUTED = '#5b6770';
const NOW = '#1f4e79';
const BEFORE = '#a9b4bc';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const dayLabel = (iso: string) => `${MONTHS[Number(iso.slice(5, 7)) - 1] ?? ''} ${Number(iso.slice(8, 10))}`;

function frame(o: { id: string; width: number; height: number; title: string; desc: string; body: string }): Chart {
  const t = `${o.id}-title`;
  const d = `${o.id}-desc`;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${o.width}" height="${o.height}" viewBox="0 0 ${o.width} ${o.height}" ` +
    `role="img" aria-labelledby="${t} ${d}" font-family="${FONT}">` +
    `<title id="${t}">${x(o.title)}</title><desc id="${d}">${x(o.desc)}</desc>` +
    `<rect width="100%" height="100%" fill="#ffffff"/>` +
    `<text x="12" y="22" font-size="15" font-weight="bold" fill="${INK}">${x(o.title)}</text>${o.body}</svg>`;
  return { svg, width: o.width, height: o.height, alt: `${o.title}. ${o.desc}` };
}

/** A round ceiling for the axis (a power of ten times 1, 1.5, 2, … 8): bars fill most of the height. */
function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return ([1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((m) => m * p >= v) ?? 10) * p;
}

/** Removals per week: the period's weeks (dark) after the six weeks before (light), with the six-week average. */
export function weeklyRemovalsChart(r: Report, o: { id?: string } = {}): Chart {
  const weeks = r.removalsPerWeek;
  const width = 640;
  const height = 270;
  const left = 44;
  const right = 16;
  const top = 44;
  const bottom = 48;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const priorWeeks = weeks.filter((w) => w.prior);
  const avg = priorWeeks.length ? priorWeeks.reduce((s, w) => s + w.legs, 0) / priorWeeks.length : 0;
  const max = niceMax(Math.max(avg, ...weeks.map((w) => w.legs)) * 1.1);
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const step = weeks.length ? plotW / weeks.length : plotW;
  const bw = Math.max(4, step * 0.68);
  let body = '';
  for (const v of [0, max / 2, max])
    body +=
      `<line x1="${left}" x2="${width - right}" y1="${y(v)}" y2="${y(v)}" stroke="#e3e7ea"/>` +
      `<text x="${left - 6}" y="${y(v) + 4}" font-size="11" text-anchor="end" fill="${MUTED}">${Math.round(v)}</text>`;
  weeks.forEach((w, i) => {
    const cx = left + step * i + step / 2;
    const h = y(0) - y(w.legs);
    body +=
      `<rect x="${(cx - bw / 2).toFixed(1)}" y="${y(w.legs).toFixed(1)}" width="${bw.toFixed(1)}" height="${h.toFixed(1)}" ` +
      `fill="${w.prior ? BEFORE : NOW}"><title>${x(`week from ${w.from}: ${w.legs}`)}</title></rect>` +
      `<text x="${cx.toFixed(1)}" y="${(y(w.legs) - 4).toFixed(1)}" font-size="11" text-anchor="middle" fill="${INK}">${w.legs}</text>` +
      `<text x="${cx.toFixed(1)}" y="${height - bottom + 16}" font-size="10" text-anchor="middle" fill="${MUTED}">${x(dayLabel(w.from))}</text>` +
      (w.days < 7
        ? `<text x="${cx.toFixed(1)}" y="${height - bottom + 29}" font-size="10" text-anchor="middle" fill="${MUTED}">${w.days} d</text>`
        : '');
  });
  if (priorWeeks.length)
    body +=
      `<line x1="${left}" x2="${width - right}" y1="${y(avg).toFixed(1)}" y2="${y(avg).toFixed(1)}" stroke="#b5462e" ` +
      `stroke-width="1.5" stroke-dasharray="5 4"/>`;
  const lx = left;
  const ly = height - 10;
  body +=
    `<rect x="${lx}" y="${ly - 9}" width="10" height="10" fill="${BEFORE}"/>` +
    `<text x="${lx + 14}" y="${ly}" font-size="11" fill="${INK}">six weeks before</text>` +
    `<rect x="${lx + 130}" y="${ly - 9}" width="10" height="10" fill="${NOW}"/>` +
    `<text x="${lx + 144}" y="${ly}" font-size="11" fill="${INK}">${x(periodLabel(r))}</text>` +
    `<line x1="${lx + 240}" x2="${lx + 262}" y1="${ly - 4}" y2="${ly - 4}" stroke="#b5462e" stroke-width="1.5" stroke-dasharray="5 4"/>` +
    `<text x="${lx + 268}" y="${ly}" font-size="11" fill="${INK}">six-week average, ${Math.round(avg * 10) / 10} a week</text>`;
  const list = (ws: typeof weeks) =>
    ws.map((w) => `${dayLabel(w.from)}${w.days < 7 ? ` (${w.days} days)` : ''}: ${w.legs}`);
  const desc =
    `Removal flights per week. Six weeks before: ${list(priorWeeks).join(', ') || 'none'}; average ` +
    `${Math.round(avg * 10) / 10}. ${periodLabel(r)}: ${list(weeks.filter((w) => !w.prior)).join(', ') || 'none'}.`;
  return frame({
    id: o.id ?? 'chart-weekly',
    width,
    height,
    title: `Removals per week, ${periodLabel(r)}, against the six weeks before`,
    desc,
    body,
  });
}

/** Horizontal bars, most first, at most `limit` rows (the rest summed as "others"). */
export function barChart(o: {
  id: string;
  title: string;
  rows: readonly { name: string; value: number }[];
  unit: string;
  limit?: number;
}): Chart {
  const limit = o.limit ?? 8;
  const shown = o.rows.slice(0, limit).map((r) => ({ name: oneLine(r.name, 40), value: r.value }));
  const rest = o.rows.slice(limit).reduce((s, r) => s + r.value, 0);
  if (rest > 0) shown.push({ name: `${o.rows.length - limit} others`, value: rest });
  const width = 640;
  const rowH = 26;
  const top = 40;
  const labelW = 250;
  const height = top + Math.max(1, shown.length) * rowH + 12;
  const max = Math.max(1, ...shown.map((r) => r.value));
  const barMax = width - labelW - 70;
  let body = '';
  shown.forEach((r, i) => {
    const yy = top + i * rowH;
    const w = Math.max(r.value > 0 ? 2 : 0, (r.value / max) * barMax);
    body +=
      `<text x="${labelW - 8}" y="${yy + 16}" font-size="12" text-anchor="end" fill="${INK}">${x(r.name)}</text>` +
      `<rect x="${labelW}" y="${yy + 4}" width="${w.toFixed(1)}" height="${rowH - 9}" fill="${NOW}"/>` +
      `<text x="${(labelW + w + 6).toFixed(1)}" y="${yy + 16}" font-size="12" fill="${INK}">${r.value}</text>`;
  });
  if (!shown.length) body += `<text x="12" y="${top + 16}" font-size="12" fill="${MUTED}">None in this period.</text>`;
  const desc = shown.length ? shown.map((r) => `${r.name}: ${r.value} ${o.unit}`).join('; ') : 'None in this period.';
  return frame({ id: o.id, width, height, title: o.title, desc: `${desc}.`, body });
}

/** The report's three charts: weekly removals, countries of return, carriers. */
export function reportCharts(
  r: Report,
  o: SectionOptions & { idPrefix?: string } = {},
): { weekly: Chart; countries?: Chart; carriers?: Chart } {
  const p = o.idPrefix ?? 'chart';
  const sections = reportSections(r, o);
  const rows = (id: string) =>
    (sections.find((s) => s.id === id)?.rows ?? []).map((row) => ({ name: row.name, value: row.legs }));
  const has = (id: string) => sections.some((s) => s.id === id);
  return {
    weekly: weeklyRemovalsChart(r, { id: `${p}-weekly` }),
    ...(has('countries')
      ? {
          countries: barChart({
            id: `${p}-countries`,
            title: `Removals by country of return, ${periodLabel(r)}`,
            rows: rows('countries'),
            unit: 'flights',
          }),
        }
      : {}),
    ...(has('carriers')
      ? {
          carriers: barChart({
            id: `${p}-carriers`,
            title: `Removals by carrier, ${periodLabel(r)}`,
            rows: rows('carriers'),
            unit: 'flights',
          }),
        }
      : {}),
  };
}
