/**
 * `flightwatch evidence export <leg|trip|event id> --out DIR|FILE.zip`, `evidence verify PATH [--key PEM]`,
 * `evidence key`: signed, verifiable bundles of what the archive holds about one flight (docs/record.md).
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { exportEvidence } from '../../archive/evidence/export';
import { loadEvidence } from '../../archive/evidence/load';
import { loadOrCreateSigningKey } from '../../archive/evidence/keys';
import { verifyBundle } from '../../archive/evidence/manifest';
import { readBundle } from '../../archive/evidence/storage';
import { dataDirOf, openRecord, recordAction, recordConfig, watchEntriesFrom } from '../record-context';

export function register(program: Command): void {
  const cmd = program.command('evidence').description('signed evidence bundles of archived flights');
  cmd
    .command('export <id>')
    .description('write the evidence of a leg, trip or event (the evidence id alerts carry) to a folder or .zip')
    .requiredOption('--out <path>', 'a new or empty folder, or a file ending in .zip')
    .option('--config <file>', 'config file (data dir, watch entries, archive)')
    .action(
      recordAction('evidence', async (id: string, o: { out: string; config?: string }) => {
        const ctx = await openRecord(o);
        try {
          const input = await loadEvidence(ctx.db, id, watchEntriesFrom(ctx.config));
          const key = loadOrCreateSigningKey(ctx.dataDir);
          const files = exportEvidence(input, key, o.out);
          process.stdout.write(
            `wrote ${files.length} files to ${o.out}: ${input.subject.kind} ${id}, ${input.legs.length} leg(s), ` +
              `${input.events.length} event(s), ${input.rawReplies.length} source replies; signed by key ${key.keyId}\n`,
          );
        } finally {
          await ctx.archive.close();
        }
      }),
    );
  cmd
    .command('verify <path>')
    .description('check a bundle: exit 0 when every file matches its signed manifest, else name what changed')
    .option('--key <file>', 'public key (PEM) the bundle must be signed with (from `flightwatch evidence key`)')
    .action(
      recordAction('evidence', (path: string, o: { key?: string }) => {
        const expected = o.key ? readFileSync(o.key, 'utf8') : undefined;
        const r = verifyBundle(readBundle(path), expected);
        if (r.ok) {
          const n = r.manifest?.files.length ?? 0;
          process.stdout.write(`OK: ${path}: ${n} files match the manifest; signature valid (key ${r.keyId ?? '?'})\n`);
        } else {
          for (const p of r.problems) process.stdout.write(`FAIL: ${p}\n`);
          process.exitCode = 1;
        }
        return Promise.resolve();
      }),
    );
  cmd
    .command('key')
    .description('print the public key that signs evidence bundles (created in the data dir at first worker start)')
    .option('--config <file>', 'config file (data dir)')
    .action(
      recordAction('evidence', (o: { config?: string }) => {
        const key = loadOrCreateSigningKey(dataDirOf(recordConfig(o.config)));
        process.stdout.write(`${key.publicPem.trimEnd()}\nkey id ${key.keyId} (${key.from})\n`);
        return Promise.resolve();
      }),
    );
}
