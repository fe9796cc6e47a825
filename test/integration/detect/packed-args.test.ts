/**
 * PackedArgs (the track store's compare-and-set values in one binary argument) read back by a real Redis's Lua
 * `struct` library, as the store's script reads them: every value comes back byte for byte.
 */
import { PackedArgs } from '../../../src/detect/store/packed-args';
import { redisSuite } from '../../helpers/redis-suite';

const { client } = redisSuite('fwpacked');

/** Reads `n` values (a count before each group, as the store's script does) and returns them as Lua strings. */
const UNPACK = `
local packed, pos, out = ARGV[1], 1, {}
while pos <= #packed do
  local n
  n, pos = struct.unpack('<I4', packed, pos)
  for j = 1, n do
    local s
    s, pos = struct.unpack('<I4c0', packed, pos)
    out[#out + 1] = s
  end
end
return out
`;

async function unpacked(groups: (string | Buffer)[][], packer = new PackedArgs()): Promise<Buffer[]> {
  for (const g of groups) {
    packer.count(g.length);
    for (const v of g) packer.value(v);
  }
  return (await client().callBuffer('EVAL', [UNPACK, 0, packer.take()])) as Buffer[];
}

const bytesOf = (v: string | Buffer) => (typeof v === 'string' ? Buffer.from(v, 'utf8') : v);

describe('PackedArgs read by Redis Lua struct.unpack', () => {
  it('gives back strings (ASCII, UTF-8, empty, long) and bytes exactly', async () => {
    const values: (string | Buffer)[] = [
      '1796284442269290',
      '',
      'a00007',
      '+w:12:1260',
      'Aéroport de Genève – 日本', // UTF-8 of 2- and 3-byte characters, short enough for the ASCII path
      `{"hex":"a00007","name":"${'Ω'.repeat(40)}"}`, // longer than the short-string path
      Buffer.from([0, 1, 2, 0x7f, 0x80, 0xff, 13, 10]),
      Buffer.alloc(0),
      'x'.repeat(5000),
    ];
    const back = await unpacked([values, [], ['after an empty group']]);
    expect(back.map((b) => b.toString('hex'))).toEqual(
      [...values, 'after an empty group'].map((v) => bytesOf(v).toString('hex')),
    );
  });

  it('grows past its buffer and, after a large call, packs the next one from the start', async () => {
    const packer = new PackedArgs(16);
    const big = Array.from({ length: 300 }, (_, i) => `value ${i} ${'z'.repeat(i)}`);
    const back = await unpacked([big], packer);
    expect(back.map(String)).toEqual(big);
    expect((await unpacked([['small']], packer)).map(String)).toEqual(['small']);
  });

  it('reset() drops what a failed call left behind', async () => {
    const packer = new PackedArgs();
    packer.count(2);
    packer.str('left behind');
    packer.reset();
    expect((await unpacked([['only this']], packer)).map(String)).toEqual(['only this']);
  });
});
