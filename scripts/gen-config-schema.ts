/**
 * Writes config/flightwatch.schema.json from the zod schema, so editors (yaml-language-server) validate and
 * complete config/flightwatch.yaml. `npm run schema`; a test fails when the committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { configJsonSchema } from '../src/config/json-schema';

const out = resolve(__dirname, '../config/flightwatch.schema.json');
writeFileSync(out, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${out}\n`);
