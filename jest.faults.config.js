/**
 * `npm run test:faults`: the long-running fault suite (real worker processes killed, Redis killed and
 * restarted, SMTP/webhook outages of minutes). Each test prints one JSON summary line; RELIABILITY.md
 * copies them. Kept out of the default `npm test` (see jest.config.js testPathIgnorePatterns).
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/faults'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 600_000,
  maxWorkers: 1,
};
