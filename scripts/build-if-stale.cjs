#!/usr/bin/env node
// Builds dist/ only when the sources changed since the last build, so `npm start` does not pay for the
// TypeScript compiler (20–37 s on a busy host) on every start. The stamp is a digest of each input's path, size
// and mtime: one stat per file (~270 files, a few milliseconds), and an added, edited or deleted file changes it.
//
//   node scripts/build-if-stale.cjs            build when stale (prestart)
//   node scripts/build-if-stale.cjs --force    always build (npm run build), then stamp
//   node scripts/build-if-stale.cjs --check    exit 0 when fresh, 1 when stale; builds nothing
//   node scripts/build-if-stale.cjs --if-possible   as the default, but a checkout without src/ or without
//                                                   the compiler (npm ci --omit=dev) is left alone (prepare)
'use strict';
const { createHash } = require('node:crypto');
const { existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

/** What the build reads: the sources, the compiler settings, and the package files (`version` is compiled in). */
const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json'];
const STAMP = path.join('dist', '.build-stamp');
/** The file `npm start` runs: a stamp without it is not a build. */
const ENTRY = path.join('dist', 'cli', 'index.js');

/** Every regular file under `rel` (a file or a directory), as paths relative to `root`. */
function listFiles(root, rel) {
  const abs = path.join(root, rel);
  if (!existsSync(abs)) return [];
  if (!statSync(abs).isDirectory()) return [rel];
  return readdirSync(abs, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? listFiles(root, path.join(rel, d.name)) : d.isFile() ? [path.join(rel, d.name)] : [],
  );
}

/** The digest of the build inputs under `root`. */
function inputDigest(root, inputs = INPUTS) {
  const hash = createHash('sha256');
  const files = inputs.flatMap((i) => listFiles(root, i)).sort();
  for (const f of files) {
    const s = statSync(path.join(root, f));
    hash.update(`${f.split(path.sep).join('/')}\t${s.size}\t${Math.trunc(s.mtimeMs)}\n`);
  }
  return { digest: hash.digest('hex'), files: files.length };
}

/** Why `root` needs a build, or undefined when dist/ matches its inputs. */
function staleReason(root, inputs = INPUTS) {
  if (!existsSync(path.join(root, ENTRY))) return `${ENTRY} is missing`;
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(path.join(root, STAMP), 'utf8'));
  } catch {
    return `${STAMP} is missing or unreadable`;
  }
  return stamp.digest === inputDigest(root, inputs).digest ? undefined : 'sources changed since the last build';
}

/** The project's own compiler, run by this node (no npx lookup: it costs a second on a loaded host). */
function tscCommand(root) {
  return [process.execPath, compilerPath(root), '-p', 'tsconfig.build.json'];
}

function compilerPath(root) {
  return path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
}

function writeStamp(root, digest) {
  mkdirSync(path.join(root, 'dist'), { recursive: true });
  writeFileSync(path.join(root, STAMP), JSON.stringify(digest) + '\n');
}

/**
 * Builds `root` when stale (or always with `force`) by running `command` there. The digest is taken before the
 * build, so an edit made while the compiler runs leaves the stamp stale and the next start builds again.
 */
function buildIfStale(root, { force = false, command = tscCommand(root), log = () => {} } = {}) {
  const reason = force ? 'build requested' : staleReason(root);
  if (!reason) return { built: false };
  log(`building dist/ (${reason})`);
  const before = inputDigest(root);
  const r = spawnSync(command[0], command.slice(1), { cwd: root, stdio: 'inherit' });
  if (r.error) throw r.error;
  if (r.status !== 0) return { built: false, failed: true, status: r.status ?? 1 };
  writeStamp(root, before);
  return { built: true, reason };
}

module.exports = { INPUTS, STAMP, ENTRY, inputDigest, staleReason, buildIfStale };

if (require.main === module) {
  const root = path.resolve(__dirname, '..');
  const args = new Set(process.argv.slice(2));
  const log = (m) => process.stderr.write(`flightwatch: ${m}\n`);
  if (args.has('--check')) {
    const reason = staleReason(root);
    process.stdout.write(reason ? `stale: ${reason}\n` : 'fresh\n');
    process.exit(reason ? 1 : 0);
  }
  if (args.has('--if-possible')) {
    if (!existsSync(path.join(root, 'src')) || !existsSync(compilerPath(root))) process.exit(0);
  }
  const result = buildIfStale(root, { force: args.has('--force'), log });
  if (result.failed) process.exit(result.status);
}
