/** Amazon's official schema and validation against it (Node only: reads the reference file). */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';

export { buildReport, performanceEntry, type MarketplaceFigures } from '../../support/report-documents.ts';

export const SCHEMA_URL = new URL('../../fixtures/sp-api/accountHealthReport-2020-11-18.json', import.meta.url);

export function officialSchema(): Record<string, unknown> & { examples: unknown[] } {
  return JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as Record<string, unknown> & { examples: unknown[] };
}

/** Returns the schema's complaints about a document (empty when it validates). */
export function schemaErrors(doc: unknown): string[] {
  const { $schema: _ignored, examples: _examples, ...schema } = officialSchema();
  const ajv = new Ajv({ strict: false, allErrors: true });
  const validate = ajv.compile(schema);
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}
