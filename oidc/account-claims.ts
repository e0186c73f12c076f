// findAccount: tokens only for active accounts (logto's habit: suspended users refused
// here). oidc-provider calls it at every grant, including refresh, so a deactivated or
// deleted user's refresh token fails with invalid_grant.
import type { Account } from 'oidc-provider';
import type { Services } from '../src/services.js';
import { addressClaim, phoneClaims } from './contact-claims.js';

export async function findAccount(services: Services, sub: string): Promise<Account | undefined> {
  const user = await services.users.findActiveForClaims(sub);
  if (!user) return undefined;
  return {
    accountId: user.id,
    async claims(_use, scope) {
      const scopes = new Set((scope ?? '').split(' '));
      const claims: Record<string, unknown> = {
        sub: user.id,
        // An account without an address has neither claim: an application must not read
        // null as an address, nor a verified flag about nothing.
        ...(user.email ? { email: user.email, email_verified: user.emailVerified } : {}),
        name: user.name,
        given_name: user.givenName ?? undefined,
        family_name: user.familyName ?? undefined,
        locale: user.locale ?? undefined,
        ...phoneClaims(user.phone, user.phoneVerified),
      };
      // The postal address is the primary stored one (else the first), read only when asked for.
      if (scopes.has('address')) {
        const address = addressClaim(await services.users.primaryValue(user.id, 'addresses'));
        if (address) claims.address = address;
      }
      // Roles are read only when the scope asks for them.
      if (scopes.has('roles')) {
        claims.roles = (await services.roles.roleRefsOf(user.id)).map((r) => r.name);
        claims.permissions = [...(await services.roles.permissionsOf(user.id))].sort();
      }
      return claims as { sub: string };
    },
  };
}
