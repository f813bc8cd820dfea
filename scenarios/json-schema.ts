/** The scenario format as a JSON Schema (draft 2020-12), for editors' completion and checking. */
import * as z from 'zod';
import { scenarioSchema } from './schema';

export const SCENARIO_SCHEMA_ID = 'urn:hedgesim:scenario';

/**
 * JSON Schema of what a scenario file may hold (before defaults), with descriptions and defaults.
 * It checks types, ranges, enums and unknown fields; cross-references (a venue naming an unknown
 * token, `blocks` versus `duration`) are checked by the loader only.
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(scenarioSchema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  const { $schema, ...rest } = schema;
  return { $schema, $id: SCENARIO_SCHEMA_ID, title: 'hedgesim scenario', ...rest };
}
