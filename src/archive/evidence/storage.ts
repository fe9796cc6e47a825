/**
 * Writes an evidence bundle as a directory or a .zip, and reads one back for `evidence verify`. Zip through
 * fflate: pure JavaScript with no dependencies or install scripts, synchronous API for files this size
 * (a 10-hour trip is a few MB), and maintained; hand-writing the zip format (CRC-32, central directory) would
 * be code to get wrong in the one place that must be exact.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { unzipSync, zipSync, type Zippable } from 'fflate';

export class EvidencePathError extends Error {
  override name = 'EvidencePathError';
}

const isZip = (path: string) => path.toLowerCase().endsWith('.zip');

/** The bundle as one .zip in memory (the console's download; `writeBundle` for a .zip path). */
export function zipBundle(files: Map<string, Buffer>, mtime = new Date()): Uint8Array {
  const zippable: Zippable = {};
  for (const [path, b] of files) zippable[path] = [b, { mtime }];
  return zipSync(zippable, { level: 6 });
}

/** Writes the files to `out`: a .zip path, or a directory (which must be empty or new). */
export function writeBundle(files: Map<string, Buffer>, out: string, mtime = new Date()): void {
  if (isZip(out)) {
    if (existsSync(out)) throw new EvidencePathError(`${out} exists; not overwriting evidence`);
    mkdirSync(dirname(out), { recursive: true });
    const tmp = `${out}.${process.pid}.tmp`;
    writeFileSync(tmp, zipBundle(files, mtime));
    renameSync(tmp, out);
    return;
  }
  if (existsSync(out) && readdirSync(out).length > 0)
    throw new EvidencePathError(`${out} is not empty; not overwriting evidence`);
  for (const [path, b] of files) {
    const target = join(out, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, b);
  }
}

function readDir(root: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(root, p).split(sep).join('/'), readFileSync(p));
    }
  };
  walk(root);
  return out;
}

/** Reads a bundle from a directory or a .zip. */
export function readBundle(path: string): Map<string, Buffer> {
  if (!existsSync(path)) throw new EvidencePathError(`${path} does not exist`);
  if (statSync(path).isDirectory()) return readDir(path);
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(readFileSync(path));
  } catch (e) {
    throw new EvidencePathError(`${path} is not a readable zip: ${(e as Error).message}`);
  }
  const out = new Map<string, Buffer>();
  for (const [name, data] of Object.entries(entries)) if (!name.endsWith('/')) out.set(name, Buffer.from(data));
  return out;
}
