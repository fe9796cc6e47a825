/**
 * Worker-thread entry of loadAirportTableApart (load-apart.ts): reads the table with the in-process loader and
 * posts it back as columns (their buffers transferred, not copied) with the notes it made, or the error (as
 * fields: a class does not cross threads).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadAirportTable, type LoadOptions } from './load-airports';
import { DataError } from './errors';
import { columnBuffers, toAirportColumns } from '../places/airport-columns';

const warnings: string[] = [];
loadAirportTable({ ...(workerData as Omit<LoadOptions, 'warn'>), warn: (m) => warnings.push(m) }).then(
  ({ airports, ...rest }) => {
    const columns = toAirportColumns(airports);
    parentPort?.postMessage({ table: { ...rest, columns }, warnings }, columnBuffers(columns));
  },
  (e: unknown) =>
    parentPort?.postMessage({
      error:
        e instanceof DataError
          ? { source: e.source, line: e.line, problem: e.problem }
          : { message: (e as Error)?.message ?? String(e) },
    }),
);
