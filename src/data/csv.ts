/**
 * RFC 4180 CSV reader that reports the physical line each record starts on, so a bad row can be named.
 * Handles a UTF-8 BOM, CRLF, quoted fields with commas, doubled quotes and line breaks.
 */
import { DataError } from './errors';

export interface CsvRecord {
  /** 1-based line number of the record's first line. */
  line: number;
  fields: string[];
}

export function* readCsv(text: string, source: string): Generator<CsvRecord> {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  let line = 1;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    let field = '';
    for (;;) {
      if (text[i] === '"') {
        // Quoted field: runs to the closing quote; "" is a literal quote.
        i++;
        for (;;) {
          if (i >= n) throw new DataError(source, start, 'unterminated quoted field');
          const c = text[i]!;
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') line++;
          field += c;
          i++;
        }
        // Anything between the closing quote and the delimiter is kept (lenient, like most exporters' readers).
        while (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') field += text[i++];
      } else {
        let j = i;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === 44 /* , */ || c === 10 /* \n */ || c === 13 /* \r */) break;
          j++;
        }
        field += text.slice(i, j);
        i = j;
      }
      fields.push(field);
      field = '';
      if (text[i] === ',') {
        i++;
        continue;
      }
      // End of record: \r\n, \n, \r or end of text.
      if (text[i] === '\r') i++;
      if (text[i] === '\n') i++;
      line++;
      break;
    }
    // Blank lines carry no record.
    if (fields.length === 1 && fields[0] === '') continue;
    yield { line: start, fields };
  }
}
