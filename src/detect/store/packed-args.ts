/**
 * A Lua script's arguments packed into one binary string: each value as a 4-byte little-endian length and its
 * bytes, counts as bare 4-byte numbers. The script reads them back with Redis's `struct` library
 * (`struct.unpack('<I4c0', s, pos)`: a length and that many bytes; `'<I4'`: a count).
 *
 * Why: the track store's compare-and-set carries about 11 values per aircraft, 2,750 per call. Sent as
 * separate arguments, the client builds each one's protocol framing as a string of its own and measures it
 * (ioredis's Command.toWritable), which was a fifth of the Redis store's time per position. Here every value
 * is written straight into one buffer.
 */
const U32 = 4;
const KEEP_BYTES = 256 * 1024;
/**
 * Strings this short are copied in a loop when they are ASCII (versions, modes, deadlines, hexes, field names):
 * for them Buffer.write's call into C++ cost more than the copy.
 */
const SHORT = 32;

export class PackedArgs {
  private buf: Buffer;
  private at = 0;

  constructor(private readonly initialBytes = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /** A string, as UTF-8 (what Redis stores when a client sends it as an argument). */
  str(s: string): void {
    this.room(U32 + 3 * s.length); // UTF-8 takes at most 3 bytes per UTF-16 unit
    if (s.length <= SHORT && this.ascii(s)) return;
    const n = this.buf.write(s, this.at + U32, 'utf8');
    this.buf.writeUInt32LE(n, this.at);
    this.at += U32 + n;
  }

  /** Writes `s` when every character is ASCII; false (nothing written) otherwise. */
  private ascii(s: string): boolean {
    const buf = this.buf;
    const from = this.at + U32;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x7f) return false;
      buf[from + i] = c;
    }
    buf.writeUInt32LE(s.length, this.at);
    this.at = from + s.length;
    return true;
  }

  bytes(b: Buffer): void {
    this.room(U32 + b.length);
    this.buf.writeUInt32LE(b.length, this.at);
    b.copy(this.buf, this.at + U32);
    this.at += U32 + b.length;
  }

  /** A string or the bytes of a Buffer. */
  value(v: string | Buffer): void {
    if (typeof v === 'string') this.str(v);
    else this.bytes(v);
  }

  count(n: number): void {
    this.room(U32);
    this.buf.writeUInt32LE(n, this.at);
    this.at += U32;
  }

  /** What was packed, as a buffer of its own; the packer starts empty again. */
  take(): Buffer {
    const out = Buffer.from(this.buf.subarray(0, this.at));
    this.reset();
    return out;
  }

  /**
   * Empty again. The memory is reused, unless a large call (new tracks: whole rings) grew it past KEEP_BYTES,
   * which is not kept for the next one.
   */
  reset(): void {
    this.at = 0;
    if (this.buf.length > KEEP_BYTES) this.buf = Buffer.allocUnsafe(this.initialBytes);
  }

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.at + n));
    this.buf.copy(grown, 0, 0, this.at);
    this.buf = grown;
  }
}
