/**
 * `npm start` builds only when the sources changed: the staleness check on a scratch project whose "compiler" is
 * a small node command writing dist/cli/index.js, so every case runs the real decision and the real build step.
 */
import {
  mkdtempSync,
  mkdirSync,
  rmSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
  existsSync,
  readFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildIfStale, staleReason, STAMP } from '../../../scripts/build-if-stale.cjs';

let root: string;
/** A build that records how often it ran: appends a line to dist/builds, writes the entry point. */
const build = [
  process.execPath,
  '-e',
  "const fs=require('fs');fs.mkdirSync('dist/cli',{recursive:true});fs.writeFileSync('dist/cli/index.js','');fs.appendFileSync('dist/builds','x\\n')",
];
const builds = () =>
  existsSync(join(root, 'dist/builds')) ? readFileSync(join(root, 'dist/builds'), 'utf8').length / 2 : 0;
const run = () => buildIfStale(root, { command: build });

/** Moves a file's mtime forward, as an editor's save does (a fast test could otherwise land in the same ms). */
function edit(rel: string, text: string, secondsLater = 5) {
  const f = join(root, rel);
  writeFileSync(f, text);
  const t = new Date(Date.now() + secondsLater * 1000);
  utimesSync(f, t, t);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'fw-build-'));
  mkdirSync(join(root, 'src/cli'), { recursive: true });
  writeFileSync(join(root, 'src/cli/index.ts'), 'export const a = 1;\n');
  writeFileSync(join(root, 'src/util.ts'), 'export const b = 2;\n');
  writeFileSync(join(root, 'tsconfig.json'), '{}\n');
  writeFileSync(join(root, 'package.json'), '{"version":"0.1.0"}\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

it('a fresh clone builds on the first start and not on the second', () => {
  expect(staleReason(root)).toMatch(/dist\/cli\/index\.js is missing/);
  expect(run()).toMatchObject({ built: true });
  expect(staleReason(root)).toBeUndefined();
  expect(run()).toEqual({ built: false });
  expect(builds()).toBe(1);
});

it('an edited, added or deleted source, or a changed tsconfig, makes the next start build', () => {
  run();
  edit('src/util.ts', 'export const b = 3;\n');
  expect(staleReason(root)).toBe('sources changed since the last build');
  run();
  expect(staleReason(root)).toBeUndefined();

  edit('src/new.ts', 'export const c = 1;\n');
  expect(staleReason(root)).toBeDefined();
  run();
  unlinkSync(join(root, 'src/new.ts'));
  expect(staleReason(root)).toBeDefined();
  run();
  edit('tsconfig.json', '{"compilerOptions":{}}\n');
  expect(staleReason(root)).toBeDefined();
  run();
  expect(builds()).toBe(5);
  expect(run()).toEqual({ built: false });
});

it('a dist/ built without a stamp (or with a damaged one) is rebuilt once', () => {
  run();
  writeFileSync(join(root, STAMP), 'not json');
  expect(staleReason(root)).toMatch(/build-stamp is missing or unreadable/);
  run();
  expect(staleReason(root)).toBeUndefined();
});

it('a failed build leaves no stamp, so the next start tries again', () => {
  const fail = [process.execPath, '-e', 'process.exit(2)'];
  expect(buildIfStale(root, { command: fail })).toEqual({ built: false, failed: true, status: 2 });
  expect(existsSync(join(root, STAMP))).toBe(false);
  expect(staleReason(root)).toBeDefined();
});

it('a source saved while the compiler runs is built again on the next start', () => {
  // The "compiler" edits a source mid-build: the stamp holds the digest from before, so it no longer matches.
  const editing = [
    process.execPath,
    '-e',
    "const fs=require('fs');fs.mkdirSync('dist/cli',{recursive:true});fs.writeFileSync('dist/cli/index.js','');" +
      "fs.writeFileSync('src/util.ts','export const b = 9;\\n');const t=new Date(Date.now()+5000);fs.utimesSync('src/util.ts',t,t)",
  ];
  expect(buildIfStale(root, { command: editing })).toMatchObject({ built: true });
  expect(staleReason(root)).toBe('sources changed since the last build');
});
