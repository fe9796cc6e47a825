/**
 * `flightwatch candidates list|show|accept|reject`: aircraft nobody has listed that behave like removal
 * charters (docs/discovery.md). Accept writes a watch entry with its provenance into the config file, or the
 * watchlist overlay it names (comments and layout kept); reject keeps the aircraft from being proposed again unless it does more.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseConfigText, formatProblem, resolveConfigPath, type ConfigProblem } from '../../config/load';
import { writeFileAtomic } from '../../data/atomic-write';
import {
  CandidateError,
  discoveryDb,
  getCandidate,
  listCandidates,
  markAccepted,
  markRejected,
  sightingsOf,
  type CandidateRow,
  type CandidateState,
  type DiscoveryDatabase,
} from '../../discovery';
import {
  addWatchEntry,
  NEW_OVERLAY_TEXT,
  sightingsSummary,
  watchEntryFor,
  type NewWatchEntry,
} from '../../discovery/watch-entry';
import type { Kysely } from 'kysely';
import { openRecord, recordAction, type RecordContext } from '../record-context';

type Common = { config?: string; json?: boolean };

async function withDb<T>(o: Common, fn: (db: Kysely<DiscoveryDatabase>, ctx: RecordContext) => Promise<T>): Promise<T> {
  const ctx = await openRecord(o);
  try {
    return await fn(discoveryDb(ctx.db), ctx);
  } finally {
    await ctx.archive.close();
  }
}

const out = (s: string): void => void process.stdout.write(`${s}\n`);
const reasonsOf = (c: CandidateRow) => JSON.parse(c.reasons) as string[];
const what = (c: CandidateRow) => [c.type, c.registration, c.callsign].filter(Boolean).join(' ') || '(unknown)';

function line(c: CandidateRow): string {
  return `${c.id}  ${c.hex}  ${what(c)}  score ${c.score.toFixed(2)}  ${c.state}  last seen ${c.last_seen.slice(0, 16)}Z`;
}

function readText(file: string, missing?: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    if (missing !== undefined && (e as NodeJS.ErrnoException).code === 'ENOENT') return missing;
    throw new CandidateError(`cannot read ${file}: ${(e as Error).message}`);
  }
}

/**
 * Where the entry goes and that file's new text: the watchlist overlay when the config names one (the config
 * may be mounted read-only), else the config itself. Never a file the worker would refuse: the config is
 * validated with the new text in place (ids unique across both files) before anything is written.
 */
function withEntry(configFile: string, entry: NewWatchEntry): { file: string; next: string } {
  const configText = readText(configFile);
  const fail = (problems: ConfigProblem[], what: string) =>
    new CandidateError(`${what} would not be valid: ${problems.map(formatProblem).join('; ')}`);
  const now = parseConfigText(configText, { file: configFile });
  if (!now.ok) throw fail(now.problems, configFile);
  const file = now.overlayFile ?? configFile;
  const next = addWatchEntry(readText(file, now.overlayFile ? NEW_OVERLAY_TEXT : undefined), entry, file);
  const check = now.overlayFile
    ? parseConfigText(configText, {
        file: configFile,
        readFile: (p) => (p === now.overlayFile ? next : readFileSync(p, 'utf8')),
      })
    : parseConfigText(next, { file: configFile });
  if (!check.ok) throw fail(check.problems, file);
  return { file, next };
}

/** Every sighting ever stored for the candidate: the evidence a person decides on. */
const evidenceOf = (db: Kysely<DiscoveryDatabase>, c: CandidateRow) => sightingsOf(db, c.hex, 0);

export function register(program: Command): void {
  const cmd = program
    .command('candidates')
    .description('unlisted aircraft that behave like removal charters: review, accept, reject');
  cmd
    .command('list')
    .description('candidates, highest score first')
    .option('--state <state>', 'proposed, accepted, rejected or all', 'proposed')
    .option('--limit <n>', 'at most this many', '100')
    .option('--json', 'print JSON')
    .option('--config <file>', 'config file')
    .action(
      recordAction('candidates', (o: Common & { state: string; limit: string }) =>
        withDb(o, async (db) => {
          const limit = Math.max(1, Math.min(10_000, Number.parseInt(o.limit, 10) || 100));
          const rows = await listCandidates(db, { state: o.state as CandidateState | 'all', limit });
          if (o.json)
            return out(
              JSON.stringify(
                rows.map((r) => ({ ...r, reasons: reasonsOf(r) })),
                null,
                2,
              ),
            );
          for (const r of rows) out(`${line(r)}\n    ${reasonsOf(r).join('\n    ')}`);
          if (!rows.length) out(`no ${o.state === 'all' ? '' : `${o.state} `}candidates`);
        }),
      ),
    );
  cmd
    .command('show <id>')
    .description('one candidate (id or hex): score, reasons and every sighting with source and time')
    .option('--json', 'print JSON')
    .option('--config <file>', 'config file')
    .action(
      recordAction('candidates', (id: string, o: Common) =>
        withDb(o, async (db) => {
          const c = await getCandidate(db, id);
          const sightings = await evidenceOf(db, c);
          if (o.json) return out(JSON.stringify({ ...c, reasons: reasonsOf(c), sightings }, null, 2));
          out(line(c));
          for (const r of reasonsOf(c)) out(`  - ${r}`);
          // A re-proposed candidate keeps its last decision: shown as what it was.
          const decision = c.state === 'proposed' ? 'rejected before' : c.state;
          if (c.decided_by) out(`  ${decision} by ${c.decided_by} at ${c.decided_at}${c.note ? `: ${c.note}` : ''}`);
          if (c.watch_id) out(`  watch entry: ${c.watch_id}`);
          out(`  sightings (${sightings.length}):`);
          for (const s of sightings)
            out(
              `    ${new Date(s.at).toISOString().slice(0, 16)}Z  ${s.place}${s.hub ? ' (hub)' : ` (${s.country})`}  ` +
                `${s.onGround ? 'ground' : `${s.altFt ?? '?'} ft`}  ${s.callsign ?? '-'}  ${s.type ?? '-'}  via ${s.source}`,
            );
        }),
      ),
    );
  cmd
    .command('accept <id>')
    .description('add a watch entry for the candidate to the config file or its watchlist overlay (comments kept)')
    .requiredOption('--reviewer <name>', 'who decided')
    .option('--id <watchId>', 'id of the new watch entry (default candidate-<hex>)')
    .option('--note <text>', 'why')
    .option('--config <file>', 'config file to add the entry to')
    .action(
      recordAction('candidates', (id: string, o: Common & { reviewer: string; id?: string; note?: string }) =>
        withDb(o, async (db) => {
          const c = await getCandidate(db, id);
          if (c.state === 'accepted')
            throw new CandidateError(`${c.id} is already accepted (watch entry ${c.watch_id})`);
          const sightings = await evidenceOf(db, c);
          const entry = watchEntryFor(c, sightings, { id: o.id, today: new Date() });
          const { file, next } = withEntry(resolveConfigPath(o.config), entry);
          // The file first: a decision recorded without its entry would hide the aircraft from the list.
          writeFileAtomic(file, next);
          await markAccepted(db, c, { by: o.reviewer, note: o.note, watchId: entry.id });
          out(`${c.id}: accepted by ${o.reviewer.trim()}; watch entry ${entry.id} added to ${file}`);
          out(`  sightings: ${sightingsSummary(sightings)}`);
        }),
      ),
    );
  cmd
    .command('reject <id>')
    .description('not a removal charter: not proposed again unless it does more (new hubs, types, callsigns)')
    .requiredOption('--reviewer <name>', 'who decided')
    .requiredOption('--note <text>', 'why')
    .option('--config <file>', 'config file')
    .action(
      recordAction('candidates', (id: string, o: Common & { reviewer: string; note: string }) =>
        withDb(o, async (db) => {
          const c = await markRejected(db, await getCandidate(db, id), { by: o.reviewer, note: o.note });
          out(`${c.id}: rejected by ${o.reviewer.trim()}`);
        }),
      ),
    );
}
