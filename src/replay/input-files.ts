/**
 * File access for replay: lists inputs (directories recursively), reads them whole or just their head,
 * and transparently gunzips. adsb.lol publishes gzip archives named `.json`, so compression is detected
 * by the 1f 8b magic bytes, never by the file name.
 */
import { closeSync, openSync, readSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { constants as zc, gunzipSync } from 'node:zlib';
import { ReplayInputError } from './errors';
import { jsonErrorOffset, lineColumn } from './json-error';

export const isGzip = (b: Uint8Array) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

/** Files a directory contributes: JSON captures, compressed or not. Other files (README, .txt) are ignored. */
const INPUT_NAME = /\.json(\.gz)?$|\.gz$/i;

/**
 * Expands PATH arguments into files. Explicit files are taken whatever their name; directories are walked
 * recursively (sorted, so the order is deterministic before time ordering). Missing paths are errors.
 */
export function listInputFiles(paths: readonly string[]): { files: string[]; errors: ReplayInputError[] } {
  const files: string[] = [];
  const errors: ReplayInputError[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile() && INPUT_NAME.test(name)) files.push(p);
    }
  };
  for (const raw of paths) {
    const p = resolve(raw);
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      errors.push(
        new ReplayInputError(raw, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`),
      );
      continue;
    }
    if (st.isDirectory()) walk(p);
    else files.push(p);
  }
  return { files: [...new Set(files)], errors };
}

function gunzip(file: string, buf: Buffer, partial: boolean): Buffer {
  try {
    // A partial read ends mid-stream: SYNC_FLUSH returns what decompresses instead of throwing.
    return gunzipSync(buf, partial ? { finishFlush: zc.Z_SYNC_FLUSH } : undefined);
  } catch (e) {
    throw new ReplayInputError(file, `gzip data is corrupt: ${(e as Error).message}`);
  }
}

/** The whole file as text, gunzipped when it starts with the gzip magic. */
export function readInputText(file: string): string {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (e) {
    throw new ReplayInputError(file, `cannot read: ${(e as Error).message}`);
  }
  return (isGzip(buf) ? gunzip(file, buf, false) : buf).toString('utf8');
}

/** The first `bytes` of (decompressed) content, for sniffing the format and start time cheaply. */
export function readInputHead(file: string, bytes = 16_384): string {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const buf = Buffer.alloc(bytes);
    const n = readSync(fd, buf, 0, bytes, 0);
    const head = buf.subarray(0, n);
    if (!isGzip(head)) return head.toString('utf8');
    return gunzip(file, head, true)
      .subarray(0, bytes * 8)
      .toString('utf8');
  } catch (e) {
    if (e instanceof ReplayInputError) throw e;
    throw new ReplayInputError(file, `cannot read: ${(e as Error).message}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** JSON.parse with an error that names the file and the line/column where the text goes wrong. */
export function parseJsonInput(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    let msg = (e as Error).message;
    if (msg.length > 160) msg = `${msg.slice(0, 160)}…`;
    const pos = jsonErrorOffset(text);
    let at: string | undefined;
    if (pos !== undefined) {
      const { line, column } = lineColumn(text, pos);
      at = `line ${line}, column ${column}`;
    }
    throw new ReplayInputError(file, text.trim() === '' ? 'file is empty' : `not valid JSON: ${msg}`, at);
  }
}
