/** Header-checked, row-validated access to a CSV table; every error names the source and line. */
import { readCsv, type CsvRecord } from '../util/csv';
import { DataError } from './errors';

export interface Row {
  line: number;
  /** Field by column name ('' when the column is optional and absent). */
  get(column: string): string;
}

/**
 * A reference table's records: lenient after a closing quote (upstream exporters are), syntax errors as
 * DataError naming the source and the line.
 */
export const readDataCsv = (text: string, source: string): Generator<CsvRecord> =>
  readCsv(text, source, { afterQuote: 'keep', error: (line, reason) => new DataError(source, line, reason) });

export interface NumberRule {
  min?: number;
  max?: number;
  optional?: boolean;
}

/**
 * Reads a CSV with a header row. `required` columns must be present (any order, extra columns allowed, as
 * upstream adds columns now and then); every row must have as many fields as the header.
 */
export function* readTable(text: string, source: string, required: readonly string[]): Generator<Row> {
  const records = readDataCsv(text, source);
  const first = records.next();
  if (first.done) throw new DataError(source, undefined, 'empty file (no header row)');
  const header = first.value.fields.map((h) => h.trim());
  const col = new Map(header.map((h, i) => [h, i]));
  const missing = required.filter((c) => !col.has(c));
  if (missing.length)
    throw new DataError(source, 1, `header lacks column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (found: ${header.join(', ')})`);
  for (const { line, fields } of records) {
    if (fields.length !== header.length)
      throw new DataError(source, line, `expected ${header.length} fields, found ${fields.length}`);
    yield {
      line,
      get: (c) => {
        const i = col.get(c);
        return i === undefined ? '' : fields[i]!.trim();
      },
    };
  }
}

export function parseNumber(value: string, column: string, source: string, line: number, rule: NumberRule = {}): number | undefined {
  if (value === '' || value === '\\N') {
    if (rule.optional) return undefined;
    throw new DataError(source, line, `${column} is empty`);
  }
  const n = Number(value);
  if (!Number.isFinite(n)) throw new DataError(source, line, `${column} ${JSON.stringify(value)} is not a number`);
  if ((rule.min !== undefined && n < rule.min) || (rule.max !== undefined && n > rule.max))
    throw new DataError(source, line, `${column} ${value} is outside [${rule.min ?? '-∞'}, ${rule.max ?? '∞'}]`);
  return n;
}

export function requireRows<T>(rows: T[], min: number, source: string): T[] {
  if (rows.length < min) throw new DataError(source, undefined, `only ${rows.length} rows, expected at least ${min} (truncated download?)`);
  return rows;
}
