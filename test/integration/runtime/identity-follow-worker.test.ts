/**
 * A hex-only watch entry follows its airframe to a new address in the real worker: poll (which must keep the
 * cycle's unwatched aircraft for this, `keepStates`), identity follow, detection, delivery. The receiver
 * stand-in first serves the watched a1b2c3 in flight, then a9f00d in its place with the same registration,
 * and all along an unrelated aircraft under its own registration. The new hex is alerted under the entry, with
 * the link and its evidence in the alert and in the archive; the unrelated aircraft never is.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openArchive } from '../../../src/archive';
import { receiverStandIn, startConsoleWorker, type ConsoleWorker } from '../../helpers/console-worker';
import { reply } from '../../helpers/fault-server';
import { until } from '../../helpers/wait';

jest.setTimeout(90_000);

let phase: 'before' | 'after' = 'before';
let t = 0;
/** The airframe flying east at 300 kt (about 0.0014° of longitude a second here), heard each poll. */
const flying = (hex: string) => {
  t++;
  return {
    hex,
    r: 'N123XX',
    t: 'GLF5',
    flight: 'GXA123',
    lat: 31.3,
    lon: -92.5 + 0.0014 * t,
    alt_baro: 24000,
    gs: 300,
    track: 90,
    seen_pos: 0.2,
    seen: 0.1,
  };
};
const bystander = {
  hex: 'dddddd',
  r: 'N555ZZ',
  flight: 'DAL123',
  lat: 31.31,
  lon: -92.45,
  alt_baro: 23000,
  gs: 310,
  track: 90,
  seen_pos: 0.2,
  seen: 0.1,
};
const receiver = receiverStandIn((q, res, rec) =>
  reply.json({
    now: Date.now() / 1000,
    messages: 1,
    aircraft: [flying(phase === 'before' ? 'a1b2c3' : 'a9f00d'), bystander],
  })(q, res, rec),
);

interface Delivered {
  event: {
    type: string;
    aircraft: { hex: string };
    watch: { ids: string[] };
    details?: { linked?: Record<string, unknown> };
  };
}

const delivered = (dir: string): Delivered[] => {
  let names: string[];
  try {
    names = readdirSync(join(dir, 'outbox')).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  return names.map((n) => JSON.parse(readFileSync(join(dir, 'outbox', n), 'utf8')) as Delivered);
};

it('alerts the new hex under the hex-only entry, with the link, and nothing for the bystander', async () => {
  let w: ConsoleWorker | undefined;
  try {
    w = await startConsoleWorker({ sourceUrl: receiver.url(), env: {}, prefix: `fwfollow${process.pid}` });
    const dir = w.dir;
    const seenOf = (hex: string) => delivered(dir).find((d) => d.event.type === 'seen' && d.event.aircraft.hex === hex);

    await until('the seen alert of a1b2c3', () => seenOf('a1b2c3'), { timeoutMs: 30_000 });
    phase = 'after';
    const linked = await until('the seen alert of a9f00d', () => seenOf('a9f00d'), { timeoutMs: 30_000 });

    expect(linked.event.watch.ids).toEqual(['gv']);
    expect(linked.event.details?.linked).toMatchObject({ previousHex: 'a1b2c3', reason: 'same-registration' });
    expect(delivered(dir).filter((d) => d.event.aircraft.hex === 'dddddd')).toEqual([]);

    // The flight record keeps the link too (identity_links, from the events' evidence).
    const links = await until(
      'the link in the archive',
      async () => {
        const a = await openArchive({ file: join(dir, 'archive.sqlite'), migrate: false });
        try {
          const rows = await a.db.selectFrom('identity_links').select(['hex', 'previous_hex', 'reason']).execute();
          return rows.length ? rows : undefined;
        } finally {
          await a.close();
        }
      },
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    expect(links).toEqual([{ hex: 'a9f00d', previous_hex: 'a1b2c3', reason: 'same-registration' }]);
  } finally {
    await w?.stop();
  }
});
