// Turns a service's refusal into messages beside a form's fields (values kept by the
// caller). Validation errors carry their fields; a Conflict names its field; any other
// exposed domain error (Forbidden grant, invalid transition) goes beside the form's main
// field. Unexposed errors are rethrown to the error handler.
import { Conflict, DomainError, ValidationError, type FieldErrors } from '../../errors.js';

export interface FormRefusal {
  status: number;
  fields: FieldErrors;
}

export function refusalOf(err: unknown, mainField: string): FormRefusal {
  if (err instanceof ValidationError) return { status: 400, fields: err.fields };
  if (err instanceof Conflict) return { status: 409, fields: { [err.field ?? mainField]: err.message } };
  if (err instanceof DomainError && err.expose) return { status: err.status, fields: { [mainField]: err.message } };
  throw err;
}

/** A trimmed string from a form body value (anything else reads as empty). */
export function str(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/** Splits free text (new lines, commas, spaces) into distinct non-empty entries. */
export function splitList(value: unknown): string[] {
  return [...new Set(str(value).split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean))];
}

/** A positive integer from a query value, or undefined. */
export function cursorOf(value: unknown): number | undefined {
  return typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : undefined;
}
