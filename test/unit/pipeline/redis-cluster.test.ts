import { parseClusterNodes, clusterUrlForLog } from '../../../src/pipeline/redis-cluster';
import { hashTagged } from '../../../src/pipeline/names';
import { redisPrefix } from '../../../src/pipeline/connection';
import { redactor } from '../../../src/util/redact';
import { resolveRedis } from '../../../src/runtime/redis/resolve-redis';
import { chooseRedis } from '../../../src/runtime/worker';
import { silentLogger } from '../../../src/util/log';

describe('Redis Cluster settings', () => {
  it('reads REDIS_CLUSTER_NODES as host:port or redis:// URLs, the first credentials for all', () => {
    const spec = parseClusterNodes(' 127.0.0.1:7000, redis://ops:s3cret-pw@10.0.0.2:7001 ,[::1]:7002');
    expect(spec.nodes).toEqual([
      { host: '127.0.0.1', port: 7000 },
      { host: '10.0.0.2', port: 7001 },
      { host: '::1', port: 7002 },
    ]);
    expect(spec).toMatchObject({ username: 'ops', password: 's3cret-pw' });
    expect(clusterUrlForLog(spec)).toBe('redis://127.0.0.1:7000');
    // The password is masked wherever it would be logged.
    expect(redactor.mask('auth failed for s3cret-pw')).not.toContain('s3cret-pw');
  });

  it.each([
    ['', 'REDIS_CLUSTER_NODES is set but names no node'],
    ['127.0.0.1', 'REDIS_CLUSTER_NODES: "127.0.0.1" is not host:port'],
    ['http://h:1', 'REDIS_CLUSTER_NODES: "http://h:1" is not host:port'],
    ['redis://:pw@h', 'REDIS_CLUSTER_NODES: "redis://:***@h" is not host:port'],
  ])('%j is refused with a message naming the entry', (text, message) => {
    expect(() => parseClusterNodes(text)).toThrow(message);
  });

  it('hash-tags the key prefix in cluster mode only, so every key of a deployment is in one slot', () => {
    expect(hashTagged('flightwatch')).toBe('{flightwatch}');
    expect(hashTagged('{group-a}')).toBe('{group-a}');
    expect(hashTagged('fw:{group-a}')).toBe('fw:{group-a}');
    expect(redisPrefix({})).toBe('flightwatch');
    expect(redisPrefix({ FLIGHTWATCH_REDIS_PREFIX: 'group-a' })).toBe('group-a');
    expect(redisPrefix({ REDIS_CLUSTER_NODES: '127.0.0.1:7000' })).toBe('{flightwatch}');
    expect(redisPrefix({ REDIS_CLUSTER_NODES: 'h:1', FLIGHTWATCH_REDIS_PREFIX: 'group-a' })).toBe('{group-a}');
    expect(redisPrefix({ REDIS_CLUSTER_NODES: 'h:1' }, 'given')).toBe('{given}');
  });
});

describe('choosing a Redis Cluster', () => {
  const opts = { dataDir: '/nonexistent', log: silentLogger };

  it('REDIS_CLUSTER_NODES selects the cluster, shown by its first node without credentials', async () => {
    const r = await resolveRedis({
      ...opts,
      env: { REDIS_CLUSTER_NODES: 'redis://:pw-x@10.1.1.1:7000,10.1.1.2:7000' },
    });
    expect(r).toMatchObject({ origin: 'cluster', url: 'redis://10.1.1.1:7000' });
    expect(r.cluster?.nodes).toHaveLength(2);
    // FLIGHTWATCH_REDIS=external accepts a cluster in place of REDIS_URL.
    const ext = await chooseRedis(
      { REDIS_CLUSTER_NODES: '10.1.1.1:7000', FLIGHTWATCH_REDIS: 'external' },
      '/x',
      silentLogger,
    );
    expect(ext.origin).toBe('cluster');
  });

  it('refuses REDIS_URL and REDIS_CLUSTER_NODES together', async () => {
    await expect(
      resolveRedis({ ...opts, env: { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_CLUSTER_NODES: '10.1.1.1:7000' } }),
    ).rejects.toThrow('REDIS_URL and REDIS_CLUSTER_NODES are both set');
  });
});
