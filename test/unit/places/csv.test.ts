import { readCsv } from '../../../src/util/csv';
import { DataError } from '../../../src/data/errors';
import { parseNumber, readTable } from '../../../src/data/table-reader';

describe('readCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, with the line each record starts on', () => {
    const text = '\ufeffa,b,c\r\n1,"x, y",3\n"multi\nline","say ""hi""",\n\n4,5,6';
    const recs = [...readCsv(text, 't.csv')];
    expect(recs).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', 'x, y', '3'] },
      { line: 3, fields: ['multi\nline', 'say "hi"', ''] },
      { line: 6, fields: ['4', '5', '6'] },
    ]);
  });
  it('names the file and line of an unterminated quote', () => {
    expect(() => [...readCsv('a\n"open,2\n3', 'f.csv')]).toThrow('f.csv line 2: unterminated quoted field');
  });
});

describe('readTable', () => {
  it('checks the header and every row width', () => {
    expect(() => [...readTable('x,y\n1,2', 'h.csv', ['x', 'z'])]).toThrow('h.csv line 1: header lacks column z');
    expect(() => [...readTable('x,y\n1,2\n3', 'h.csv', ['x'])]).toThrow('h.csv line 3: expected 2 fields, found 1');
    const rows = [...readTable('y,x\n1,2', 'h.csv', ['x'])];
    expect(rows[0].get('x')).toBe('2');
    expect(rows[0].get('absent')).toBe('');
  });
  it('parses numbers with range checks that name the column', () => {
    expect(parseNumber('12.5', 'Latitude', 's', 4)).toBe(12.5);
    expect(parseNumber('', 'AltitudeFeet', 's', 4, { optional: true })).toBeUndefined();
    expect(() => parseNumber('abc', 'Latitude', 's', 4)).toThrow('s line 4: Latitude "abc" is not a number');
    expect(() => parseNumber('91', 'Latitude', 's', 4, { min: -90, max: 90 })).toThrow(DataError);
  });
});
