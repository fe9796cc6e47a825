/** YAML reading shared by the config file and its watchlist overlay. */
import { isScalar, isSeq, visit, type Document } from 'yaml';

/** Keys whose values are codes, never numbers: `3946e4` (a float), `738043` or `0700` (integers) are hex/squawks. */
const TEXT_CODE_KEYS = new Set(['hex', 'squawks', 'squawkCodes']);

/**
 * YAML reads an unquoted `3946e4` as 39460000 and `0700` as 700. Under the code keys, plain scalars keep the text
 * as written (their source), so an unquoted hex or squawk list means what it says.
 */
export function keepCodesAsText(doc: Document): void {
  visit(doc, {
    Pair(_, pair) {
      if (!isScalar(pair.key) || !TEXT_CODE_KEYS.has(String(pair.key.value))) return;
      const items = isSeq(pair.value) ? pair.value.items : [pair.value];
      for (const it of items)
        if (isScalar(it) && typeof it.value !== 'string' && it.type === 'PLAIN' && typeof it.source === 'string')
          it.value = it.source;
    },
  });
}
