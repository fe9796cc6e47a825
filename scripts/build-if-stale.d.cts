/** Types for build-if-stale.cjs (plain JavaScript so `npm start` needs no compiler to decide whether to build). */
export declare const INPUTS: string[];
export declare const STAMP: string;
export declare const ENTRY: string;
export declare function inputDigest(root: string, inputs?: string[]): { digest: string; files: number };
export declare function staleReason(root: string, inputs?: string[]): string | undefined;
export declare function buildIfStale(
  root: string,
  opts?: { force?: boolean; command?: string[]; log?: (m: string) => void },
): { built: boolean; reason?: string; failed?: boolean; status?: number };
