// findAccount: tokens only for active accounts (logto's habit: suspended users refused
// here). oidc-provider calls it at every grant, including refresh, so a deactivated or
// deleted user's refresh token fails with invalid_grant.
import type { Account } from 'oidc-provider';
import type { Services } from '../src/services.js';
import { NotFound } from '../src/errors.js';

export async function findAccount(services: Services, sub: string): Promise<Account | undefined> {
  let user;
  try {
    user = await services.users.get(sub);
  } catch (err) {
    if (err instanceof NotFound) return undefined;
    throw err;
  }
  if (user.status !== 'active') return undefined;
  return {
    accountId: user.id,
    async claims(_use, scope) {
      const scopes = new Set((scope ?? '').split(' '));
      const claims: Record<string, unknown> = {
        sub: user.id,
        email: user.email,
        email_verified: user.emailVerified,
        name: user.name,
        given_name: user.givenName ?? undefined,
        family_name: user.familyName ?? undefined,
        locale: user.locale ?? undefined,
        phone_number: user.phone ?? undefined,
      };
      if (scopes.has('roles')) {
        claims.roles = user.roles.map((r) => r.name);
        claims.permissions = [...(await services.roles.permissionsOf(user.id))].sort();
      }
      return claims as { sub: string };
    },
  };
}
