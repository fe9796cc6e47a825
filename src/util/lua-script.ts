/**
 * A Lua script called by its SHA1 (EVALSHA). EVAL sends the script's whole text with every call: on the notify
 * path, one call per alert, building and writing that text cost the worker more CPU than the call's own work,
 * and Redis hashed the text again each time. The text is sent only when Redis does not hold the script (NOSCRIPT:
 * a restart, SCRIPT FLUSH, a cluster node that never ran it); EVAL then caches it there.
 */
import { createHash } from 'node:crypto';
import type { ChainableCommander, Cluster, Redis } from 'ioredis';

type Arg = string | number | Buffer;

const isNoScript = (e: unknown): boolean => e instanceof Error && e.message.startsWith('NOSCRIPT');

export class LuaScript {
  readonly sha: string;

  constructor(readonly lua: string) {
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  /** One call: the reply, or the script's error (a NOSCRIPT is answered by sending the text once). */
  async run(redis: Redis | Cluster, numKeys: number, ...args: Arg[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, numKeys, ...args);
    } catch (e) {
      if (!isNoScript(e)) throw e;
      return redis.eval(this.lua, numKeys, ...args);
    }
  }

  /**
   * Many calls in one round trip, in order: [error, reply] per call, as a pipeline gives them. When Redis did
   * not hold the script, the calls that said so are sent again with its text, in their order (a script is
   * either loaded on the node or not: in practice all of them or none).
   */
  async runMany(
    redis: Redis | Cluster,
    calls: readonly (readonly [number, ...Arg[]])[],
  ): Promise<[Error | null, unknown][]> {
    const send = async (indexes: readonly number[], evalText: boolean): Promise<[Error | null, unknown][]> => {
      const p: ChainableCommander = redis.pipeline();
      for (const i of indexes) {
        const [numKeys, ...args] = calls[i]!;
        if (evalText) p.eval(this.lua, numKeys, ...args);
        else p.evalsha(this.sha, numKeys, ...args);
      }
      const replies = (await p.exec()) ?? [];
      return indexes.map((_i, j) => replies[j] ?? [new Error('no reply from Redis'), null]);
    };
    // One call needs no pipeline (ioredis copies the connection's defined commands onto every pipeline).
    if (calls.length === 1) {
      const [numKeys, ...args] = calls[0]!;
      return [
        await this.run(redis, numKeys, ...args).then(
          (r): [null, unknown] => [null, r],
          (e: Error) => [e, null],
        ),
      ];
    }
    const all = calls.map((_c, i) => i);
    const replies = await send(all, false);
    const missing = all.filter((i) => isNoScript(replies[i]![0]));
    if (!missing.length) return replies;
    const again = await send(missing, true);
    missing.forEach((i, j) => (replies[i] = again[j]!));
    return replies;
  }
}
