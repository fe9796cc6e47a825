/**
 * Writes the JSON Schemas generated from the zod schemas: config/flightwatch.schema.json, so editors
 * (yaml-language-server) validate and complete config/flightwatch.yaml, and docs/webhook-event.schema.json,
 * the webhook body and the event documents it carries, for receivers. `npm run schema`; tests fail when a
 * committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { configJsonSchema } from '../src/config/json-schema';
import { webhookBodyJsonSchema } from '../src/alerting/payload';

const outputs: [string, Record<string, unknown>][] = [
  ['../config/flightwatch.schema.json', configJsonSchema()],
  ['../docs/webhook-event.schema.json', webhookBodyJsonSchema()],
];

for (const [file, schema] of outputs) {
  const out = resolve(__dirname, file);
  writeFileSync(out, `${JSON.stringify(schema, null, 2)}\n`);
  process.stdout.write(`wrote ${out}\n`);
}
