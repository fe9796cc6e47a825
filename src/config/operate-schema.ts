/**
 * `operate:` — health, readiness and the blind watcher (issue "Operate"). Durations as in `alerts:`
 * ("30s", "15m", "1h" or milliseconds). Every key has a default so the section may be omitted.
 */
import { z } from 'zod';
import { duration } from './alerts-schema';

export const operateSchema = z
  .strictObject({
    /** No source returned a valid reply for this long → one operational alert "watcher is blind". */
    blindAfter: duration({ min: 1000 }).default(15 * 60_000),
    /** /readyz fails when the newest valid reply of any source is older than this. */
    readyMaxDataAge: duration({ min: 1000 }).default(5 * 60_000),
    /** A config file change is applied this long after the last write (editors write in several steps). */
    reloadDebounce: duration({ min: 0 }).default(500),
    /** The health/metrics server. HTTP_HOST in the env wins (the container image sets 0.0.0.0). */
    http: z
      .strictObject({
        /** Interface to listen on: 127.0.0.1 (this machine only) unless the probes come from elsewhere. */
        host: z
          .string()
          .regex(/^[0-9a-fA-F.:]+$|^localhost$/, {
            error: (iss) => `${JSON.stringify(iss.input)} is not an IP address`,
          })
          .default('127.0.0.1'),
      })
      .prefault({}),
  })
  .prefault({});

export type OperateConfig = z.output<typeof operateSchema>;
