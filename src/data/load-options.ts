/** How the airport table is looked for (load-airports.ts), in process or in a thread (load-apart.ts). */
export interface LoadOptions {
  /** Data dir (config `data.dir`, default "data"). */
  dir?: string;
  /** false: never use the npm package (to require the downloaded table). */
  fallback?: boolean;
  /** Where non-fatal notes go (e.g. "using the npm fallback"). */
  warn?: (msg: string) => void;
}
