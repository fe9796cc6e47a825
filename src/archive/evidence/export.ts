/** `flightwatch evidence export`: build, sign and write one bundle. */
import { bundleFiles } from './bundle';
import type { EvidenceInput } from './input';
import type { SigningKey } from './keys';
import { signBundle } from './manifest';
import { writeBundle } from './storage';

export const GENERATOR = 'flightwatch evidence export';

/** The evidence id of a subject: what alerts carry and what `evidence export` takes (docs/record.md). */
export const evidenceIdOf = (subject: EvidenceInput['subject']) => subject.id;

/** Builds and signs the bundle's files (no I/O). */
export function buildSignedBundle(input: EvidenceInput, key: SigningKey, now = new Date()): Map<string, Buffer> {
  return signBundle(
    bundleFiles(input, key.publicPem),
    {
      evidenceId: evidenceIdOf(input.subject),
      subject: input.subject,
      createdAt: now.toISOString(),
      generator: GENERATOR,
    },
    key,
  );
}

/** Builds, signs and writes the bundle to a directory or .zip; returns the file names written. */
export function exportEvidence(input: EvidenceInput, key: SigningKey, out: string, now = new Date()): string[] {
  const files = buildSignedBundle(input, key, now);
  writeBundle(files, out, now);
  return [...files.keys()].sort();
}
