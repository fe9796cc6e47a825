/** A problem with a reference table, naming the file (or URL) and, where known, the line. */
export class DataError extends Error {
  constructor(
    readonly source: string,
    readonly line: number | undefined,
    readonly problem: string,
  ) {
    super(line === undefined ? `${source}: ${problem}` : `${source} line ${line}: ${problem}`);
    this.name = 'DataError';
  }
}
