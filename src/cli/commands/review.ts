/**
 * `flightwatch review list|confirm|reject|correct|history`: a person decides whether each leg counts, and as
 * what. Every change is kept (who, when, before, after, why); counts and exports use the reviewed values.
 */
import type { Command } from 'commander';
import { LEG_CATEGORIES } from '../../domain/leg-classification';
import { listUnreviewed, reviewHistory, reviewLeg, type ReviewAction } from '../../archive/review/store';
import { openRecord, recordAction } from '../record-context';

type Common = { reviewer: string; note?: string; config?: string };

async function apply(legId: string, o: Common, action: ReviewAction): Promise<void> {
  const ctx = await openRecord(o);
  try {
    const { before, after } = await reviewLeg(ctx.db, { legId, reviewer: o.reviewer }, action);
    const show = (s: typeof before) => `${s.state}${s.category ? ` (${s.category})` : ''}`;
    process.stdout.write(`${legId}: ${show(before)} → ${show(after)} by ${o.reviewer.trim()}\n`);
  } finally {
    await ctx.archive.close();
  }
}

export function register(program: Command): void {
  const cmd = program.command('review').description('confirm, reject or correct how archived legs are counted');
  cmd
    .command('list')
    .description('legs nobody has reviewed yet, oldest first')
    .option('--category <category>', `only this category (${LEG_CATEGORIES.join(', ')})`)
    .option('--from <date>', 'departed on or after (ISO date/time)')
    .option('--to <date>', 'departed before (ISO date/time)')
    .option('--limit <n>', 'at most this many', '100')
    .option('--json', 'print JSON')
    .option('--config <file>', 'config file')
    .action(
      recordAction(
        'review',
        async (o: {
          category?: string;
          from?: string;
          to?: string;
          limit: string;
          json?: boolean;
          config?: string;
        }) => {
          const ctx = await openRecord(o);
          try {
            const limit = Math.max(1, Math.min(10_000, Number.parseInt(o.limit, 10) || 100));
            const legs = await listUnreviewed(ctx.db, { ...o, limit });
            if (o.json) return void process.stdout.write(`${JSON.stringify(legs, null, 2)}\n`);
            for (const l of legs)
              process.stdout.write(
                `${l.id}  ${l.hex}  ${l.departure_icao ?? '?'} → ${l.arrival_icao ?? '?'}  ${l.departed_at ?? '?'}  ` +
                  `${l.category ?? 'unclassified'} (${l.confidence ?? '?'})\n`,
              );
            if (!legs.length) process.stdout.write('no unreviewed legs\n');
          } finally {
            await ctx.archive.close();
          }
        },
      ),
    );
  const reviewer = '--reviewer <name>';
  cmd
    .command('confirm <legId>')
    .description('the leg counts as classified')
    .requiredOption(reviewer, 'who decided')
    .option('--note <text>', 'why')
    .option('--config <file>', 'config file')
    .action(recordAction('review', (id: string, o: Common) => apply(id, o, { action: 'confirm', note: o.note })));
  cmd
    .command('reject <legId>')
    .description('the leg does not count (not a removal-related flight, a false detection)')
    .requiredOption(reviewer, 'who decided')
    .requiredOption('--note <text>', 'why')
    .option('--config <file>', 'config file')
    .action(recordAction('review', (id: string, o: Common) => apply(id, o, { action: 'reject', note: o.note ?? '' })));
  cmd
    .command('correct <legId>')
    .description('the leg counts, as another category')
    .requiredOption('--category <category>', LEG_CATEGORIES.join(', '))
    .requiredOption(reviewer, 'who decided')
    .requiredOption('--note <text>', 'why')
    .option('--config <file>', 'config file')
    .action(
      recordAction('review', (id: string, o: Common & { category: string }) =>
        apply(id, o, { action: 'correct', category: o.category, note: o.note ?? '' }),
      ),
    );
  cmd
    .command('history <legId>')
    .description("the leg's audit trail: every review change, oldest first")
    .option('--config <file>', 'config file')
    .action(
      recordAction('review', async (id: string, o: { config?: string }) => {
        const ctx = await openRecord(o);
        try {
          const rows = await reviewHistory(ctx.db, id);
          for (const r of rows)
            process.stdout.write(`${r.at}  ${r.reviewer}  ${r.before} → ${r.after}${r.note ? `  # ${r.note}` : ''}\n`);
          if (!rows.length) process.stdout.write(`no review of ${id}\n`);
        } finally {
          await ctx.archive.close();
        }
      }),
    );
}
