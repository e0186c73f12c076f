// An application's webhooks on its page: the list, the add/edit form with the event
// catalogue, the secret shown once (with a copy button), and each webhook's recent
// deliveries with their attempts and a "Send again" button.
import { copyButton } from '../../scripts/copy-button.js';
import { html, type SafeHtml } from '../../../html.js';
import type { FieldErrors } from '../../../errors.js';
import type { ClientView } from '../../../clients/client-service.js';
import { WEBHOOK_EVENTS, WEBHOOK_EVENT_DESCRIPTIONS } from '../../../webhooks/webhook-events.js';
import type { DeliveryView, WebhookView } from '../../../webhooks/webhook-service.js';
import { csrfField, field } from '../../layout.js';
import { checkbox, checkboxes } from '../../form-controls.js';
import { timeHtml } from '../../time-format.js';

export interface WebhookFormValues {
  url: string;
  events: string[];
  enabled: boolean;
}

const base = (client: ClientView) => `/admin/clients/${encodeURIComponent(client.clientId)}/webhooks`;

function statusText(w: WebhookView): string {
  if (!w.enabled) return `disabled${w.disabledReason ? ` (${w.disabledReason})` : ''}`;
  return w.failingSince ? 'failing' : 'active';
}

/** The section on the application's page. */
export function webhookSection(client: ClientView, webhooks: WebhookView[]): SafeHtml {
  return html`<h2>Webhooks</h2>
<p>Gatehouse posts signed events (Standard Webhooks) to these URLs when people join, change, lose access or leave.</p>
${webhooks.length === 0
  ? html`<p>No webhooks yet.</p>`
  : html`<table><thead><tr><th>URL</th><th>Events</th><th>Status</th></tr></thead><tbody>
${webhooks.map((w) => html`<tr><td><a href="${base(client)}/${w.id}">${w.url}</a></td><td>${w.events.join(', ')}</td><td>${statusText(w)}</td></tr>`)}
</tbody></table>`}
<p><a href="${base(client)}/new">Add a webhook</a></p>`;
}

function formFields(v: WebhookFormValues, errors: FieldErrors): SafeHtml {
  return html`${field({ name: 'url', label: 'URL', value: v.url, error: errors.url, required: true, hint: 'https only; Gatehouse refuses addresses inside private networks.' })}
${checkboxes({ name: 'events', label: 'Events', checked: v.events, error: errors.events, options: WEBHOOK_EVENTS.map((e) => ({ value: e, label: `${e} — ${WEBHOOK_EVENT_DESCRIPTIONS[e]}` })) })}`;
}

export function webhookNewBody(s: { csrfToken: string; client: ClientView; values: WebhookFormValues; errors: FieldErrors }): SafeHtml {
  return html`<p><a href="/admin/clients/${encodeURIComponent(s.client.clientId)}">← ${s.client.name}</a></p><h1>Add a webhook to ${s.client.name}</h1>
<form method="post" action="${base(s.client)}">${csrfField(s.csrfToken)}
${formFields(s.values, s.errors)}
<button type="submit">Add webhook</button></form>`;
}

export function webhookSecretBody(s: { client: ClientView; webhook: WebhookView; secret: string; rotated: boolean }): SafeHtml {
  return html`<h1>${s.rotated ? 'New signing secret' : 'Webhook added'}</h1>
<table><tbody><tr><th>URL</th><td><code>${s.webhook.url}</code></td></tr>
<tr><th>Signing secret</th><td><code id="webhook-secret">${s.secret}</code> ${copyButton('webhook-secret')}</td></tr></tbody></table>
<p class="warning" role="alert">Copy the secret now: it is shown only this once.</p>
${s.rotated && s.webhook.previousSecretExpiresAt
  ? html`<p class="notice">Until ${s.webhook.previousSecretExpiresAt.toISOString()} every delivery carries two signatures, one with the old secret and one with this one: give the receiver the new secret before then.</p>`
  : ''}
<p>Receivers verify each delivery with this secret: see <code>docs/webhooks.md</code>.</p>
<p><a href="${base(s.client)}/${s.webhook.id}">Webhook settings and deliveries</a> · <a href="/admin/clients/${encodeURIComponent(s.client.clientId)}">${s.client.name}</a></p>`;
}

function deliveryRows(client: ClientView, webhook: WebhookView, deliveries: DeliveryView[], csrfToken: string, timeZone: string): SafeHtml {
  if (deliveries.length === 0) return html`<p>Nothing has been sent yet.</p>`;
  return html`<table><thead><tr><th>Event</th><th>Status</th><th>Attempts</th><th></th></tr></thead><tbody>
${deliveries.map((d) => html`<tr><td data-label="Event"><code>${d.eventType}</code><br><span class="hint">${d.messageId} · ${timeHtml(d.createdAt, timeZone)}</span></td>
<td data-label="Status">${d.status}${d.status === 'pending' && d.attempts > 0 ? html`<br><span class="hint">next try ${timeHtml(d.nextAttemptAt, timeZone)}</span>` : ''}</td>
<td data-label="Attempts"><ul class="plain">${d.attemptLog.map((a) => html`<li>${timeHtml(a.attemptedAt, timeZone)}: ${a.outcome}${a.statusCode !== null ? ` (${a.statusCode})` : ''}${a.error ? ` — ${a.error}` : ''}</li>`)}</ul></td>
<td><form method="post" action="${base(client)}/${webhook.id}/deliveries/${String(d.id)}/resend">${csrfField(csrfToken)}<button type="submit">Send again</button></form></td></tr>`)}
</tbody></table>`;
}

export function webhookDetailBody(s: { csrfToken: string; client: ClientView; webhook: WebhookView; values: WebhookFormValues; errors: FieldErrors; deliveries: DeliveryView[]; timeZone: string; notice?: string }): SafeHtml {
  const { client, webhook } = s;
  const here = `${base(client)}/${webhook.id}`;
  return html`<p><a href="/admin/clients/${encodeURIComponent(client.clientId)}">← ${client.name}</a></p><h1>Webhook of ${client.name}</h1>
${s.notice ? html`<p class="notice" role="status">${s.notice}</p>` : ''}
<p>Status: <strong>${statusText(webhook)}</strong>${webhook.failingSince ? html` · failing since ${timeHtml(webhook.failingSince, s.timeZone)}` : ''}</p>
<form method="post" action="${here}">${csrfField(s.csrfToken)}
${formFields(s.values, s.errors)}
${checkbox({ name: 'enabled', label: 'Enabled (events wait while it is disabled and go out in order when it is enabled again)', checked: s.values.enabled })}
<button type="submit">Save</button></form>
<h2>Signing secret</h2>
<p>A new secret is shown once; the old one keeps signing beside it for a day, so the receiver can switch without losing a delivery.</p>
<form method="post" action="${here}/rotate">${csrfField(s.csrfToken)}<button type="submit">Rotate the secret</button></form>
<h2>Recent deliveries</h2>
${deliveryRows(client, webhook, s.deliveries, s.csrfToken, s.timeZone)}
<h2>Remove</h2>
<form method="post" action="${here}/remove">${csrfField(s.csrfToken)}<button type="submit" class="danger">Remove this webhook</button></form>`;
}
