/** The worker creates the evidence signing key at start and logs its key id; a bad key is logged, not fatal. */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureEvidenceKey } from '../../../src/runtime/archive-setup';
import { loadOrCreateSigningKey, signingKeyPath } from '../../../src/archive/evidence/keys';
import { createLogger } from '../../../src/util/log';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({
    level: 'info',
    env: {},
    destination: { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) },
  });
  return { log, lines };
}

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fw-evkey-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('creates the key in the data dir at start, logs its key id, and later starts and `evidence key` see the same', () => {
  const { log, lines } = capture();
  const key = ensureEvidenceKey(dir, {}, log);
  expect(statSync(signingKeyPath(dir)).mode & 0o777).toBe(0o600);
  const line = lines.find((l) => String(l.msg).startsWith('evidence signing key'));
  expect(line).toMatchObject({ keyId: key!.keyId, from: signingKeyPath(dir) });
  expect(JSON.stringify(lines)).not.toContain('PRIVATE KEY');
  expect(ensureEvidenceKey(dir, {}, capture().log)!.keyId).toBe(key!.keyId);
  // What `flightwatch evidence key` prints for this data dir.
  expect(loadOrCreateSigningKey(dir, {}).keyId).toBe(key!.keyId);
});

it('a bad key in the environment is logged with the reason, without its text, and does not throw', () => {
  const { log, lines } = capture();
  expect(ensureEvidenceKey(dir, { FLIGHTWATCH_EVIDENCE_KEY: 'not-a-key-s3cr3t' }, log)).toBeUndefined();
  const line = lines.find((l) => String(l.msg).startsWith('evidence signing key unavailable'));
  expect(String(line?.err)).toMatch(/FLIGHTWATCH_EVIDENCE_KEY: not a PEM private key/);
  expect(JSON.stringify(lines)).not.toContain('not-a-key-s3cr3t');
});
