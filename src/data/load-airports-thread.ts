/**
 * Worker-thread entry of loadAirportTableApart (load-apart.ts): reads the table with the in-process loader and
 * posts it back with the notes it made, or the error (as fields: a class does not cross threads).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadAirportTable, type LoadOptions } from './load-airports';
import { DataError } from './errors';

const warnings: string[] = [];
loadAirportTable({ ...(workerData as Omit<LoadOptions, 'warn'>), warn: (m) => warnings.push(m) }).then(
  (table) => parentPort?.postMessage({ table, warnings }),
  (e: unknown) =>
    parentPort?.postMessage({
      error:
        e instanceof DataError
          ? { source: e.source, line: e.line, problem: e.problem }
          : { message: (e as Error)?.message ?? String(e) },
    }),
);
