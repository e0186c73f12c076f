// Whether an account a directory made without an email address can sign in yet. Without
// an address it gets no activation email, cannot reset a password and is never found by
// an upstream sign-in (those match by address); so unless it has a password (sent by its
// directory, or set since), an LDAP directory password, or an upstream identity already
// linked, nothing lets its owner in until someone gives it an address. The admin pages
// say so, in the words of the setting that decides how provisioned accounts sign in.
import type { Settings } from '../settings/settings-service.js';
import type { UserView } from './user-presenter.js';

export type CredentialMode = Settings['provisionedCredentialMode'];

type Account = Pick<UserView, 'email' | 'source' | 'status' | 'hasPassword'>;

/**
 * An account whose creation would have mailed it an activation (a SCIM account created
 * active under the activation-email setting) and that still has no password: giving it an
 * address sends that activation.
 */
export function awaitsActivation(user: Account, mode: CredentialMode): boolean {
  return mode === 'activation_email' && user.source === 'scim' && user.status === 'active' && !user.hasPassword;
}

/** Why the account has no way to sign in yet, for its admin page; null when it has one. */
export function noWayToSignIn(user: Account, mode: CredentialMode, upstreamLinked: boolean): string | null {
  if (user.email || user.hasPassword || user.status !== 'active' || upstreamLinked) return null;
  // Synced accounts sign in by username with their directory password.
  if (user.source === 'ldap') return null;
  const lead = 'No way to sign in yet: this account has no email address and no password.';
  if (mode === 'upstream') return `${lead} An upstream sign-in finds accounts by email address, so it can sign in once it has the address its identity provider asserts.`;
  if (awaitsActivation(user, mode)) return `${lead} Its activation email (a link to choose a password) goes out as soon as it is given an address, by its directory or here.`;
  if (mode === 'activation_email') return `${lead} Once it has an address, its owner can choose a password with "Forgot your password?".`;
  return `${lead} It can sign in once its directory sends a password, or, given an address, its owner chooses one with "Forgot your password?".`;
}
