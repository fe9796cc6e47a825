/**
 * npm run bench:candidates — issue 18 (Candidates): on a generated month of hub traffic (src/sim/hub-traffic:
 * scheduled airline rotations incl. Miami's to the countries of return, regional jets, Allegiant, cargo,
 * general aviation, business jets incl. Gulfstreams, and injected unlisted charter airframes that shuttle
 * between hubs and fly to GT/HN/SV/CO/MX), every poll's states go through the worker's own finder
 * (runtime/discovery-setup buildFinder: sampler, scoring, decisions) into an SQLite archive.
 *
 * Figures: `maxProposalDays` / `proposedShare` — for each injected airframe, days from its first appearance to
 * its proposal (target: all proposed, ≤ 3 days); `falsePerWeekPerHub` — candidates that are not injected
 * airframes per week per hub (target ≤ 1); `sightings` and `sightingsPerPoll` (the cost); `polls`.
 * Baseline in the same run: "two hubs" — an aircraft is proposed when it was on the ground or low at two or
 * more hubs within the window (the first behaviour in the issue, no scoring), over the same sightings.
 *
 * Env: BENCH_SEED (default 18), BENCH_DAYS (30), BENCH_CHARTERS (8), BENCH_SCALE (background traffic, 1),
 * BENCH_POLL_S (poll interval, 60), FLIGHTWATCH_DATA_DIR (airport table; default data → npm fallback).
 * Last stdout line: one JSON object with the figures and the baseline.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema, type Config } from '../src/config/schema';
import { loadAirportIndex } from '../src/data/load-airports';
import { openArchive } from '../src/archive/open';
import { recordDb } from '../src/archive/record-schema';
import { buildFinder, buildSampler } from '../src/runtime/discovery-setup';
import { generateHubTraffic, HUB_PLACES, stateAt } from '../src/sim/hub-traffic';
import type { AircraftState } from '../src/domain/aircraft-state';
import type { Sighting } from '../src/discovery';

const SEED = Number(process.env.BENCH_SEED ?? 18);
const DAYS = Number(process.env.BENCH_DAYS ?? 30);
const CHARTERS = Number(process.env.BENCH_CHARTERS ?? 8);
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const POLL_S = Number(process.env.BENCH_POLL_S ?? 60);
const TARGETS = { maxProposalDays: 3, falsePerWeekPerHub: 1 };
const DAY = 86_400_000;
const START = Date.UTC(2026, 2, 1);

function benchConfig(): Config {
  return configSchema.parse({
    sources: [{ id: 'sim', kind: 'receiver', url: 'http://127.0.0.1:1/aircraft.json' }],
    watch: [{ id: 'listed', match: { hex: ['abcdef'] } }],
    classify: { hubs: HUB_PLACES.map((p) => p.icao) },
  });
}

/** The baseline: first time each aircraft was at two hubs within the window. */
function twoHubs(windowDays: number) {
  const byHex = new Map<string, Sighting[]>();
  const proposedAt = new Map<string, number>();
  return {
    proposedAt,
    add(s: Sighting, now: number) {
      if (!s.hub || proposedAt.has(s.hex)) return;
      const list = byHex.get(s.hex) ?? [];
      list.push(s);
      byHex.set(s.hex, list);
      const recent = new Set(list.filter((x) => x.at >= s.at - windowDays * DAY).map((x) => x.place));
      if (recent.size >= 2) proposedAt.set(s.hex, now);
    },
  };
}

async function main() {
  const config = benchConfig();
  const airports = await loadAirportIndex({ dir: process.env.FLIGHTWATCH_DATA_DIR ?? config.data.dir });
  const dir = mkdtempSync(join(tmpdir(), 'fw-bench-candidates-'));
  const archive = await openArchive({ file: join(dir, 'archive.sqlite') });
  try {
    const traffic = generateHubTraffic({ seed: SEED, start: START, days: DAYS, charters: CHARTERS, scale: SCALE });
    const injected = new Map(traffic.filter((a) => a.kind === 'charter').map((a) => [a.hex, a]));
    const kindOf = new Map(traffic.map((a) => [a.hex, a.kind]));
    const finder = buildFinder(config, airports, recordDb(archive.db));
    // The baseline samples the same stream through its own sampler (same rules), so both see the same sightings.
    const baselineSampler = buildSampler(config, airports);
    const baseline = twoHubs(config.discovery.windowDays);
    const firstSeen = new Map<string, number>();
    const proposed = new Map<string, { at: number; score: number; reasons: string[] }>();
    let polls = 0;
    let states = 0;
    let sightings = 0;
    const t0 = process.hrtime.bigint();
    for (let t = START; t < START + DAYS * DAY; t += POLL_S * 1000) {
      polls++;
      const batch: AircraftState[] = [];
      for (const a of traffic) {
        const s = stateAt(a, t);
        if (!s) continue;
        batch.push(s);
        if (!firstSeen.has(a.hex)) firstSeen.set(a.hex, t);
      }
      states += batch.length;
      for (const s of baselineSampler.sample(batch, t)) baseline.add(s, t);
      const r = await finder.feed(batch, t);
      sightings += r.sightings;
      for (const c of r.proposed)
        if (!proposed.has(c.hex))
          proposed.set(c.hex, { at: t, score: c.score, reasons: JSON.parse(c.reasons) as string[] });
    }
    const wallS = Number(process.hrtime.bigint() - t0) / 1e9;

    const figures = (proposedAt: Map<string, number>) => {
      const delays = [...injected.keys()].map((hex) => {
        const at = proposedAt.get(hex);
        return at === undefined ? Infinity : (at - (firstSeen.get(hex) ?? at)) / DAY;
      });
      const found = delays.filter(Number.isFinite);
      const falseHexes = [...proposedAt.keys()].filter((h) => !injected.has(h));
      const byKind: Record<string, number> = {};
      for (const h of falseHexes) byKind[kindOf.get(h) ?? '?'] = (byKind[kindOf.get(h) ?? '?'] ?? 0) + 1;
      return {
        proposedShare: Math.round((found.length / Math.max(1, injected.size)) * 1000) / 1000,
        maxProposalDays: found.length === injected.size ? Math.round(Math.max(0, ...found) * 100) / 100 : null,
        medianProposalDays: found.length
          ? Math.round(found.sort((a, b) => a - b)[found.length >> 1]! * 100) / 100
          : null,
        falseCandidates: falseHexes.length,
        falsePerWeekPerHub: Math.round((falseHexes.length / (DAYS / 7) / HUB_PLACES.length) * 1000) / 1000,
        falseByKind: byKind,
      };
    };
    const ours = figures(new Map([...proposed].map(([h, p]) => [h, p.at])));
    const base = figures(baseline.proposedAt);

    console.log(`generated month: ${traffic.length} airframes (${injected.size} injected charters), ${DAYS} days`);
    console.log(
      `polls ${polls} every ${POLL_S}s, states ${states}, sightings stored ${sightings}, wall ${wallS.toFixed(1)} s`,
    );
    for (const [hex, a] of injected) {
      const p = proposed.get(hex);
      const d = p ? ((p.at - (firstSeen.get(hex) ?? p.at)) / DAY).toFixed(2) : 'never';
      console.log(`  injected ${hex} ${a.type} ${a.legs[0]?.callsign ?? '(no callsign)'}: proposed after ${d} days`);
      if (p) console.log(`    score ${p.score}: ${p.reasons.join('; ')}`);
    }
    for (const [hex, p] of proposed)
      if (!injected.has(hex))
        console.log(`  FALSE ${hex} (${kindOf.get(hex)}) score ${p.score}: ${p.reasons.join('; ')}`);
    console.log(`scored:   ${JSON.stringify(ours)}`);
    console.log(`baseline: ${JSON.stringify(base)}`);
    const pass =
      ours.proposedShare === 1 &&
      (ours.maxProposalDays ?? Infinity) <= TARGETS.maxProposalDays &&
      ours.falsePerWeekPerHub <= TARGETS.falsePerWeekPerHub;
    console.log(
      JSON.stringify({
        bench: 'candidates',
        seed: SEED,
        days: DAYS,
        hubs: HUB_PLACES.length,
        airframes: traffic.length,
        injected: injected.size,
        polls,
        pollIntervalS: POLL_S,
        states,
        sightings,
        sightingsPerPoll: Math.round((sightings / polls) * 1000) / 1000,
        wallSeconds: Math.round(wallS * 10) / 10,
        ...ours,
        targets: TARGETS,
        pass,
        baseline: { name: 'two hubs within the window, no scoring', ...base },
      }),
    );
  } finally {
    await archive.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
