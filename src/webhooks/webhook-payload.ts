// What a receiver gets: `{ type, timestamp, data }`, data naming the kind of actor and the
// account as Gatehouse presents it — no password hash, no second-factor secret, no
// credentials of any kind (account-snapshot.ts).
import type { Context } from '../context.js';
import type { WebhookEventType } from './webhook-events.js';

export interface WebhookActor {
  /** A person (an admin, the account itself), a directory (SCIM, LDAP, CSV), an application's back end (the management API) or Gatehouse itself. */
  kind: 'user' | 'directory' | 'application' | 'system';
  /** The path the change came by: admin, account, scim, ldap, csv, invitation, registration, … */
  source: string;
}

const DIRECTORY_SOURCES = new Set(['scim', 'ldap', 'csv']);

export function actorOf(ctx: Context): WebhookActor {
  const kind = DIRECTORY_SOURCES.has(ctx.source) ? 'directory' : ctx.source === 'api' ? 'application' : ctx.actor.userId ? 'user' : 'system';
  return { kind, source: ctx.source };
}

export function webhookBody(type: WebhookEventType, at: Date, data: Record<string, unknown>): string {
  return JSON.stringify({ type, timestamp: at.toISOString(), data });
}
