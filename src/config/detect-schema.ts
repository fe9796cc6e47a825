/** Detection thresholds (issue "Detect"). Owned by src/detect; placeholder until it lands. */
import { z } from 'zod';

export const detectSchema = z.strictObject({}).prefault({});
