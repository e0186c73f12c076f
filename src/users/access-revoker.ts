// How the domain ends a user's access without knowing OIDC: `oidc/` implements
// it (sessions, grants, tokens revoked in the caller's transaction; back-channel logout
// after commit). Deactivate and delete call it inside their transaction, so a failure
// here rolls the status change back.
import type { Context } from '../context.js';

export type RevocationReason =
  | 'deactivated'
  | 'deleted'
  | 'password_reset'
  // Someone else changed the email, set the password or reset the second factor; or the
  // old address's owner undid an email change.
  | 'email_changed'
  | 'password_set'
  | 'second_factor_reset'
  | 'email_restored'
  // The person changed their own password; or someone signed the account out everywhere.
  | 'password_changed'
  | 'signed_out_everywhere';

export interface AccessRevoker {
  revokeAll(ctx: Context & { transaction: NonNullable<Context['transaction']> }, userId: string, reason: RevocationReason): Promise<void>;
}
