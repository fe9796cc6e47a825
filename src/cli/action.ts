import { RedisConnectError } from '../pipeline/connection';

/** A failure the user can act on from its message alone: printed as one line, no stack trace. */
export type KnownFailure = (e: unknown) => boolean;

const redisUnreachable: KnownFailure = (e) => e instanceof RedisConnectError;

/**
 * Wraps a CLI action: a known failure (by default an unreachable Redis) prints one line
 * (`flightwatch <name>: …`) and exits 1 instead of a stack trace; anything else is thrown on.
 */
export function cliAction<A extends unknown[]>(
  name: string,
  fn: (...args: A) => Promise<void>,
  known: KnownFailure = redisUnreachable,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      if (!known(e)) throw e;
      process.stderr.write(`flightwatch ${name}: ${(e as Error).message}\n`);
      process.exitCode = 1;
    }
  };
}
