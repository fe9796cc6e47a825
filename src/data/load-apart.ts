/**
 * Reads the airport table in a worker thread and keeps only the table, as columns (places/airport-columns.ts).
 * What reading needs stays in the thread and is gone with it: sql.js with its WebAssembly memory (sql.js keeps
 * its module, and so the memory it grew to hold the 23 MB packaged database, for the life of the process), the
 * time-zone boundary data, a JSON file's text, the 70k airport objects and the garbage of parsing. A
 * long-running worker would otherwise carry all of it (docs/operations.md, "Worker memory").
 */
import { Worker } from 'node:worker_threads';
import path from 'node:path';
import type { AirportTable } from './airports-file';
import type { AirportColumns } from '../places/airport-columns';
import { DataError } from './errors';
import type { LoadOptions } from './load-options';

/** The table as the thread sends it: the airports as columns. */
export type ColumnTable = Omit<AirportTable, 'airports'> & { columns: AirportColumns };

type Reply =
  | { table: ColumnTable; warnings: string[] }
  | { error: { source: string; line: number | undefined; problem: string } | { message: string } };

export function loadAirportTableApart(opts: LoadOptions = {}): Promise<ColumnTable> {
  const ext = path.extname(__filename);
  const entry = path.join(__dirname, `load-airports-thread${ext}`);
  // Run from the TypeScript sources (tests, `npm run cli`), the thread needs the same loader as this process.
  const execArgv = ext === '.ts' ? ['--require', 'tsx/cjs'] : [];
  const { warn, ...data } = opts;
  return new Promise((resolve, reject) => {
    let reply: Reply | undefined;
    const thread = new Worker(entry, { workerData: data, execArgv });
    // Posting is its last act: end it now rather than wait for whatever the libraries left on its event loop.
    thread.once('message', (m: Reply) => {
      reply = m;
      void thread.terminate();
    });
    thread.once('error', reject);
    thread.once('exit', (code) => {
      if (!reply) return reject(new Error(`airport table reader thread exited (code ${code}) without a table`));
      if ('error' in reply) {
        const e = reply.error;
        return reject('problem' in e ? new DataError(e.source, e.line, e.problem) : new Error(e.message));
      }
      for (const m of reply.warnings) warn?.(m);
      resolve(reply.table);
    });
  });
}
