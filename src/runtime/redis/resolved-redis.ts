/** What the choice of Redis gives the worker, and the error when there is none to give. */

import type { ClusterSpec } from '../../pipeline/redis-cluster';

export interface ResolvedRedis {
  /** The server's URL; for a cluster, its first node's (for logs). */
  url: string;
  origin: 'env' | 'local' | 'embedded' | 'cluster';
  /** Set in cluster mode (REDIS_CLUSTER_NODES): connect with createClusterRedis. */
  cluster?: ClusterSpec;
  /** Stops the embedded server (no-op otherwise). */
  stop(): Promise<void>;
}

export class RedisUnavailableError extends Error {
  constructor(detail: string) {
    super(
      `No Redis available (${detail}). flightwatch needs Redis 7 for its queues and state. Either:\n` +
        '  - install it: apt-get install redis-server   (macOS: brew install redis) and run `npm start` again\n' +
        '    (a redis-server on PATH is started and stopped with the worker, data in ./data/redis), or\n' +
        '  - point REDIS_URL at a running server, e.g. REDIS_URL=redis://127.0.0.1:6379, or\n' +
        '  - run the whole stack with `docker compose up -d` (see README).',
    );
    this.name = 'RedisUnavailableError';
  }
}
