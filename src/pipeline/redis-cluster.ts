/**
 * Redis Cluster mode (REDIS_CLUSTER_NODES). Every key of a deployment carries its prefix in a hash tag
 * (`{flightwatch}:…`), so all of them hash to one slot: BullMQ's Lua scripts, the history append, the
 * notification log's pipelines and the track store's batches touch several keys at once, which a cluster only
 * allows within one slot. A deployment therefore lives on one master (and its replicas); several deployments
 * (prefixes) spread over the masters.
 */
import { Cluster, type Redis, type ClusterOptions } from 'ioredis';
import { redactor } from '../util/redact';

/** Workers wait for Redis to come back (a blocked command must not fail the job); producers fail fast. */
export type ConnectionRole = 'worker' | 'producer';

export interface ClusterSpec {
  nodes: { host: string; port: number }[];
  username?: string;
  password?: string;
}

/**
 * REDIS_CLUSTER_NODES: some or all masters, comma-separated, as `host:port` or `redis://[user:pass@]host:port`
 * (the first credentials given are used for every node; the cluster tells the client about the rest).
 */
export function parseClusterNodes(text: string, name = 'REDIS_CLUSTER_NODES'): ClusterSpec {
  const spec: ClusterSpec = { nodes: [] };
  for (const raw of text.split(',').map((s) => s.trim())) {
    if (!raw) continue;
    let u: URL;
    try {
      u = new URL(raw.includes('://') ? raw : `redis://${raw}`);
    } catch {
      throw new Error(`${name}: ${JSON.stringify(raw)} is not host:port or a redis:// URL`);
    }
    // The error names the entry without its password.
    const shown = u.password ? raw.replace(u.password, '***') : raw;
    if (!['redis:', 'rediss:'].includes(u.protocol) || !u.hostname || !u.port)
      throw new Error(`${name}: ${JSON.stringify(shown)} is not host:port or a redis:// URL with a port`);
    if (u.password) {
      spec.password ??= decodeURIComponent(u.password);
      spec.username ??= u.username ? decodeURIComponent(u.username) : undefined;
      redactor.addUrl(raw);
    }
    spec.nodes.push({ host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port) });
  }
  if (!spec.nodes.length) throw new Error(`${name} is set but names no node (expected host:port,host:port,…)`);
  return spec;
}

export function clusterFromEnv(env: NodeJS.ProcessEnv = process.env): ClusterSpec | undefined {
  return env.REDIS_CLUSTER_NODES ? parseClusterNodes(env.REDIS_CLUSTER_NODES) : undefined;
}

/** The first node as a URL without credentials, for logs. */
export const clusterUrlForLog = (spec: ClusterSpec): string => `redis://${spec.nodes[0]!.host}:${spec.nodes[0]!.port}`;

/**
 * A cluster client with the same per-role settings as createRedis. It is typed as Redis: the code above only
 * sends commands on keys of the one hash-tagged slot, which a Cluster routes and answers like a single server
 * (and BullMQ recognises a Cluster by itself). Keyless commands (CONFIG, INFO) reach one master.
 */
export function createClusterRedis(spec: ClusterSpec, role: ConnectionRole, extra: ClusterOptions = {}): Redis {
  const auth = { username: spec.username, password: spec.password };
  const opts: ClusterOptions =
    role === 'worker'
      ? {
          enableReadyCheck: true,
          ...extra,
          redisOptions: { ...auth, maxRetriesPerRequest: null, ...extra.redisOptions },
        }
      : {
          enableOfflineQueue: true,
          ...extra,
          redisOptions: { ...auth, maxRetriesPerRequest: 3, ...extra.redisOptions },
        };
  return new Cluster(spec.nodes, opts) as unknown as Redis;
}

/** Whether `url` names one of the cluster's nodes (a CLI given a node's URL reaches the whole cluster). */
export function isClusterNode(spec: ClusterSpec, url: string): boolean {
  try {
    const u = new URL(url);
    return spec.nodes.some((n) => n.host === u.hostname.replace(/^\[|\]$/g, '') && String(n.port) === u.port);
  } catch {
    return false;
  }
}
