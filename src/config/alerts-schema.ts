/** Alert channels and routes (issue "Deliver"). Owned by src/deliver; placeholder until it lands. */
import { z } from 'zod';

export const alertsSchema = z.strictObject({}).prefault({});
