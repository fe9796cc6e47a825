/**
 * `check-config --resolve` (also under --strict): the outbound URL check with DNS. A public-looking name can
 * point at 127.0.0.1, a LAN or the cloud metadata address; the literal check cannot see that, so each
 * channel host that is a name is resolved (all addresses, as the system resolver answers the worker) and
 * every address in a special range is reported. The answer depends on where it runs: run it where the
 * worker runs. Names that do not resolve are listed apart (a typo, or no DNS here), never as a problem.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Config } from '../../config/schema';
import { hostRange, urlRange } from '../../util/address-range';

/** All addresses of a host name. */
export type LookupAll = (host: string) => Promise<string[]>;

export const systemLookup: LookupAll = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

export interface ResolvedUrlReport {
  /** Names that resolve into a special range (same wording as the literal check). */
  problems: string[];
  /** Names that could not be resolved, with the reason. */
  unresolved: string[];
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_r, fail) => {
    timer = setTimeout(() => fail(new Error(`no answer within ${ms} ms (${what})`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export async function resolvedUrlProblems(
  c: Config,
  resolve: LookupAll = systemLookup,
  timeoutMs = 3000,
): Promise<ResolvedUrlReport> {
  const answers = new Map<string, Promise<string[]>>();
  const checks: Promise<{ problem?: string; unresolved?: string }>[] = [];
  c.alerts.channels.forEach((ch, i) => {
    if ((ch as { allowPrivate?: boolean }).allowPrivate) return;
    for (const [key, value] of Object.entries(ch)) {
      if (typeof value !== 'string' || !/^https?:\/\//i.test(value)) continue;
      if (urlRange(value)) continue; // a literal or well-known name: the literal check reports it
      let host: string;
      try {
        host = new URL(value).hostname.replace(/^\[|\]$/g, '');
      } catch {
        continue;
      }
      if (isIP(host)) continue; // a public literal: nothing to resolve
      const where = `alerts.channels[${i}].${key} (${ch.id})`;
      if (!answers.has(host)) answers.set(host, withTimeout(resolve(host), timeoutMs, host));
      checks.push(
        answers.get(host)!.then(
          (addresses) => {
            const special = addresses
              .map((a) => [a, hostRange(a)] as const)
              .filter((x): x is readonly [string, NonNullable<ReturnType<typeof hostRange>>] => !!x[1]);
            if (!special.length) return {};
            const list = special.map(([a, range]) => `${a} (${range})`).join(', ');
            return {
              problem:
                `${where}: ${host} resolves to ${list}; alerts would go to an internal service. ` +
                `Set allowPrivate: true on the channel if the receiver really runs next to the worker`,
            };
          },
          (e: unknown) => ({
            unresolved: `${where}: ${host} could not be resolved (${(e as { code?: string }).code ?? (e as Error).message})`,
          }),
        ),
      );
    }
  });
  const results = await Promise.all(checks);
  return {
    problems: results.flatMap((r) => (r.problem ? [r.problem] : [])),
    unresolved: results.flatMap((r) => (r.unresolved ? [r.unresolved] : [])),
  };
}
