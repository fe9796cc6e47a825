/** Minimal PNG reader for tests: checks the signature, the IHDR chunk and every chunk's CRC. */
import { crc32 } from 'node:zlib';

export function pngInfo(buf: Buffer): { width: number; height: number; chunks: string[] } {
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!buf.subarray(0, 8).equals(sig)) throw new Error('not a PNG: bad signature');
  const chunks: string[] = [];
  let off = 8;
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('latin1', off + 4, off + 8);
    const crc = buf.readUInt32BE(off + 8 + len);
    if (crc32(buf.subarray(off + 4, off + 8 + len)) >>> 0 !== crc) throw new Error(`PNG chunk ${type}: bad CRC`);
    chunks.push(type);
    off += 12 + len;
  }
  if (chunks[0] !== 'IHDR' || chunks.at(-1) !== 'IEND') throw new Error('PNG: IHDR/IEND missing');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20), chunks };
}
