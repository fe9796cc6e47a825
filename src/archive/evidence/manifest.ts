/**
 * The signed manifest of an evidence bundle (docs/record.md, "Evidence"): every file's SHA-256 and size, listed
 * in `manifest.json`, whose exact bytes are signed with Ed25519 into `manifest.sig` (64 raw bytes, so
 * `openssl pkeyutl -verify -rawin` checks it by hand). `verifyBundle` names exactly what does not match.
 */
import { createHash, createPublicKey, sign, verify } from 'node:crypto';
import { z } from 'zod';
import { keyIdOf, type SigningKey } from './keys';

export const MANIFEST_FILE = 'manifest.json';
export const SIGNATURE_FILE = 'manifest.sig';
export const EVIDENCE_SCHEMA = 'flightwatch.evidence/v1' as const;

const manifestSchema = z.object({
  schema: z.literal(EVIDENCE_SCHEMA),
  evidenceId: z.string(),
  subject: z.object({ kind: z.enum(['leg', 'trip', 'event']), id: z.string() }),
  createdAt: z.string(),
  generator: z.string(),
  publicKey: z.string().describe('SPKI PEM of the signing key'),
  keyId: z.string(),
  files: z.array(z.object({ path: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number() })),
});
export type Manifest = z.infer<typeof manifestSchema>;

export const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Adds manifest.json and manifest.sig to the bundle's files (paths sorted, so the manifest is reproducible). */
export function signBundle(
  files: Map<string, Buffer>,
  meta: Pick<Manifest, 'evidenceId' | 'subject' | 'createdAt' | 'generator'>,
  key: SigningKey,
): Map<string, Buffer> {
  const manifest: Manifest = {
    schema: EVIDENCE_SCHEMA,
    ...meta,
    publicKey: key.publicPem,
    keyId: key.keyId,
    files: [...files.keys()].sort().map((path) => {
      const b = files.get(path) ?? Buffer.alloc(0);
      return { path, sha256: sha256(b), bytes: b.length };
    }),
  };
  const body = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  const out = new Map(files);
  out.set(MANIFEST_FILE, body);
  out.set(SIGNATURE_FILE, sign(null, body, key.privateKey));
  return out;
}

export interface VerifyResult {
  ok: boolean;
  /** One line per problem: which file was altered, added or is missing, or that the signature is wrong. */
  problems: string[];
  manifest?: Manifest;
  keyId?: string;
}

/**
 * Checks a bundle read back from disk or a zip: the signature over manifest.json with the key it names (and,
 * when given, that this is the expected key), then every file against its hash, and no file beyond the list.
 */
export function verifyBundle(files: Map<string, Buffer>, expectedKeyPem?: string): VerifyResult {
  const body = files.get(MANIFEST_FILE);
  const sig = files.get(SIGNATURE_FILE);
  if (!body) return { ok: false, problems: [`${MANIFEST_FILE} is missing: not an evidence bundle`] };
  let manifest: Manifest;
  try {
    const parsed = manifestSchema.safeParse(JSON.parse(body.toString('utf8')));
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      return { ok: false, problems: [`${MANIFEST_FILE} is malformed: ${i?.path.join('.') ?? ''} ${i?.message ?? ''}`] };
    }
    manifest = parsed.data;
  } catch {
    return { ok: false, problems: [`${MANIFEST_FILE} is not JSON (altered)`] };
  }
  const problems: string[] = [];
  let keyId: string | undefined;
  try {
    const publicKey = createPublicKey(manifest.publicKey);
    keyId = keyIdOf(publicKey);
    if (!sig) problems.push(`${SIGNATURE_FILE} is missing`);
    else if (!verify(null, body, publicKey, sig))
      problems.push(`signature does not match ${MANIFEST_FILE}: the manifest or its signature was altered`);
    if (expectedKeyPem !== undefined && keyIdOf(createPublicKey(expectedKeyPem)) !== keyId)
      problems.push(`signed by key ${keyId}, not by the expected key ${keyIdOf(createPublicKey(expectedKeyPem))}`);
  } catch {
    problems.push(`${MANIFEST_FILE} names a public key that cannot be read (altered)`);
  }
  const listed = new Set<string>();
  for (const f of manifest.files) {
    listed.add(f.path);
    const b = files.get(f.path);
    if (!b) problems.push(`${f.path} is missing`);
    else if (sha256(b) !== f.sha256) problems.push(`${f.path} was altered (SHA-256 differs from the manifest)`);
  }
  for (const path of [...files.keys()].sort())
    if (!listed.has(path) && path !== MANIFEST_FILE && path !== SIGNATURE_FILE)
      problems.push(`${path} was added (not in the manifest)`);
  return { ok: problems.length === 0, problems, manifest, ...(keyId ? { keyId } : {}) };
}
