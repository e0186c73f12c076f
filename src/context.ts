// The request context every changing service method takes first (a house rule):
// who acts, from where, and the transaction the change joins.
import type { Transaction } from 'sequelize';

export type Source = 'admin' | 'account' | 'setup' | 'scim' | 'api' | 'ldap' | 'csv' | 'oidc' | 'system' | 'cli' | 'invitation' | 'registration' | 'upstream';

export interface Actor {
  /** The acting user's id; null for the system, a SCIM token or a sync. */
  userId: string | null;
  /** Human-readable label kept in the audit log (username, SCIM token name, "LDAP sync"). */
  label: string;
  /** Permissions the actor holds; `authorize` checks against them. */
  permissions: ReadonlySet<string>;
  /**
   * A machine application's admin: the account whose current permissions bound what it
   * holds. What the application grants in turn is bound by the same admin, so a grant made
   * through it stops with that admin too instead of standing on its own.
   */
  boundBy?: { id: string; label: string };
}

export interface Context {
  actor: Actor;
  source: Source;
  ip: string | null;
  requestId?: string;
  transaction?: Transaction;
  /**
   * The provisioning connection a directory acts for (a SCIM token's, the LDAP sync's, the
   * CSV import's): the externalId it reads and writes is that connection's only.
   */
  connectionId?: string;
}

/** A context inside a transaction: what a service passes to work that must join it. */
export type TxContext = Context & { transaction: NonNullable<Context['transaction']> };

export function systemActor(label = 'system'): Actor {
  return { userId: null, label, permissions: new Set(['*']) };
}

export function systemContext(source: Source = 'system', label?: string): Context {
  return { actor: systemActor(label ?? source), source, ip: null };
}

export function withTransaction(ctx: Context, transaction: Transaction): Context {
  return { ...ctx, transaction };
}
