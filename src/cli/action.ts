import { RedisConnectError } from '../pipeline/connection';

/** Wraps a CLI action: an unreachable Redis prints one line and exits 1 instead of a stack trace. */
export function cliAction<A extends unknown[]>(
  name: string,
  fn: (...args: A) => Promise<void>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      if (!(e instanceof RedisConnectError)) throw e;
      process.stderr.write(`flightwatch ${name}: ${e.message}\n`);
      process.exitCode = 1;
    }
  };
}
