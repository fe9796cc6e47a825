/**
 * `flightwatch plan [--config F] [--json]`: what each source would request per cycle for this watchlist,
 * per day, and against which budget. Makes no network request. Exit 0 (warnings included), 2 for an invalid config.
 */
import type { Command } from 'commander';
import { missingEnv, resolveConfigPath } from '../../config/load';
import type { Config } from '../../config/schema';
import { planWatchlist, type EntryCoverage } from '../../ingest/planner';
import { scheduleStats, sourceBudget, type ScheduleStats, type SourceBudget } from '../../ingest/budget';
import { closeSources, createSources } from '../../sources/registry';
import type { PlannedRequest, Source, SourceQuery, WatchPlan } from '../../sources/source';
import { EXIT_INVALID_CONFIG, readConfigOrReport } from './check-config';

export interface PlanRequestView {
  kind: SourceQuery['kind'];
  path: string;
  cost: number;
  /** Values in a list query, or the area id of a point query. */
  values?: number;
  areaId?: string;
}

export interface SourcePlanView extends SourceBudget {
  /** 1-based position in the failover order. */
  order: number;
  requests: PlanRequestView[];
  /** What this source cannot serve of the plan (from the adapter), e.g. no type endpoint. */
  notes: string[];
}

export interface PlanReport {
  schedule: { expression: string } & ScheduleStats;
  plan: WatchPlan;
  coverage: EntryCoverage[];
  sources: SourcePlanView[];
  disabledSources: string[];
  /** Every warning: watchlist coverage, budgets, missing env. */
  warnings: string[];
}

type Plannable = Source & { planNotes?: (p: WatchPlan) => string[] };

const view = (r: PlannedRequest): PlanRequestView => {
  const q = r.query;
  return {
    kind: q.kind,
    path: r.path,
    cost: r.cost,
    ...('values' in q ? { values: q.values.length } : {}),
    ...(q.kind === 'point' ? { areaId: q.areaId } : {}),
  };
};

/** Pure given the sources: the planner's plan, each source's requests for it, and the budgets. */
export function buildPlanReport(
  config: Config,
  sources: readonly Source[],
  env: NodeJS.ProcessEnv = process.env,
): PlanReport {
  const { plan, coverage, warnings: planWarnings } = planWatchlist(config);
  const schedule = { expression: config.poll.schedule, ...scheduleStats(config.poll.schedule) };
  const views = sources.map((s, i): SourcePlanView => {
    const requests = s.requestsFor(plan);
    const notes = typeof (s as Plannable).planNotes === 'function' ? (s as Plannable).planNotes!(plan) : [];
    return { order: i + 1, ...sourceBudget(s.config, requests, schedule), requests: requests.map(view), notes };
  });
  const warnings = [
    ...planWarnings.map((w) => w.message),
    ...views.flatMap((v) => v.warnings),
    ...missingEnv(config, env).map((n) => `environment variable ${n} is referenced by the config but not set`),
  ];
  if (views.length === 0) warnings.push('no enabled source: nothing will be polled');
  return {
    schedule,
    plan,
    coverage,
    sources: views,
    disabledSources: config.sources.filter((s) => !s.enabled).map((s) => s.id),
    warnings,
  };
}

const n = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 1 });
const plural = (k: number, one: string, many = `${one}s`) => `${n(k)} ${k === 1 ? one : many}`;
const ordinal = (k: number) =>
  `${k}${k % 10 === 1 && k !== 11 ? 'st' : k % 10 === 2 && k !== 12 ? 'nd' : k % 10 === 3 && k !== 13 ? 'rd' : 'th'}`;
const MAX_PATH = 96;
const clip = (p: string) => (p.length > MAX_PATH ? `${p.slice(0, MAX_PATH - 1)}…` : p);
const listOf = (xs: string[], max = 8) =>
  xs.length > max ? `${xs.slice(0, max).join(', ')}, … (${xs.length})` : xs.join(', ');

function duration(s: number): string {
  if (s % 86400 === 0) return plural(s / 86400, 'day');
  if (s % 3600 === 0) return plural(s / 3600, 'hour');
  if (s % 60 === 0) return plural(s / 60, 'minute');
  return `${n(s)} s`;
}

export function formatPlanReport(r: PlanReport, file: string): string {
  const out: string[] = [];
  const sc = r.schedule;
  const days = [
    sc.daysOfWeek && `days of week ${sc.daysOfWeek.join(',')}`,
    sc.daysOfMonth && `days ${sc.daysOfMonth.join(',')}`,
    sc.months && `months ${sc.months.join(',')}`,
  ]
    .filter(Boolean)
    .join('; ');
  out.push(`${file}`);
  out.push(
    `schedule "${sc.expression}": ${plural(sc.cyclesPerDay, 'cycle')} a day${days ? ` (on ${days})` : ''}, ` +
      `${duration(sc.minIntervalS)} apart at the closest`,
  );
  const p = r.plan;
  const local = r.coverage.filter((c) => c.servedBy === 'local').map((c) => c.id);
  out.push(
    `watchlist: ${plural(r.coverage.length, 'enabled entry', 'enabled entries')} → ${plural(p.hex.length, 'hex', 'hexes')}, ` +
      `${plural(p.registrations.length, 'registration')}, ${plural(p.types.length, 'type')}` +
      `${p.types.length ? ` (${listOf(p.types)})` : ''}, ${plural(p.areas.length, 'area')}` +
      `${p.areas.length ? ` (${listOf(p.areas.map((a) => a.id))})` : ''}`,
  );
  out.push(
    local.length
      ? `matched locally only (no endpoint filters them): ${listOf(local)}`
      : 'every entry is served by a hex, registration or type query',
  );
  for (const s of r.sources) {
    out.push('');
    out.push(`${s.sourceId} (${s.kind}), tried ${ordinal(s.order)}`);
    out.push(
      `  per cycle: ${plural(s.requestsPerCycle, 'request')}` +
        (s.costPerCycle !== s.requestsPerCycle ? `, ${plural(s.costPerCycle, 'credit')}` : '') +
        `, ${n(s.secondsPerCycle)} s at ${n(s.requestsPerSecond)} request/s (cycles ${duration(sc.minIntervalS)} apart)`,
    );
    for (const q of s.requests) {
      const extra = q.areaId ?? (q.values !== undefined && q.values > 1 ? plural(q.values, 'value') : undefined);
      out.push(
        `    ${q.kind.padEnd(8)} ${clip(q.path)}${extra ? `  (${extra})` : ''}${q.cost !== 1 ? `  [${plural(q.cost, 'credit')}]` : ''}`,
      );
    }
    out.push(
      `  per day: ${plural(s.requestsPerDay, 'request')}` +
        (s.costPerDay !== s.requestsPerDay ? `, ${plural(s.costPerDay, 'credit')}` : ''),
    );
    if (s.limits.length === 0) out.push('  budget: none known (set dailyRequestBudget to check one)');
    for (const l of s.limits) {
      const used = l.what === 'credits' ? s.costPerDay : s.requestsPerDay;
      const pct = (100 * used) / l.perDay;
      out.push(
        `  budget: ${n(used)} of ${n(l.perDay)} ${l.what}/day (${l.basis}) = ${pct < 10 ? pct.toFixed(1) : Math.round(pct)}%${used > l.perDay ? '  OVER' : ''}`,
      );
    }
    for (const note of s.notes) out.push(`  note: ${note}`);
  }
  if (r.disabledSources.length) out.push('', `disabled sources: ${r.disabledSources.join(', ')}`);
  out.push('');
  if (r.warnings.length) {
    out.push(`${plural(r.warnings.length, 'warning')}:`);
    for (const w of r.warnings) out.push(`  warning: ${w}`);
  } else out.push('no warnings: every source fits its budget');
  return `${out.join('\n')}\n`;
}

export function register(program: Command): void {
  program
    .command('plan')
    .description('show the requests each source makes per cycle and per day for this watchlist, against its budget')
    .option('-c, --config <file>', 'config file (default: $FLIGHTWATCH_CONFIG or config/flightwatch.yaml)')
    .option('--json', 'print the plan as one JSON object')
    .action((opts: { config?: string; json?: boolean }) => {
      const file = resolveConfigPath(opts.config);
      const config = readConfigOrReport(file);
      if (!config) {
        process.exitCode = EXIT_INVALID_CONFIG;
        return;
      }
      // Building a source opens no connection; close() releases its keep-alive agent anyway.
      const sources = createSources(config.sources);
      try {
        const report = buildPlanReport(config, sources);
        process.stdout.write(
          opts.json ? `${JSON.stringify({ config: file, ...report }, null, 2)}\n` : formatPlanReport(report, file),
        );
      } finally {
        closeSources(sources);
      }
    });
}
