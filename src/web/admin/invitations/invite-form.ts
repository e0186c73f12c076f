// The invite form's rows as the browser sends them: each
// row's fields are named `rows.<i>.<field>` — the same keys the service uses for its field
// errors, so a message lands beside the right row's field. "Add invite" is a submit button
// that re-renders the form with one more row, so several rows work without JavaScript.
import type { FieldErrors } from '../../../errors.js';
import type { InviteRow } from '../../../invitations/invitation-service.js';
import { listOf } from '../../form-controls.js';

/** Enough for a long form; larger lists belong in the bulk CSV upload. */
export const MAX_ROWS = 50;

export interface InviteRowValues {
  addresses: string;
  roles: string[];
  kind: string;
  givenName: string;
  familyName: string;
  deliveryEmail: string;
  message: string;
  method: 'email' | 'link';
  /** The access end date as typed (organization time zone), or empty. */
  accessEndsAt: string;
}

export function emptyRow(defaultRoles: string[]): InviteRowValues {
  return { addresses: '', roles: [...defaultRoles], kind: 'user', givenName: '', familyName: '', deliveryEmail: '', message: '', method: 'email', accessEndsAt: '' };
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Every row the form sent, in order (values kept as typed, for re-rendering). */
export function rowsFrom(body: Record<string, unknown> | undefined): InviteRowValues[] {
  const b = body ?? {};
  let count = 0;
  for (const key of Object.keys(b)) {
    const m = /^rows\.(\d{1,3})\./.exec(key);
    if (m) count = Math.max(count, Number(m[1]) + 1);
  }
  return Array.from({ length: Math.min(count, MAX_ROWS) }, (_, i) => {
    const get = (field: string) => b[`rows.${i}.${field}`];
    return {
      addresses: text(get('addresses')),
      roles: listOf(get('roles')),
      kind: text(get('kind')).trim() || 'user',
      givenName: text(get('givenName')).trim(),
      familyName: text(get('familyName')).trim(),
      deliveryEmail: text(get('deliveryEmail')).trim(),
      message: text(get('message')),
      method: get('method') === 'link' ? 'link' : 'email',
      accessEndsAt: text(get('accessEndsAt')).trim(),
    };
  });
}

/** A row the admin left empty (an extra "Add invite" row): skipped, not refused. */
function isBlank(r: InviteRowValues): boolean {
  return !r.addresses.trim() && !r.givenName && !r.familyName && !r.deliveryEmail && !r.message.trim();
}

/**
 * The rows to send: blank rows are skipped (if every row is blank the first is sent, so
 * the service says what is missing). `formRow[j]` is the form row of the j-th sent row.
 */
export function rowsToSend(rows: InviteRowValues[]): { send: InviteRow[]; formRow: number[] } {
  const formRow = rows.map((_, i) => i).filter((i) => !isBlank(rows[i]!));
  if (!formRow.length && rows.length) formRow.push(0);
  const send = formRow.map((i) => {
    const r = rows[i]!;
    return {
      addresses: r.addresses,
      roleIds: r.roles,
      kind: r.kind,
      givenName: r.givenName || null,
      familyName: r.familyName || null,
      deliveryEmail: r.deliveryEmail || null,
      message: r.message.trim() || null,
      method: r.method,
      accessEndsAt: r.accessEndsAt || null,
    };
  });
  return { send, formRow };
}

/** The service names fields by the sent row ("rows.<j>.roles"); the page by the form row. */
export function toFormFields(fields: FieldErrors, formRow: number[]): FieldErrors {
  const out: FieldErrors = {};
  for (const [key, message] of Object.entries(fields)) {
    const m = /^rows\.(\d+)\.(.+)$/.exec(key);
    out[m ? `rows.${formRow[Number(m[1])] ?? m[1]}.${m[2]}` : key] = message;
  }
  return out;
}
