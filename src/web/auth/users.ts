/**
 * The console's users as the config names them, with their password hashes read from the environment at
 * start: a missing or malformed hash is an error naming the user and the variable, before the port opens.
 */
import { randomBytes } from 'node:crypto';
import type { WebConfig, WebUser } from '../../config/web-schema';
import { parseHash, type PasswordHashError } from './password';

export class ConsoleConfigError extends Error {
  override name = 'ConsoleConfigError';
}

export interface ConsoleUser {
  name: string;
  role: WebUser['role'];
  hash: ReturnType<typeof parseHash>;
}

export function resolveUsers(web: WebConfig, env: NodeJS.ProcessEnv): Map<string, ConsoleUser> {
  const out = new Map<string, ConsoleUser>();
  web.users.forEach((u, i) => {
    const stored = env[u.passwordHashEnv];
    if (!stored?.trim())
      throw new ConsoleConfigError(
        `web.users[${i}] (${u.name}): environment variable ${u.passwordHashEnv} is not set (flightwatch web hash-password)`,
      );
    try {
      out.set(u.name, { name: u.name, role: u.role, hash: parseHash(stored, u.passwordHashEnv) });
    } catch (e) {
      throw new ConsoleConfigError(`web.users[${i}] (${u.name}): ${(e as PasswordHashError).message}`);
    }
  });
  return out;
}

/**
 * The secret that signs cookies. Without users nobody signs in (public mode only): a random one serves for
 * the process's lifetime.
 */
export function sessionSecret(web: WebConfig, env: NodeJS.ProcessEnv): string {
  if (!web.users.length || !web.sessionSecretEnv) return randomBytes(32).toString('base64');
  const s = env[web.sessionSecretEnv]?.trim();
  if (!s) throw new ConsoleConfigError(`web.sessionSecretEnv: environment variable ${web.sessionSecretEnv} is not set`);
  if (s.length < 32)
    throw new ConsoleConfigError(
      `web.sessionSecretEnv: ${web.sessionSecretEnv} is shorter than 32 characters (e.g. \`openssl rand -base64 32\`)`,
    );
  return s;
}
