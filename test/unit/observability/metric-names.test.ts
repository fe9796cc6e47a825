/**
 * Every metric the worker exposes follows the Prometheus naming rules, checked the way `promtool check
 * metrics` does (in JS, on the real registry's exposition): valid characters, snake_case, one
 * `flightwatch_` prefix and no doubled word, counters end in `_total` and nothing else does, base units
 * (seconds, bytes) rather than milliseconds or kilobytes, no reserved suffixes on gauges, HELP on each.
 */
import { createMetrics } from '../../../src/observability/metrics';
import { SourceFreshness } from '../../../src/observability/freshness';

interface Family {
  name: string;
  type: string;
  help?: string;
}

function families(text: string): Family[] {
  const out = new Map<string, Family>();
  for (const line of text.split('\n')) {
    const m = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (!m) continue;
    const f = out.get(m[2]) ?? { name: m[2], type: 'untyped' };
    if (m[1] === 'TYPE') f.type = m[3];
    else f.help = m[3];
    out.set(m[2], f);
  }
  return [...out.values()];
}

/** promtool-style problems of one metric family. */
export function lintMetric(f: Family): string[] {
  const p: string[] = [];
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(f.name)) p.push('invalid characters');
  if (/[A-Z]/.test(f.name)) p.push('not snake_case');
  if (!f.name.startsWith('flightwatch_')) p.push('missing the flightwatch_ prefix');
  const words = f.name.split('_');
  if (words.some((w, i) => i > 0 && w === words[i - 1])) p.push('a word repeated (double prefix)');
  if (f.type === 'counter' && !f.name.endsWith('_total')) p.push('counter without _total');
  if (f.type !== 'counter' && f.name.endsWith('_total')) p.push(`${f.type} ending in _total`);
  if (/_(milliseconds|ms|microseconds|minutes|hours|days|kilobytes|megabytes|kb|mb)(_|$)/.test(f.name))
    p.push('not a base unit');
  if (f.type === 'gauge' && /_(count|sum|bucket)$/.test(f.name)) p.push('reserved suffix on a gauge');
  if (!f.help) p.push('no HELP text');
  return p;
}

/**
 * prom-client's own gauges named *_total (counts of live handles, not counters): upstream names, kept so
 * standard Node.js dashboards work. Everything flightwatch names itself gets no exception.
 */
const UPSTREAM_EXCEPTIONS = new Set([
  'flightwatch_nodejs_active_resources_total',
  'flightwatch_nodejs_active_handles_total',
  'flightwatch_nodejs_active_requests_total',
]);

it('the worker registry has only well-named metrics (no flightwatch_process_process_*)', async () => {
  const m = createMetrics({ sources: () => [], queues: () => undefined, freshness: new SourceFreshness(Date.now()) });
  const all = families(await m.registry.metrics());
  expect(all.length).toBeGreaterThan(20);
  expect(all.map((f) => f.name)).toContain('flightwatch_process_cpu_seconds_total');
  expect(all.map((f) => f.name)).toContain('flightwatch_poll_cycles_total');
  const bad = all.filter((f) => !UPSTREAM_EXCEPTIONS.has(f.name)).map((f) => [f.name, lintMetric(f)]);
  expect(bad.filter(([, p]) => p.length)).toEqual([]);
});

it('the lint catches what it is meant to catch', () => {
  expect(lintMetric({ name: 'flightwatch_process_process_cpu_seconds_total', type: 'counter', help: 'x' })).toEqual([
    'a word repeated (double prefix)',
  ]);
  expect(lintMetric({ name: 'flightwatch_polls', type: 'counter', help: 'x' })).toEqual(['counter without _total']);
  expect(lintMetric({ name: 'flightwatch_lag_ms', type: 'gauge', help: 'x' })).toEqual(['not a base unit']);
  expect(lintMetric({ name: 'flightwatch_jobs_total', type: 'gauge' })).toEqual([
    'gauge ending in _total',
    'no HELP text',
  ]);
  expect(lintMetric({ name: 'pollCycles', type: 'gauge', help: 'x' })).toEqual([
    'not snake_case',
    'missing the flightwatch_ prefix',
  ]);
});
