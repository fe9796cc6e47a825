/**
 * The one RFC 4180 CSV reader (reference tables, aircraft databases, plane-alert imports): quoted fields with
 * "" escapes, commas and line breaks inside quotes, CRLF / LF / lone CR, a leading UTF-8 BOM. Each record
 * carries the physical line it starts on so a bad row can be named; blank lines carry no record.
 */
export interface CsvRecord {
  /** 1-based line number of the record's first line. */
  line: number;
  fields: string[];
}

export interface CsvOptions {
  /**
   * Text between a closing quote and the next delimiter: 'error' (RFC 4180, the default) or 'keep' (appended
   * to the field, as most spreadsheet exporters' readers do).
   */
  afterQuote?: 'error' | 'keep';
  /** A quote preceded only by blanks still opens a quoted field (hand-edited `a, "b, c"`); the blanks are dropped. */
  quoteAfterBlanks?: boolean;
  /** Builds the error thrown for bad syntax, so a caller can keep its own error type; default CsvSyntaxError. */
  error?: (line: number, reason: string) => Error;
}

export class CsvSyntaxError extends Error {
  constructor(
    /** File name or URL; undefined when the text has no name (the message is then the bare reason). */
    readonly source: string | undefined,
    readonly line: number,
    readonly reason: string,
  ) {
    super(source === undefined ? reason : `${source} line ${line}: ${reason}`);
    this.name = 'CsvSyntaxError';
  }
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/** Streams the records of `text`; throws (see CsvOptions.error) on an unterminated quote or, if strict, junk after one. */
export function* readCsv(text: string, source?: string, opts: CsvOptions = {}): Generator<CsvRecord> {
  const fail = opts.error ?? ((line: number, reason: string) => new CsvSyntaxError(source, line, reason));
  const keepAfterQuote = opts.afterQuote === 'keep';
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  let line = 1;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let open = i;
      if (opts.quoteAfterBlanks) {
        // Blanks then a quote: the quote opens the field; otherwise the blanks are part of a plain field.
        while (open < n && isBlank(text.charCodeAt(open))) open++;
        if (text.charCodeAt(open) !== QUOTE) open = i;
      }
      let value: string;
      if (text.charCodeAt(open) === QUOTE) {
        // Quoted field: runs to the next lone quote; "" is a literal quote.
        const quoteLine = line;
        let buf = '';
        let from = (i = open + 1);
        for (;;) {
          const q = text.indexOf('"', i);
          if (q < 0) throw fail(quoteLine, 'unterminated quoted field');
          for (let k = i; k < q; k++) if (text.charCodeAt(k) === LF) line++;
          if (text.charCodeAt(q + 1) === QUOTE) {
            buf += text.slice(from, q + 1);
            i = from = q + 2;
            continue;
          }
          buf += text.slice(from, q);
          i = q + 1;
          break;
        }
        const j = endOfPlain(text, i);
        if (j > i) {
          if (!keepAfterQuote) throw fail(line, `unexpected ${JSON.stringify(text[i])} after a closing quote`);
          buf += text.slice(i, j);
          i = j;
        }
        value = buf;
      } else {
        const j = endOfPlain(text, i);
        value = text.slice(i, j);
        i = j;
      }
      fields.push(value);
      if (i >= n) break;
      if (text.charCodeAt(i) === COMMA) {
        i++;
        continue;
      }
      // End of record: \r\n, \n or a lone \r.
      if (text.charCodeAt(i) === CR) i++;
      if (text.charCodeAt(i) === LF) i++;
      line++;
      break;
    }
    if (fields.length === 1 && fields[0] === '') continue;
    yield { line: start, fields };
  }
}

/** All records at once (small files). */
export const parseCsv = (text: string, source?: string, opts?: CsvOptions): CsvRecord[] => [
  ...readCsv(text, source, opts),
];

/** Index of the next comma, line break or end of text from `i`. */
function endOfPlain(text: string, i: number): number {
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === COMMA || c === LF || c === CR) break;
    i++;
  }
  return i;
}

/** Whitespace as String.prototype.trim sees it, bar the line breaks that end a record. */
const isBlank = (c: number) => c !== LF && c !== CR && /\s/.test(String.fromCharCode(c));
