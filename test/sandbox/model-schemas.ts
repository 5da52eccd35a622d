/**
 * Validators built from Amazon's official models, copied as fixtures into test/fixtures/sp-api (test-only:
 * imported by the sandbox tests, never by the sandbox itself).
 */
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';

const REFERENCE = new URL('../fixtures/sp-api/', import.meta.url);

function load(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(file, REFERENCE), 'utf8')) as Record<string, unknown>;
}

function newAjv(): Ajv {
  // The models are draft-07-ish with Swagger extensions (x-docgen-...): strict mode would reject them.
  const ajv = new Ajv({ strict: false, allErrors: true });
  // Amazon prints ISO 8601 UTC times; ajv-formats is not installed, so check the shape here.
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/);
  return ajv;
}

/** The account health document schema, without its `examples` (which contradict the definitions). */
export function accountHealthValidator(): ValidateFunction {
  const { examples: _examples, $schema: _schema, ...schema } = load('accountHealthReport-2020-11-18.json');
  return newAjv().compile(schema);
}

/** The embedded official example document (`examples[0]`). */
export function accountHealthExample(): unknown {
  return (load('accountHealthReport-2020-11-18.json').examples as unknown[])[0];
}

/** A Swagger 2.0 definition as a standalone schema: `#/definitions/X` refs resolve against the copy. */
export function swaggerValidator(file: 'reports_2021-06-30.json' | 'sellers.json', name: string): ValidateFunction {
  const definitions = load(file).definitions as Record<string, Record<string, unknown>>;
  const def = definitions[name];
  if (!def) throw new Error(`${file} has no definition ${name}`);
  return newAjv().compile({ ...def, definitions });
}
