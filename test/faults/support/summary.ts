/** One JSON line per fault scenario on stdout (RELIABILITY.md copies these lines from `npm run test:faults`). */
export interface FaultSummary {
  scenario: string;
  expected: number;
  delivered: number;
  duplicates: number;
  lost: number;
  durationMs: number;
  [extra: string]: unknown;
}

/** Counts per alert id: how many distinct ones arrived, how many extra copies, how many never did. */
export function tally(expectedIds: Iterable<string>, receivedIds: readonly string[]) {
  const expected = new Set(expectedIds);
  const seen = new Set<string>();
  let duplicates = 0;
  let unexpected = 0;
  for (const id of receivedIds) {
    if (!expected.has(id)) unexpected++;
    else if (seen.has(id)) duplicates++;
    else seen.add(id);
  }
  return { expected: expected.size, delivered: seen.size, duplicates, lost: expected.size - seen.size, unexpected };
}

export function printSummary(s: FaultSummary): void {
  // process.stdout.write, not console.log: jest decorates console output with a stack line.
  process.stdout.write(`${JSON.stringify({ ...s, date: new Date().toISOString() })}\n`);
}
