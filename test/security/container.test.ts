/**
 * The container image, checked without a Docker engine. Parses the Dockerfile:
 *  - the final stage runs as a non-root USER and nothing after it switches back;
 *  - the runtime stage's file list — what its COPY lines put in the image: production node_modules (the deps
 *    stage's `npm ci --omit=dev`, taken from package-lock.json as npm would), the build stage's dist/, and the
 *    files named from the build context minus .dockerignore — is assembled in a temp dir and the worker is
 *    started from it with the image's ENV and CMD against a test redis-server: it runs with no dev dependency,
 *    and without Redis it gives the in-container advice.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { buildIfStale } from '../../scripts/build-if-stale.cjs';
import { REPO } from '../helpers/cli';
import { startRedis, type TestRedis } from '../helpers/redis-server';
import { spawnWorkerCommand, type WorkerProcess } from '../helpers/worker-process';

interface Instruction {
  op: string;
  args: string;
}

/** Dockerfile instructions with line continuations joined and comments dropped. */
function instructions(text: string): Instruction[] {
  return text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const m = /^(\S+)\s*(.*)$/.exec(l)!;
      return { op: m[1].toUpperCase(), args: m[2].trim() };
    });
}

interface Stage {
  name?: string;
  body: Instruction[];
}

function stages(ins: Instruction[]): Stage[] {
  const out: Stage[] = [];
  for (const i of ins) {
    if (i.op === 'FROM') out.push({ name: /\bAS\s+(\S+)/i.exec(i.args)?.[1], body: [] });
    else out[out.length - 1]?.body.push(i);
  }
  return out;
}

const DOCKERFILE = readFileSync(resolve(REPO, 'Dockerfile'), 'utf8');
const STAGES = stages(instructions(DOCKERFILE));
const FINAL = STAGES[STAGES.length - 1];
const stage = (name: string) => STAGES.find((s) => s.name === name) ?? fail(`no stage named ${name}`);
const runs = (s: Stage) => s.body.filter((i) => i.op === 'RUN').map((i) => i.args);

it('the final stage of the Dockerfile runs as a non-root USER', () => {
  const users = FINAL.body.filter((i) => i.op === 'USER').map((i) => i.args.split(':')[0]);
  expect(users.length).toBeGreaterThan(0);
  const effective = users[users.length - 1];
  expect(['root', '0', '']).not.toContain(effective);
  // The process starts after the last USER: CMD/ENTRYPOINT come later or are inherited by it.
  const lastUser = FINAL.body.map((i) => i.op).lastIndexOf('USER');
  expect(FINAL.body.slice(lastUser + 1).some((i) => i.op === 'CMD' || i.op === 'ENTRYPOINT')).toBe(true);
});

it('the Dockerfile names no BuildKit frontend to fetch, and compose repeats the health check', () => {
  expect(DOCKERFILE).not.toMatch(/^#\s*syntax\s*=/im);
  const compose = readFileSync(resolve(REPO, 'docker-compose.yml'), 'utf8');
  const worker = compose.slice(compose.indexOf('\n  worker:'), compose.indexOf('\n  signal:'));
  expect(worker).toMatch(/\n {4}healthcheck:\n(?: {6}.*\n)+/);
  expect(worker).toMatch(/\/livez/);
});

/** .dockerignore patterns as Docker reads them: rooted at the context, `*` within one path segment. */
function ignoredBy(patterns: string[]): (rel: string) => boolean {
  const res = patterns.map((p) => {
    if (p.startsWith('!')) throw new Error(`.dockerignore: exceptions (${p}) are not modelled by this test`);
    const body = p
      .replace(/^\/+|\/+$/g, '')
      .split('')
      .map((c) => (c === '*' ? '[^/]*' : c === '?' ? '[^/]' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    return new RegExp(`^${body}(/|$)`);
  });
  return (rel) => res.some((r) => r.test(rel));
}

/** Copies a context path into `dest`, leaving out what .dockerignore excludes. */
function copyFromContext(src: string, dest: string, ignored: (rel: string) => boolean) {
  const rel = relative(REPO, resolve(REPO, src));
  if (ignored(rel)) return;
  cpSync(resolve(REPO, src), dest, { recursive: true, filter: (f) => !ignored(relative(REPO, f)) });
}

/** What `npm ci --omit=dev` installs: every package-lock entry not marked dev that exists for this platform. */
function copyProductionModules(dest: string) {
  const lock = JSON.parse(readFileSync(resolve(REPO, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; link?: boolean }>;
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (!path || entry.dev) continue;
    if (entry.link) throw new Error(`${path}: linked packages are not modelled by this test`);
    const from = resolve(REPO, path);
    if (!existsSync(from)) continue; // an optional dependency for another platform
    const to = join(dest, relative('node_modules', path));
    mkdirSync(dirname(to), { recursive: true });
    // Nested node_modules are entries of their own (and may be dev-only): copied by their own entry.
    cpSync(from, to, { recursive: true, filter: (f) => !relative(from, f).split('/').includes('node_modules') });
  }
}

function sizeMb(dir: string): number {
  let bytes = 0;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.isFile()) bytes += statSync(join(d, e.name)).size;
    }
  };
  walk(dir);
  return bytes / 1e6;
}

describe("the runtime stage's file list, started as the image would start it", () => {
  let root: string;
  let app: string;
  let workdir: string;
  let redis: TestRedis | undefined;
  let worker: WorkerProcess | undefined;

  beforeAll(() => {
    // Node resolves modules up the tree: a node_modules above the temp dir would hide a missing dependency.
    expect(existsSync(join(tmpdir(), 'node_modules'))).toBe(false);
    root = mkdtempSync(join(tmpdir(), 'fw-image-'));
    const wd = FINAL.body.filter((i) => i.op === 'WORKDIR').map((i) => i.args);
    workdir = wd[wd.length - 1] ?? fail('the runtime stage sets no WORKDIR');
    app = join(root, workdir);
    mkdirSync(app, { recursive: true });
    const ignored = ignoredBy(
      readFileSync(resolve(REPO, '.dockerignore'), 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('#')),
    );
    for (const copy of FINAL.body.filter((i) => i.op === 'COPY')) {
      const words = copy.args.split(/\s+/);
      const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length);
      const paths = words.filter((w) => !w.startsWith('--'));
      const target = paths.pop()!;
      const dest = resolve(app, target);
      if (!from) {
        for (const p of paths)
          copyFromContext(p, paths.length > 1 || target.endsWith('/') ? join(dest, p) : dest, ignored);
        continue;
      }
      expect(paths).toHaveLength(1);
      const what = `${from}:${paths[0]}`;
      if (what === `deps:${workdir}/node_modules`) {
        expect(runs(stage('deps')).some((r) => /\bnpm ci\b.*--omit=dev/.test(r))).toBe(true);
        copyProductionModules(dest);
      } else if (what === `build:${workdir}/dist`) {
        const build =
          runs(stage('build')).find((r) => /\bnpm run build\b/.test(r)) ?? fail('build stage: no npm run build');
        // The same compiler output as the build stage's `npm run build` (built here only when src/ changed).
        const r = buildIfStale(REPO);
        expect(r.failed).toBeFalsy();
        const dropMaps = build.includes("-name '*.map' -delete");
        cpSync(resolve(REPO, 'dist'), dest, {
          recursive: true,
          filter: (f) => !(dropMaps && f.endsWith('.map')) && !f.endsWith('.tsbuildinfo'),
        });
      } else {
        throw new Error(`COPY --from=${what}: not modelled by this test; teach it what that stage produces`);
      }
    }
  }, 240_000);

  afterEach(async () => {
    if (worker && worker.child.exitCode === null && worker.child.signalCode === null) {
      worker.child.kill('SIGKILL');
      await worker.exited;
    }
    worker = undefined;
  });
  afterAll(async () => {
    await redis?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  /** The image's ENV with its paths moved under the temp dir; loopback and a free port for a test. */
  function imageEnv(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: app, TMPDIR: tmpdir() };
    for (const i of FINAL.body.filter((x) => x.op === 'ENV'))
      for (const m of i.args.matchAll(/(\w+)=("[^"]*"|\S+)/g))
        env[m[1]] = m[2].replace(/^"|"$/g, '').replace(new RegExp(`^${workdir}(?=/|$)`), app);
    return { ...env, PORT: '0', HTTP_HOST: '127.0.0.1' };
  }

  function imageCommand(): string[] {
    const cmd = FINAL.body.filter((i) => i.op === 'CMD').pop() ?? fail('the runtime stage has no CMD');
    const argv = JSON.parse(cmd.args) as string[];
    expect(argv[0]).toBe('node');
    return [process.execPath, ...argv.slice(1)];
  }

  it('holds dist, production dependencies and the config, and no dev dependency or source', () => {
    expect(existsSync(join(app, 'dist/cli/index.js'))).toBe(true);
    expect(existsSync(join(app, 'config/flightwatch.yaml'))).toBe(true);
    for (const dev of ['typescript', 'jest', 'ts-node', 'tsx', 'eslint', 'smtp-server'])
      expect(existsSync(join(app, 'node_modules', dev))).toBe(false);
    for (const absent of ['src', 'test', 'scripts', '.env', 'data', 'dist/.tsbuildinfo'])
      expect(existsSync(join(app, absent))).toBe(false);
    expect(readdirSync(join(app, 'dist'), { recursive: true }).some((f) => String(f).endsWith('.map'))).toBe(false);
    console.log(
      `runtime file list: ${sizeMb(app).toFixed(0)} MB (node_modules ${sizeMb(join(app, 'node_modules')).toFixed(0)} MB)`,
    );
  });

  it('starts the worker with the image ENV and CMD against Redis, answers /livez, stops cleanly', async () => {
    redis = await startRedis();
    worker = spawnWorkerCommand(imageCommand(), { cwd: app, env: { ...imageEnv(), REDIS_URL: redis.url } });
    const port = await worker.port();
    const live = await fetch(`http://127.0.0.1:${port}/livez`);
    expect(live.status).toBe(200);
    await worker.waitForLog('worker started', (l) => l.msg === 'worker started', { timeoutMs: 30_000 });
    // The archive (SQLite in the data dir, libsql from the production tree) opened and fed the fleet priors.
    const fleet = await worker.waitForLog('fleet priors', (l) => l.msg === 'fleet priors loaded from the archive', {
      timeoutMs: 90_000,
    });
    expect(fleet.legs).toBe(0);
    worker.child.kill('SIGTERM');
    const exit = await worker.exited;
    expect(exit.code).toBe(0);
    expect(worker.output()).not.toMatch(/Cannot find module/);
  }, 200_000);

  it('without REDIS_URL it says to set REDIS_URL or use compose, not to install a package', async () => {
    worker = spawnWorkerCommand(imageCommand(), { cwd: app, env: imageEnv() });
    const exit = await worker.exited;
    expect(exit.code).toBe(1);
    const text = worker.output();
    expect(text.match(/No Redis available/g)).toHaveLength(1);
    expect(text).toMatch(/REDIS_URL=redis:\/\/redis:6379/);
    expect(text).toMatch(/docker compose up -d/);
    expect(text).not.toMatch(/apt-get|brew install/);
  }, 60_000);
});
