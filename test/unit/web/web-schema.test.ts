import { webSchema } from '../../../src/config/web-schema';
import { resolveUsers, sessionSecret, ConsoleConfigError } from '../../../src/web/auth/users';

const issues = (input: unknown) => {
  const r = webSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('web: config', () => {
  it('defaults to 127.0.0.1, no port, no users, public mode off', () => {
    const w = webSchema.parse(undefined);
    expect(w).toMatchObject({ host: '127.0.0.1', users: [], publicMode: { enabled: false, hideFields: [] } });
    expect(w.port).toBeUndefined();
    expect(w.sessionTtl).toBe(12 * 3_600_000);
  });
  it('names the path of each problem', () => {
    expect(
      issues({
        users: [
          { name: 'ana', role: 'reviewer', passwordHashEnv: 'PW_ANA' },
          { name: 'ana', role: 'boss', passwordHashEnv: 'pw ana' },
        ],
        publicMode: { enabled: true, hideFields: ['registraton'] },
      }),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^users\.1\.role: /),
        expect.stringMatching(/^users\.1\.passwordHashEnv: "pw ana" is not an environment variable name/),
        expect.stringMatching(/^publicMode\.hideFields\.0: /),
      ]),
    );
    expect(
      issues({
        users: [
          { name: 'a', role: 'viewer', passwordHashEnv: 'A' },
          { name: 'a', role: 'viewer', passwordHashEnv: 'B' },
        ],
        sessionSecretEnv: 'S',
      }),
    ).toEqual(['users.1.name: "a" is already users[0]']);
    expect(issues({ users: [{ name: 'a', role: 'viewer', passwordHashEnv: 'A' }] })).toEqual([
      'sessionSecretEnv: users need a session secret: name the environment variable that holds it',
    ]);
  });
  it('names the user and variable when a hash or the session secret is missing from the environment', () => {
    const w = webSchema.parse({
      users: [{ name: 'ana', role: 'viewer', passwordHashEnv: 'PW_ANA' }],
      sessionSecretEnv: 'SECRET',
    });
    expect(() => resolveUsers(w, {})).toThrow(
      new ConsoleConfigError(
        'web.users[0] (ana): environment variable PW_ANA is not set (flightwatch web hash-password)',
      ),
    );
    expect(() => resolveUsers(w, { PW_ANA: 'plaintext' })).toThrow(
      /web.users\[0\] \(ana\): PW_ANA is not a password hash/,
    );
    expect(() => sessionSecret(w, {})).toThrow(/SECRET is not set/);
    expect(() => sessionSecret(w, { SECRET: 'short' })).toThrow(/shorter than 32 characters/);
  });
});
