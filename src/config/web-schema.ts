/**
 * `web:` — the console (docs/console.md): server-rendered pages over the archive, served by the worker on its
 * own port when `port` is set, or by `flightwatch web`. Users sign in with passwords whose scrypt hashes live
 * in environment variables (never in the file); sessions are signed with a secret also held in the
 * environment. The optional public mode lets anyone read, with the named fields hidden, and nobody review.
 */
import { z } from 'zod';
import { duration } from './alerts-schema';
import { envName } from './env-name';

const q = (v: unknown) => JSON.stringify(v);

/** Fields public mode can hide; a name outside this list is a typo that would leave a field showing. */
export const HIDEABLE_FIELDS = [
  'registration',
  'callsign',
  'operator',
  'hex',
  'type',
  'reviewer',
  'note',
  'watch',
] as const;
export type HideableField = (typeof HIDEABLE_FIELDS)[number];

export const WEB_ROLES = ['viewer', 'reviewer', 'admin'] as const;

const userSchema = z.strictObject({
  /** Sign-in name; also the reviewer recorded in the audit log. */
  name: z.string().trim().min(1).max(64),
  role: z.enum(WEB_ROLES),
  /** Environment variable holding the password's hash (`flightwatch web hash-password`). */
  passwordHashEnv: envName,
});

export const webSchema = z
  .strictObject({
    /** TCP port of the console; unset = the worker serves no console (`flightwatch web --port` still can). */
    port: z.number().int().min(0).max(65535).optional(),
    /** Interface to listen on: this machine only unless told otherwise (a reverse proxy adds TLS). */
    host: z.string().min(1).default('127.0.0.1'),
    publicMode: z
      .strictObject({
        /** true: anyone may read the pages without signing in (never review, never download evidence). */
        enabled: z.boolean().default(false),
        /** Fields replaced by "hidden" for readers who are not signed in. */
        hideFields: z.array(z.enum(HIDEABLE_FIELDS)).default([]),
      })
      .prefault({}),
    users: z.array(userSchema).default([]),
    /** Environment variable holding the secret that signs session cookies (32+ random bytes). */
    sessionSecretEnv: envName.optional(),
    /** A session ends this long after sign-in, whatever the cookie says (checked on the server). */
    sessionTtl: duration({ min: 60_000 }).default(12 * 3_600_000),
    /** Failed sign-ins allowed per window, per client address and per user name, before 429. */
    loginLimit: z
      .strictObject({
        perIp: z.number().int().min(1).default(20),
        perUser: z.number().int().min(1).default(5),
        window: duration({ min: 1000 }).default(15 * 60_000),
      })
      .prefault({}),
    /**
     * true: behind a reverse proxy, take the client address from X-Forwarded-For and https from
     * X-Forwarded-Proto (cookies then get Secure). Leave false when clients reach the port directly.
     */
    trustProxy: z.boolean().default(false),
  })
  .prefault({})
  .superRefine((w, ctx) => {
    const seen = new Map<string, number>();
    w.users.forEach((u, i) => {
      const prev = seen.get(u.name);
      if (prev !== undefined)
        ctx.addIssue({ code: 'custom', path: ['users', i, 'name'], message: `${q(u.name)} is already users[${prev}]` });
      else seen.set(u.name, i);
    });
    if (w.users.length && !w.sessionSecretEnv)
      ctx.addIssue({
        code: 'custom',
        path: ['sessionSecretEnv'],
        message: 'users need a session secret: name the environment variable that holds it',
      });
  });

export type WebConfig = z.output<typeof webSchema>;
export type WebUser = WebConfig['users'][number];
