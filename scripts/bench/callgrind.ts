/** Reading what `valgrind --tool=callgrind` wrote, for the benches that count instructions. */
import { readFileSync } from 'node:fs';

/** The instruction total of one callgrind dump file; `bench` names the bench in the error. */
export function dumpTotal(file: string, bench: string): number {
  const m = /^(?:totals|summary):\s*(\d+)/m.exec(readFileSync(file, 'utf8'));
  if (!m) throw new Error(`${bench}: no totals in ${file}`);
  return Number(m[1]);
}
