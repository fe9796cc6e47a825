/** JSON Schema of the config file (input side: defaults are optional), generated from the zod schema. */
import { z } from 'zod';
import { configSchema } from './schema';

export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }),
    $id: 'https://flightwatch.invalid/config.schema.json',
    title: 'flightwatch configuration',
  };
}
