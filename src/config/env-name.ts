/** The name of an environment variable a config key points at (`…Env` keys): secrets stay out of the file. */
import { z } from 'zod';

export const envName = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/, { error: (iss) => `${JSON.stringify(iss.input)} is not an environment variable name` });
