/**
 * The Ed25519 key that signs evidence manifests. Given by env (`FLIGHTWATCH_EVIDENCE_KEY`: a PKCS#8 PEM private
 * key) or kept in the data dir (`<data.dir>/evidence/signing-key.pem`, mode 0600), created at first use. Only the
 * public key ever leaves the process (`flightwatch evidence key`, the bundles).
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const EVIDENCE_KEY_ENV = 'FLIGHTWATCH_EVIDENCE_KEY';

export class EvidenceKeyError extends Error {
  override name = 'EvidenceKeyError';
}

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** SPKI PEM of the public key, as written into every bundle. */
  publicPem: string;
  /** First 16 hex digits of SHA-256 over the raw 32-byte public key: short enough to read out, to compare. */
  keyId: string;
  /** Where it came from, for the user: the env variable or the file (never the key itself). */
  from: string;
}

export const signingKeyPath = (dataDir: string) => join(dataDir, 'evidence', 'signing-key.pem');

/** The key id of an Ed25519 public key. */
export function keyIdOf(publicKey: KeyObject): string {
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return createHash('sha256').update(raw).digest('hex').slice(0, 16);
}

function fromPrivate(privateKey: KeyObject, from: string): SigningKey {
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new EvidenceKeyError(`${from}: an Ed25519 private key is needed, got ${privateKey.asymmetricKeyType}`);
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKey,
    publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    keyId: keyIdOf(publicKey),
    from,
  };
}

function parsePrivate(pem: string, from: string): KeyObject {
  try {
    return createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    // The parser's message could quote the key material: say only what is wrong.
    throw new EvidenceKeyError(`${from}: not a PEM private key (expected "-----BEGIN PRIVATE KEY-----", PKCS#8)`);
  }
}

/** The signing key from env, else from the data dir, creating it there when absent. */
export function loadOrCreateSigningKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): SigningKey {
  const given = env[EVIDENCE_KEY_ENV];
  if (given) return fromPrivate(parsePrivate(given, `$${EVIDENCE_KEY_ENV}`), `$${EVIDENCE_KEY_ENV}`);
  const file = signingKeyPath(dataDir);
  if (existsSync(file)) return fromPrivate(parsePrivate(readFileSync(file, 'utf8'), file), file);
  const { privateKey } = generateKeyPairSync('ed25519');
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  // Written whole, then linked into place: a crash never leaves half a key that a later start would refuse,
  // and of two processes creating it at once (replicas starting together) the first wins and both use it.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  chmodSync(tmp, 0o600);
  try {
    linkSync(tmp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return fromPrivate(parsePrivate(readFileSync(file, 'utf8'), file), file);
  } finally {
    unlinkSync(tmp);
  }
  return fromPrivate(privateKey, file);
}
