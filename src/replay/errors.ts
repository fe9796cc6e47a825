/** A problem with one replay input file. The runner reports it, skips the file and carries on. */
export class ReplayInputError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
    /** Where in the file: "trace[12]", "aircraft[3]", "states[40]", … when known. */
    readonly at?: string,
  ) {
    super(`${file}${at ? ` (${at})` : ''}: ${problem}`);
    this.name = 'ReplayInputError';
  }
}
