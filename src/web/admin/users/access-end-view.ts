// The access end date on a user's page: shown in the summary, set, extended (one button)
// or cleared by confirmed POSTs, and asked for again when reactivating an account whose
// date has passed. Dates are entered and shown in the organization's time zone.
import { html, type SafeHtml } from '../../../html.js';
import type { FieldErrors } from '../../../errors.js';
import type { UserView } from '../../../users/user-presenter.js';
import { zonedInputValue } from '../../../zoned-time.js';
import { checkbox } from '../../form-controls.js';
import { csrfField, field } from '../../layout.js';
import { timeHtml } from '../../time-format.js';

/** Days the "extend" button adds to the current end date (or to now, when it has passed). */
export const EXTEND_DAYS = 30;

export interface AccessEndFormState {
  user: UserView;
  csrfToken: string;
  timeZone: string;
  errors: FieldErrors;
  /** The date as typed, when the form was refused. */
  typed?: string;
}

/** The summary's line: when access ends, or that it does not. */
export function accessEndSummary(user: UserView, timeZone: string): SafeHtml {
  return html`<dt>Access ends</dt><dd id="access-ends">${user.accessEndsAt ? timeHtml(user.accessEndsAt, timeZone) : html`<span class="muted">no end date</span>`}</dd>`;
}

/** Set, extend or clear the end date (active accounts, never the owner's or one's own). */
export function accessEndSection(s: AccessEndFormState): SafeHtml {
  const u = s.user;
  const value = s.typed ?? zonedInputValue(u.accessEndsAt, s.timeZone);
  return html`<section class="action" id="access-end"><h2>Access end date</h2>
${s.errors._form ? html`<p class="error-box" role="alert">${s.errors._form}</p>` : ''}
<p>${u.accessEndsAt ? html`Access ends on ${timeHtml(u.accessEndsAt, s.timeZone)}. The account is deactivated then; reminders go out before.` : 'No end date: access lasts until someone deactivates the account.'}</p>
<form method="post" action="/admin/users/${u.id}/access-end" novalidate>${csrfField(s.csrfToken)}
${field({ name: 'accessEndsAt', label: `End date and time (${s.timeZone})`, type: 'datetime-local', value, error: s.errors.accessEndsAt, hint: 'The account is deactivated at this moment: signed out everywhere, its seat freed.' })}
<div class="form-actions"><button type="submit" name="intent" value="set">Save end date</button>
${u.accessEndsAt ? html`<button type="submit" name="intent" value="extend" class="secondary">Extend by ${EXTEND_DAYS} days</button>
<button type="submit" name="intent" value="clear" class="secondary">Clear end date</button>` : ''}</div>
</form></section>`;
}

/** The reactivation form's extra fields when the end date has passed: a new date, or none. */
export function reactivationDateFields(s: AccessEndFormState): SafeHtml {
  return html`<p class="notice" role="note">Access ended on its end date, ${timeHtml(s.user.accessEndsAt, s.timeZone)}. Give a new end date, or clear it, to reactivate.</p>
${field({ name: 'accessEndsAt', label: `New end date and time (${s.timeZone})`, type: 'datetime-local', value: s.typed ?? '', error: s.errors.accessEndsAt })}
${checkbox({ name: 'clearAccessEnd', label: 'No end date: access lasts until someone deactivates the account', checked: false })}`;
}
