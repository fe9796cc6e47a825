/** What the choice of Redis gives the worker, and the error when there is none to give. */
import { existsSync } from 'node:fs';

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

/**
 * Whether this process runs in a container, and whose: `image` when our image says so (FLIGHTWATCH_CONTAINER=1),
 * `detected` when Docker's /.dockerenv or podman's /run/.containerenv exists — which is also true of development
 * containers, where installing redis-server is a fair answer, so that case keeps the install advice too.
 */
export type ContainerKind = 'image' | 'detected' | 'host';

export function runningInContainer(
  env: NodeJS.ProcessEnv = process.env,
  exists: (file: string) => boolean = existsSync,
): ContainerKind {
  if (env.FLIGHTWATCH_CONTAINER === '1') return 'image';
  return exists('/.dockerenv') || exists('/run/.containerenv') ? 'detected' : 'host';
}

const CONTAINER_ADVICE =
  '  - set REDIS_URL to a Redis the container can reach, e.g. `docker run -e REDIS_URL=redis://redis:6379 …`\n' +
  '    (a Redis on the same network; 127.0.0.1 is the container itself), or\n' +
  '  - run the whole stack with `docker compose up -d` from the repository: it starts Redis and sets REDIS_URL\n' +
  '    (see docs/operations.md, "Container")';

const HOST_ADVICE =
  '  - install it: apt-get install redis-server   (macOS: brew install redis) and run `npm start` again\n' +
  '    (a redis-server on PATH is started and stopped with the worker, data in ./data/redis), or\n' +
  '  - point REDIS_URL at a running server, e.g. REDIS_URL=redis://127.0.0.1:6379, or\n' +
  '  - run the whole stack with `docker compose up -d` (see README).';

/** How to get Redis: inside the image a package install is no answer (the next image drops it), REDIS_URL is. */
function advice(container: ContainerKind): string {
  if (container === 'image')
    return `This is the flightwatch container; its image has no redis-server. Either:\n${CONTAINER_ADVICE}.`;
  if (container === 'detected')
    return `This looks like a container. Either:\n${CONTAINER_ADVICE}, or, if this container is a development environment:\n${HOST_ADVICE}`;
  return `Either:\n${HOST_ADVICE}`;
}

export class RedisUnavailableError extends Error {
  constructor(detail: string, container = runningInContainer()) {
    super(`No Redis available (${detail}). flightwatch needs Redis 7 for its queues and state. ${advice(container)}`);
    this.name = 'RedisUnavailableError';
  }
}
