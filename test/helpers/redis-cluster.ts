/**
 * A throwaway three-master Redis Cluster per test file: three `redis-server --cluster-enabled yes` children on
 * free loopback ports (client and bus port each), no persistence, each in a temp dir of its own (the cluster
 * writes nodes.conf there), joined by `redis-cli --cluster create … --cluster-yes`. Ready once every node
 * reports `cluster_state:ok` and agrees on all 16,384 slots. Never touches the shared 6379.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import IORedis from 'ioredis';
import { freePort } from '../../src/runtime/redis/free-port';
import { redisServerReady } from './redis-server';
import { until } from './wait';

const run = promisify(execFile);

export interface TestCluster {
  /** host:port of the masters, as REDIS_CLUSTER_NODES takes them. */
  nodes: string[];
  /** REDIS_CLUSTER_NODES for a worker. */
  env: string;
  ports: number[];
  stop(): Promise<void>;
}

interface Node {
  port: number;
  child: ChildProcess;
  exited: Promise<void>;
}

async function startNode(dir: string): Promise<Node> {
  for (let tries = 0; ; tries++) {
    const port = await freePort();
    const busPort = await freePort();
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--cluster-port',
        String(busPort),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        'nodes.conf',
        '--cluster-node-timeout',
        '5000',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    try {
      await redisServerReady(child, `cluster node on port ${port}`);
      return { port, child, exited };
    } catch (e) {
      child.kill('SIGKILL');
      await exited;
      if (tries < 3) continue; // most likely a port was taken meanwhile
      throw e;
    }
  }
}

/** Every node answers CLUSTER INFO with state ok and all slots assigned. */
async function clusterOk(ports: number[]): Promise<boolean> {
  for (const port of ports) {
    const r = new IORedis({ host: '127.0.0.1', port, lazyConnect: true, retryStrategy: () => null });
    r.on('error', () => undefined);
    try {
      await r.connect();
      const info = await r.cluster('INFO');
      if (!/cluster_state:ok/.test(info) || !/cluster_slots_ok:16384/.test(info)) return false;
    } finally {
      r.disconnect();
    }
  }
  return true;
}

export async function startRedisCluster(masters = 3): Promise<TestCluster> {
  const dirs: string[] = [];
  const nodes: Node[] = [];
  const stop = async () => {
    for (const n of nodes) n.child.kill('SIGKILL');
    await Promise.all(nodes.map((n) => n.exited));
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters; i++) {
      const dir = mkdtempSync(join(tmpdir(), 'fw-cluster-'));
      dirs.push(dir);
      nodes.push(await startNode(dir));
    }
    const addrs = nodes.map((n) => `127.0.0.1:${n.port}`);
    await run('redis-cli', ['--cluster', 'create', ...addrs, '--cluster-replicas', '0', '--cluster-yes'], {
      timeout: 30_000,
    });
    const ports = nodes.map((n) => n.port);
    await until('the cluster agreeing on all slots', () => clusterOk(ports), { timeoutMs: 30_000, intervalMs: 200 });
    return { nodes: addrs, env: addrs.join(','), ports, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
