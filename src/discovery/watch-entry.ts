/**
 * Accepting a candidate: the watch entry it becomes, and that entry added to a config file's `watch:` list
 * through yaml's Document API, so every comment, blank line and flow mapping of the file stays as it was.
 */
import { Document, isMap, isNode, isScalar, isSeq, parseDocument } from 'yaml';
import type { Behaviour } from './score';
import type { Sighting } from './sighting';
import type { CandidateRow } from './tables';
import { CandidateError } from './store';

export interface NewWatchEntry {
  id: string;
  match: { hex: string[] };
  tags: string[];
  note: string;
  source: string;
  added: string;
}

const day = (t: number) => new Date(t).toISOString().slice(0, 10);

/** "KAEX 2026-03-02, KHRL 2026-03-04, MGGT (GT) 2026-03-04": where and when, one per place and day. */
export function sightingsSummary(sightings: readonly Sighting[]): string {
  const texts = [...sightings]
    .sort((a, b) => a.at - b.at)
    .map((s) => `${s.place}${s.hub ? '' : ` (${s.country})`} ${day(s.at)}`);
  return [...new Set(texts)].join(', ');
}

export function watchEntryFor(
  c: CandidateRow,
  sightings: readonly Sighting[],
  o: { id?: string; today: Date },
): NewWatchEntry {
  const b = JSON.parse(c.behaviour) as Behaviour;
  const what = [c.type, c.registration, c.callsign].filter(Boolean).join(' ');
  return {
    id: o.id ?? `candidate-${c.hex}`,
    match: { hex: [c.hex] },
    tags: ['candidate'],
    note: `${what ? `${what}: ` : ''}${(JSON.parse(c.reasons) as string[]).join('; ')} (hubs ${b.hubs.join(', ') || 'none'})`,
    source: `candidate ${c.id}: ${sightings.length} sightings, ${sightingsSummary(sightings)}`,
    added: o.today.toISOString().slice(0, 10),
  };
}

/**
 * The config text with `entry` appended to its `watch:` list; errors say what is wrong with the file. The
 * entry is rendered by yaml and inserted after the list's last item, so the rest of the file stays byte for
 * byte as it was (re-printing the whole document would re-space aligned comments and flow lists).
 */
export function addWatchEntry(text: string, entry: NewWatchEntry, file: string): string {
  const doc: Document = parseDocument(text);
  if (doc.errors.length) throw new CandidateError(`${file}: not valid YAML (${doc.errors[0]?.message.split('\n')[0]})`);
  if (!isMap(doc.contents)) throw new CandidateError(`${file}: expected a mapping with a \`watch:\` list`);
  const node = doc.get('watch', true);
  // `watch:` with nothing under it (a new overlay): the first item goes right under it.
  if (isScalar(node) && node.value === null && node.range && !/\S/.test(text.slice(node.range[1])))
    return `${text}${text.endsWith('\n') ? '' : '\n'}${renderItem(entry, '  ')}\n`;
  const watch = node;
  if (watch !== undefined && !isSeq(watch)) throw new CandidateError(`${file}: \`watch\` is not a list`);
  const ids = (watch?.items ?? []).map((it) => (isMap(it) ? String(it.get('id')) : ''));
  if (ids.includes(entry.id))
    throw new CandidateError(`${file}: watch entry id ${JSON.stringify(entry.id)} exists already (use --id)`);
  const last = watch?.items.at(-1);
  if (!watch || watch.flow || !isNode(last) || !last.range) {
    // No block list to append to: add it through the document (its layout is re-printed).
    if (watch) watch.items.push(doc.createNode(entry));
    else doc.set('watch', doc.createNode([entry]));
    return doc.toString({ lineWidth: 0 });
  }
  const lineStart = text.lastIndexOf('\n', last.range[0] - 1) + 1;
  const indent = /^(\s*)-/.exec(text.slice(lineStart, last.range[0]))?.[1] ?? '  ';
  const eol = text.indexOf('\n', last.range[1] - 1);
  const at = eol < 0 ? text.length : eol + 1;
  const rendered = renderItem(entry, indent);
  return `${text.slice(0, at)}${eol < 0 && !text.endsWith('\n') ? '\n' : ''}${rendered}\n${text.slice(at)}`;
}

/** One list item with its comment line, indented like the list it joins. */
function renderItem(entry: NewWatchEntry, indent: string): string {
  const comment = `# accepted candidate ${entry.source.split(':')[0]?.replace('candidate ', '') ?? ''}`;
  const item = new Document([entry]);
  const m = item.getIn([0, 'match'], true);
  if (isMap(m)) m.flow = true; // hex lists read best inline, like the shipped entries
  return [comment, ...item.toString({ lineWidth: 0, flowCollectionPadding: false }).trimEnd().split('\n')]
    .map((l) => indent + l)
    .join('\n');
}

/** The text of a watchlist overlay that does not exist yet: what it is, and an empty list. */
export const NEW_OVERLAY_TEXT =
  "# Watch entries added by `flightwatch candidates accept`, merged into the config's watch list\n" +
  "# (the config names this file as watchlistOverlay). Ids must differ from the config's own entries.\n" +
  'watch:\n';
