/**
 * `flightwatch import plane-alert FILE.csv`: plane-alert-db CSV → watch entries (YAML on stdout or --out).
 * Skipped rows are reported as FILE:LINE: reason on stderr. Exit 0 when at least one aircraft was imported,
 * 1 when none, 2 for bad options.
 */
import { Option, type Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { GROUP_BY, importPlaneAlert, isId, toYaml, type GroupBy } from '../../watchlist-import/plane-alert';

export interface ImportCliOptions {
  idPrefix: string;
  tag: string[];
  groupBy: string;
  out?: string;
  /** Hidden: fixes `added:` for reproducible output. */
  today?: string;
}

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

const localDate = (d = new Date()) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** The command body, separated from commander so tests can run it in-process. Returns the exit code. */
export function runImportPlaneAlert(file: string, o: ImportCliOptions, io: Io): number {
  const bad: string[] = [];
  if (o.idPrefix && !isId(o.idPrefix))
    bad.push(`--id-prefix ${JSON.stringify(o.idPrefix)} is not an id (lowercase letters, digits, "-" or "_")`);
  for (const t of o.tag)
    if (!isId(t)) bad.push(`--tag ${JSON.stringify(t)} is not a tag (lowercase letters, digits, "-" or "_")`);
  if (!GROUP_BY.includes(o.groupBy as GroupBy))
    bad.push(`--group-by ${JSON.stringify(o.groupBy)} is not one of ${GROUP_BY.join(', ')}`);
  if (o.today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(o.today))
    bad.push(`--today ${JSON.stringify(o.today)} is not YYYY-MM-DD`);
  if (bad.length) {
    for (const b of bad) io.err(`flightwatch import plane-alert: ${b}\n`);
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    io.err(`${file}: cannot read: ${(e as Error).message}\n`);
    return 1;
  }
  const opts = {
    file,
    idPrefix: o.idPrefix,
    tags: o.tag,
    groupBy: o.groupBy as GroupBy,
    today: o.today ?? localDate(),
  };
  const result = importPlaneAlert(text, opts);
  for (const p of result.problems) io.err(`${file}:${p.line}: ${p.message}\n`);
  if (result.entries.length === 0) {
    io.err(`${file}: no aircraft imported\n`);
    return 1;
  }
  const yaml = toYaml(result, opts);
  if (o.out) {
    try {
      writeFileSync(o.out, yaml);
    } catch (e) {
      io.err(`${o.out}: cannot write: ${(e as Error).message}\n`);
      return 1;
    }
  } else io.out(yaml);
  io.err(
    `${file}: imported ${result.rows.length} aircraft (${result.layout}) into ${result.entries.length} watch ` +
      `entr${result.entries.length === 1 ? 'y' : 'ies'}${o.out ? ` → ${o.out}` : ''}` +
      (result.problems.length ? `; ${result.problems.length} row problem(s) above` : '') +
      '\n',
  );
  return 0;
}

export function register(program: Command): void {
  // `import` may already hold other importers; share it.
  const parent =
    program.commands.find((c) => c.name() === 'import') ??
    program.command('import').description('convert external watchlists into flightwatch watch entries');
  parent
    .command('plane-alert')
    .description('convert a plane-alert-db CSV (or an adsbdb-style aircraft list) into watch entries (YAML)')
    .argument('<file>', 'CSV file, e.g. plane-alert-db.csv')
    .option('--id-prefix <prefix>', 'prefix for entry ids', 'pa')
    .option(
      '--tag <tag>',
      'tag to add to every entry (repeatable)',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option('--group-by <how>', `one entry per: ${GROUP_BY.join(' | ')} (none = one entry per aircraft)`, 'category')
    .option('-o, --out <file>', 'write YAML here instead of stdout')
    .addOption(new Option('--today <date>', 'date written to added: (default: today)').hideHelp())
    .action((file: string, o: ImportCliOptions) => {
      process.exitCode = runImportPlaneAlert(file, o, {
        out: (s) => process.stdout.write(s),
        err: (s) => process.stderr.write(s),
      });
    });
}
