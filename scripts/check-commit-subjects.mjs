#!/usr/bin/env node
// `npm run lint:commits`: every commit since the convention began has a subject of at most 72 characters
// (CONTRIBUTING.md, "Commits"). Older history is left as it was written.
import { execFileSync } from 'node:child_process';
import process from 'node:process';

const CONVENTION_SINCE = '385e696'; // the first commit of the re-cut, when the convention was written down
const MAX = 72;

let log;
try {
  log = execFileSync('git', ['log', '--format=%h%x09%s', `${CONVENTION_SINCE}^..HEAD`], { encoding: 'utf8' });
} catch (e) {
  // A tarball or a shallow clone without that commit: nothing to check, and say so.
  process.stdout.write(
    `lint:commits: skipped (git history from ${CONVENTION_SINCE} not available: ${e.message.split('\n')[0]})\n`,
  );
  process.exit(0);
}
const long = log
  .split('\n')
  .filter(Boolean)
  .map((line) => line.split('\t'))
  .filter(([, subject]) => subject.length > MAX);
for (const [hash, subject] of long)
  process.stderr.write(`${hash}: subject is ${subject.length} characters (max ${MAX}): ${subject}\n`);
if (long.length) process.exit(1);
process.stdout.write(`lint:commits: ${log.split('\n').filter(Boolean).length} subjects ≤ ${MAX} characters\n`);
