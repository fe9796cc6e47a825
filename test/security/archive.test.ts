/**
 * Security: the archive as an exit path. A receiver URL carries its key in the query (written into the
 * config, no env var), and the reply quotes the key back in a record's operator field. What the worker's
 * capture step appends to Redis and the archiver writes into raw_replies (SQLite and PostgreSQL) must
 * hold neither: the config's URL credentials are registered with the redactor when the config is read.
 */
import { randomBytes } from 'node:crypto';
import { parseConfigText } from '../../src/config/load';
import { appendCapture, buildCapture, capturesKey } from '../../src/archive/capture';
import { Archiver } from '../../src/archive/archiver';
import { openArchive } from '../../src/archive/open';
import { redact } from '../../src/util/redact';
import { silentLogger } from '../../src/util/log';
import type { MatchedAircraft } from '../../src/domain/watchlist';
import { redisSuite } from '../helpers/redis-suite';
import { ENGINES, postgresAvailable, tempDatabase } from '../helpers/archive-db';

jest.setTimeout(60_000);
const suite = redisSuite('fwsecarch');

const KEY = `rxkey${randomBytes(10).toString('hex')}`;
const URL_WITH_KEY = `http://127.0.0.1:9/data/aircraft.json?apikey=${KEY}`;

function hostileState(fetchedAt: number): MatchedAircraft {
  return {
    hex: 'acb2ba',
    lat: 30.1,
    lon: -90.2,
    altFt: 12000,
    onGround: false,
    // A reply that quotes the key it was called with, in a field the archive keeps.
    operator: `Invalid apikey=${KEY}`,
    flags: { military: false, interesting: false, pia: false, ladd: false },
    observedAt: fetchedAt - 1000,
    positionAt: fetchedAt - 2000,
    sourceId: 'rx',
    fetchedAt,
    watch: { ids: ['tails'], tags: [] },
  };
}

const encodings = (s: string) => [s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1)];

describe.each(ENGINES)('on %s', (engine) => {
  it('stores the reply URL and body with the key masked', async () => {
    if (engine === 'postgres' && !(await postgresAvailable())) return;
    const parsed = parseConfigText(
      [
        'sources:',
        `  - { id: rx, kind: receiver, url: "${URL_WITH_KEY}" }`,
        'watch:',
        '  - { id: tails, match: { hex: [acb2ba] } }',
        '',
      ].join('\n'),
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const config = parsed.config;
    const redis = suite.client();
    const prefix = suite.prefix().slice(0, -1);
    const sourceUrls = new Map(config.sources.map((s) => [s.id, 'url' in s ? s.url : s.baseUrl]));
    // Exactly what the worker's capture step does after a poll cycle (src/runtime/archive-setup.ts).
    const capture = buildCapture([hostileState(Date.now())], { sourceUrls, mask: redact, storeBodies: true });
    await appendCapture(redis, capturesKey(prefix), capture, 1000);
    const inRedis = JSON.stringify(await redis.xrange(capturesKey(prefix), '-', '+'));
    for (const enc of encodings(KEY)) expect(inRedis).not.toContain(enc);

    const db = await tempDatabase(engine);
    const archive = await openArchive(db.target);
    try {
      const archiver = new Archiver({
        redis,
        historyKey: `${prefix}:history`,
        capturesKey: capturesKey(prefix),
        archive,
        log: silentLogger,
      });
      await archiver.drain();
      const rows = await archive.db.selectFrom('raw_replies').selectAll().execute();
      expect(rows).toHaveLength(1);
      const [row] = rows;
      expect(row?.url).toBe('http://127.0.0.1:9/data/aircraft.json?apikey=[redacted]');
      expect(row?.body).toContain('Invalid apikey=[redacted]');
      const stored = JSON.stringify(rows);
      for (const enc of encodings(KEY)) expect(stored).not.toContain(enc);
      expect(await archive.db.selectFrom('leg_positions').select('hex').execute()).toEqual([{ hex: 'acb2ba' }]);
    } finally {
      await archive.close();
      await db.drop();
    }
  });
});
