// Reads the audit log's filter from what a person typed: actor and target as free text,
// an action from the typed list, and a date range in whole UTC days (the "to" day
// included). Each problem is reported beside its field.
import { ValidationError, type FieldErrors } from '../errors.js';
import { AUDIT_ACTIONS } from './audit-actions.js';
import type { AuditFilter } from './audit-log.js';

export interface AuditFilterInput {
  actor?: string;
  action?: string;
  target?: string;
  from?: string;
  to?: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function day(label: string, value: string): Date | string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${label} must be a date such as 2030-01-31.`;
  const d = new Date(`${value}T00:00:00.000Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) return `${label} must be a real date.`;
  return d;
}

export function parseAuditFilter(input: AuditFilterInput): AuditFilter {
  const errors: FieldErrors = {};
  const filter: AuditFilter = {};
  const actor = input.actor?.trim();
  const target = input.target?.trim();
  const action = input.action?.trim();
  if (actor) {
    if (actor.length > 255) errors.actor = 'Actor must be at most 255 characters.';
    else filter.actor = actor;
  }
  if (target) {
    if (target.length > 320) errors.target = 'Target must be at most 320 characters.';
    else filter.target = target;
  }
  if (action) {
    if (!(AUDIT_ACTIONS as readonly string[]).includes(action)) errors.action = `There is no action named "${action}".`;
    else filter.action = action;
  }
  if (input.from?.trim()) {
    const d = day('From', input.from.trim());
    if (typeof d === 'string') errors.from = d;
    else filter.from = d;
  }
  if (input.to?.trim()) {
    const d = day('To', input.to.trim());
    if (typeof d === 'string') errors.to = d;
    else filter.until = new Date(d.getTime() + DAY_MS);
  }
  if (filter.from && filter.until && filter.from >= filter.until) errors.to = 'To must be on or after From.';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return filter;
}
