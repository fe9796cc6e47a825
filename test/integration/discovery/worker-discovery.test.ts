/**
 * The worker's discovery wiring (runtime/discovery-setup): each cycle's states reach the archive once it is
 * open; the aircraft a watch entry lists by hex are never sighted; a broken archive is logged, never thrown
 * into the poll cycle.
 */
import pino from 'pino';
import { Writable } from 'node:stream';
import { openArchive } from '../../../src/archive';
import { recordDb } from '../../../src/archive/record-schema';
import { startDiscovery } from '../../../src/runtime/discovery-setup';
import { discoveryDb, listCandidates, sightingsOf } from '../../../src/discovery';
import { stateAt } from '../../../src/sim/hub-traffic';
import { tempSqlite } from '../../helpers/archive-db';
import { DAY, T0, airframe, airports, testConfig } from './support';

const charter = airframe('a4f2c1', 'B738', [
  ['KAEX', 'KHRL', 2, 'GXA6123'],
  ['KHRL', 'MGGT', 7, 'GXA6124'],
]);
const listed = airframe('c0ffee', 'A320', [['KAEX', 'KHRL', 2, 'GXA6001']]);

function capture() {
  const lines: string[] = [];
  const log = pino({ level: 'info' }, new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }));
  return { log, lines };
}

it('feeds cycles into the archive once it is open, skips listed aircraft, and survives a closed archive', async () => {
  const t = tempSqlite();
  const archive = await openArchive(t.target);
  const db = recordDb(archive.db);
  let open = false;
  const { log, lines } = capture();
  const config = testConfig();
  const discovery = startDiscovery({
    config: () => config,
    airports,
    db: () => (open ? db : undefined),
    ctx: () => undefined,
    log,
  });
  try {
    const cycle = async (time: number) =>
      discovery.afterCycle(
        [charter, listed].flatMap((a) => stateAt(a, time) ?? []),
        time,
      );
    await cycle(T0 + 60 * 60_000); // archive not open yet: nothing kept
    open = true;
    for (let time = T0; time <= T0 + DAY; time += 10 * 60_000) await cycle(time);
    const d = discoveryDb(db);
    expect((await listCandidates(d)).map((c) => c.id)).toEqual(['cand-a4f2c1']);
    expect(await sightingsOf(d, 'c0ffee', 0)).toEqual([]);
    expect(lines.some((l) => l.includes('"candidate":"cand-a4f2c1"') && l.includes('new candidate aircraft'))).toBe(
      true,
    );

    await archive.close();
    // Aircraft on the ground at KSAT and KELP: sightings to write, into a closed archive.
    const later = [
      airframe('a9b8c7', 'B738', [['KSAT', 'KELP', 28, null]]),
      airframe('a9b8c8', 'A320', [['KELP', 'KSAT', 28, null]]),
    ];
    const at = (h: number) => T0 + h * 3_600_000;
    await expect(
      discovery.afterCycle(
        later.flatMap((a) => stateAt(a, at(27)) ?? []),
        at(27),
      ),
    ).resolves.toBeUndefined();
    await discovery.afterCycle(
      later.flatMap((a) => stateAt(a, at(27.5)) ?? []),
      at(27.5),
    );
    // Both cycles failed (the sightings were sampled again, not lost for a window); logged once.
    const failures = lines.filter((l) => l.includes('discovery failed this cycle'));
    expect(failures).toHaveLength(1);
  } finally {
    await archive.close().catch(() => undefined);
    await t.drop();
  }
});
