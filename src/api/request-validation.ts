// Validates a request against its operation's schemas (JSON Schema 2020-12, as OpenAPI 3.1):
// path parameters, the query (strings coerced to the declared types; a repeated or unknown
// parameter is refused) and the body (unknown fields and wrong types refused). Each
// problem is named by its field.
import { Ajv2020, type ValidateFunction, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { ValidationError, type FieldErrors } from '../errors.js';
import type { JsonSchema, Operation } from './operation.js';

// ajv-formats is CommonJS: its default export arrives wrapped under NodeNext.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => void;

function newAjv(coerce: boolean): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, coerceTypes: coerce });
  addFormats(ajv);
  return ajv;
}

const bodies = newAjv(false);
const queries = newAjv(true);

export interface OperationValidators {
  params: ValidateFunction | null;
  query: ValidateFunction | null;
  body: ValidateFunction | null;
}

export function validatorsFor(op: Operation): OperationValidators {
  const params = op.params ? { type: 'object', required: Object.keys(op.params), properties: op.params } : null;
  return {
    params: params ? queries.compile(params) : null,
    query: queries.compile(op.query ?? { type: 'object', additionalProperties: false, properties: {} }),
    body: op.body ? bodies.compile(op.body) : null,
  };
}

function fieldOf(where: string, e: ErrorObject): string {
  const path = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const extra = (e.params as { additionalProperty?: string; missingProperty?: string }).additionalProperty ?? (e.params as { missingProperty?: string }).missingProperty;
  return [where, path, extra].filter(Boolean).join('.');
}

function messageOf(e: ErrorObject): string {
  const p = e.params as { additionalProperty?: string; missingProperty?: string; allowedValues?: unknown[] };
  if (e.keyword === 'additionalProperties') return `Unknown field "${p.additionalProperty}".`;
  if (e.keyword === 'required') return `"${p.missingProperty}" is required.`;
  if (e.keyword === 'enum') return `Must be one of ${(p.allowedValues ?? []).map(String).join(', ')}.`;
  return `${e.message ?? 'is not valid'}.`.replace(/^must/, 'Must');
}

/** Throws a ValidationError naming every bad field; returns the (coerced) value. */
export function check<T>(validate: ValidateFunction | null, where: 'params' | 'query' | 'body', value: T): T {
  if (!validate || validate(value)) return value;
  const errors: FieldErrors = {};
  for (const e of validate.errors ?? []) errors[fieldOf(where, e)] ??= messageOf(e);
  throw new ValidationError(errors);
}

export type { JsonSchema };
