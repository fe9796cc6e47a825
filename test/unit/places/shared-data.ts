/** ../shared/data (reference tables, read-only) beside the repo; suites that need it skip, saying so, when absent. */
import { existsSync } from 'node:fs';
import path from 'node:path';

export const SHARED_DATA = path.resolve(__dirname, '../../../../shared/data');
export const hasSharedData = existsSync(path.join(SHARED_DATA, 'vrs-airports.csv'));

export const describeShared: jest.Describe = hasSharedData
  ? describe
  : (console.warn(`${SHARED_DATA} absent: skipping the suites that read the real reference tables`), describe.skip);
