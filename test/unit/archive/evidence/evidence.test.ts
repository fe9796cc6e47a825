/** Evidence bundles: signed manifest, directory and zip, verification naming exactly what changed. */
import { generateKeyPairSync } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { exportEvidence } from '../../../../src/archive/evidence/export';
import { EvidenceKeyError, loadOrCreateSigningKey, signingKeyPath } from '../../../../src/archive/evidence/keys';
import { verifyBundle } from '../../../../src/archive/evidence/manifest';
import { readBundle } from '../../../../src/archive/evidence/storage';
import { coverageGaps } from '../../../../src/archive/evidence/caveats';
import { syntheticTripEvidence } from '../../../../scripts/bench/record-fixtures';

describe('evidence bundles', () => {
  let tmp: string;
  beforeEach(() => (tmp = mkdtempSync(join(tmpdir(), 'fw-evidence-'))));
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));
  const input = syntheticTripEvidence({ route: ['KAEX', 'MGGT'] });

  it('creates the signing key once in the data dir, private to the owner, and reuses it', () => {
    const a = loadOrCreateSigningKey(tmp, {});
    expect(statSync(signingKeyPath(tmp)).mode & 0o777).toBe(0o600);
    const b = loadOrCreateSigningKey(tmp, {});
    expect(b.keyId).toBe(a.keyId);
    expect(a.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(a.publicPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
  });

  it('takes the key from env when given, and refuses a bad one without quoting it', () => {
    const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const k = loadOrCreateSigningKey(tmp, { FLIGHTWATCH_EVIDENCE_KEY: pem });
    expect(k.from).toBe('$FLIGHTWATCH_EVIDENCE_KEY');
    expect(() => loadOrCreateSigningKey(tmp, { FLIGHTWATCH_EVIDENCE_KEY: 'secret-material-xyz' })).toThrow(
      EvidenceKeyError,
    );
    try {
      loadOrCreateSigningKey(tmp, { FLIGHTWATCH_EVIDENCE_KEY: 'secret-material-xyz' });
    } catch (e) {
      expect((e as Error).message).not.toContain('secret-material-xyz');
    }
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' });
    expect(() => loadOrCreateSigningKey(tmp, { FLIGHTWATCH_EVIDENCE_KEY: rsa.toString() })).toThrow(/Ed25519/);
  });

  it('writes every part of the bundle, and a fresh bundle verifies (directory and zip)', () => {
    const key = loadOrCreateSigningKey(tmp, {});
    const dir = join(tmp, 'bundle');
    const names = exportEvidence(input, key, dir);
    expect(names).toEqual(
      expect.arrayContaining([
        'manifest.json',
        'manifest.sig',
        'raw-replies.ndjson',
        'track.geojson',
        'events.json',
        'airports.json',
        'watch.json',
        'caveats.json',
        'links.json',
        'record.json',
        'public-key.pem',
      ]),
    );
    expect(verifyBundle(readBundle(dir))).toMatchObject({ ok: true, problems: [], keyId: key.keyId });
    const zip = join(tmp, 'bundle.zip');
    exportEvidence(input, key, zip);
    expect(verifyBundle(readBundle(zip)).ok).toBe(true);
    expect(() => exportEvidence(input, key, zip)).toThrow(/exists; not overwriting/);
    expect(() => exportEvidence(input, key, dir)).toThrow(/not empty/);
  });

  it('carries the contents a reader needs: track, replies, permalinks at the right date, provenance', () => {
    const dir = join(tmp, 'b');
    exportEvidence(input, loadOrCreateSigningKey(tmp, {}), dir);
    const track = JSON.parse(readFileSync(join(dir, 'track.geojson'), 'utf8'));
    expect(track.type).toBe('FeatureCollection');
    expect(track.features[0].geometry.type).toBe('LineString');
    expect(track.features[0].geometry.coordinates.length).toBe(input.legs[0].positions.length);
    const lines = readFileSync(join(dir, 'raw-replies.ndjson'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(input.rawReplies.length);
    expect(JSON.parse(lines[0])).toMatchObject({ source: 'adsblol', status: 200 });
    const links = JSON.parse(readFileSync(join(dir, 'links.json'), 'utf8'));
    expect(links[0].permalinks).toContainEqual({
      viewer: 'adsbexchange',
      date: '2026-11-03',
      href: 'https://globe.adsbexchange.com/?icao=a1b2c3&showTrace=2026-11-03',
    });
    const watch = JSON.parse(readFileSync(join(dir, 'watch.json'), 'utf8'));
    expect(watch.entries[0]).toMatchObject({ id: 'glf5', source: 'WSJ 2015-09-25', added: '2026-01-05' });
    const airports = JSON.parse(readFileSync(join(dir, 'airports.json'), 'utf8'));
    expect(airports[0].arrival).toMatchObject({ reason: 'air-to-ground', airport: { icao: 'MGGT' } });
  });

  it('an inferred landing carries the airport inference with its runner-up; an observed one says none applies', () => {
    const inferred = syntheticTripEvidence({ route: ['KAEX', 'MGGT'] });
    const landing = inferred.events.find((e) => e.type === 'landing')!;
    if (landing.type !== 'landing') throw new Error('fixture: no landing');
    landing.details = {
      ...landing.details!,
      inferred: true,
      reason: 'signal-lost-low-slow',
      airportInference: {
        confidence: 0.62,
        runnerUp: { icao: 'MGSJ', confidence: 0.21, distanceNm: 14.2 },
        candidates: 4,
        aircraftClass: 'airliner',
        basis: 'airport-position',
      },
    };
    const dir = join(tmp, 'inferred');
    exportEvidence(inferred, loadOrCreateSigningKey(tmp, {}), dir);
    const [leg] = JSON.parse(readFileSync(join(dir, 'airports.json'), 'utf8'));
    expect(leg.arrival).toMatchObject({
      reason: 'signal-lost-low-slow',
      inference: {
        confidence: 0.62,
        runnerUp: { icao: 'MGSJ', confidence: 0.21, distanceNm: 14.2 },
        candidates: 4,
        aircraftClass: 'airliner',
        basis: 'airport-position',
      },
    });
    expect(leg.departure.inference).toBeNull();
    expect(leg.runnerUpNote).toMatch(/inference: the airport the detector inferred/);
    expect(verifyBundle(readBundle(dir)).ok).toBe(true);

    const observed = join(tmp, 'observed');
    exportEvidence(input, loadOrCreateSigningKey(tmp, {}), observed);
    const [plain] = JSON.parse(readFileSync(join(observed, 'airports.json'), 'utf8'));
    expect(plain.arrival.inference).toBeNull();
    expect(plain.runnerUpNote).toMatch(/no runner-up airport applies/);
  });

  it('a leg crossing midnight UTC links both dates; gaps in the positions become caveats', () => {
    const late = syntheticTripEvidence({ route: ['KAEX', 'MGGT'], start: Date.parse('2026-11-03T22:30:00Z') });
    const leg = late.legs[0];
    leg.positions = leg.positions.filter((p, i) => i < 20 || i > 40); // a 10-minute hole
    const dir = join(tmp, 'late');
    exportEvidence(late, loadOrCreateSigningKey(tmp, {}), dir);
    const dates = new Set(
      JSON.parse(readFileSync(join(dir, 'links.json'), 'utf8'))[0].permalinks.map((l: { date: string }) => l.date),
    );
    expect([...dates]).toEqual(['2026-11-03', '2026-11-04']);
    expect(coverageGaps(leg)).toHaveLength(1);
    const caveats = JSON.parse(readFileSync(join(dir, 'caveats.json'), 'utf8'));
    expect(caveats.filter((c: { kind: string }) => c.kind === 'coverage-gap')).toHaveLength(1);
  });

  describe('verify names what was changed', () => {
    let dir: string;
    beforeEach(() => {
      dir = join(tmp, 'v');
      exportEvidence(input, loadOrCreateSigningKey(tmp, {}), dir);
    });
    it('an altered file', () => {
      appendFileSync(join(dir, 'events.json'), ' ');
      expect(verifyBundle(readBundle(dir)).problems).toEqual([
        'events.json was altered (SHA-256 differs from the manifest)',
      ]);
    });
    it('an added file and a missing one', () => {
      writeFileSync(join(dir, 'extra.txt'), 'x');
      unlinkSync(join(dir, 'links.json'));
      expect(verifyBundle(readBundle(dir)).problems).toEqual([
        'links.json is missing',
        'extra.txt was added (not in the manifest)',
      ]);
    });
    it('a manifest edited to match an altered file breaks the signature', () => {
      appendFileSync(join(dir, 'events.json'), ' ');
      const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
      const f = m.files.find((x: { path: string }) => x.path === 'events.json');
      const { createHash } = jest.requireActual<typeof import('node:crypto')>('node:crypto');
      f.sha256 = createHash('sha256')
        .update(readFileSync(join(dir, 'events.json')))
        .digest('hex');
      f.bytes += 1;
      writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(m, null, 2)}\n`);
      expect(verifyBundle(readBundle(dir)).problems).toEqual([
        'signature does not match manifest.json: the manifest or its signature was altered',
      ]);
    });
    it('a bundle signed by another key than the expected one', () => {
      const other = loadOrCreateSigningKey(join(tmp, 'other'), {});
      const r = verifyBundle(readBundle(dir), other.publicPem);
      expect(r.ok).toBe(false);
      expect(r.problems[0]).toMatch(/^signed by key [0-9a-f]{16}, not by the expected key/);
    });
    it('openssl verifies the signature by hand, as docs/record.md says', () => {
      let out: string;
      try {
        out = execFileSync(
          'openssl',
          [
            'pkeyutl',
            '-verify',
            '-pubin',
            '-inkey',
            'public-key.pem',
            '-rawin',
            '-in',
            'manifest.json',
            '-sigfile',
            'manifest.sig',
          ],
          { cwd: dir, encoding: 'utf8' },
        );
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return; // no openssl binary on this machine
        throw e;
      }
      expect(out).toMatch(/Signature Verified Successfully/);
    });
  });
});
