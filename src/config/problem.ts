/** A problem (or warning) in the config or its watchlist overlay: where it is and what is wrong. */
export interface ConfigProblem {
  /** Dotted path with [index] for arrays, e.g. watch[2].match.hex[0]; "" for the whole file. */
  path: string;
  message: string;
  line?: number;
  /** The file the problem is in, when it is not the config file itself (the watchlist overlay). */
  file?: string;
}
