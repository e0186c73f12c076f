// Which existing account an upstream provider may link to by the email it asserts.
// Whoever configures a provider decides what it asserts, so an
// email match is only as trustworthy as that admin: it links only accounts the configuring
// admin could change themselves (the dominance rule, with the admin's permissions of now),
// never the owner, and nothing once that admin is gone. An account holding any permission
// is linked only after its holder proves it is theirs with their Gatehouse password.
import type { TxContext } from '../context.js';
import type { Models } from '../db/models.js';
import { ALL } from '../roles/authorize.js';
import { dominates } from '../roles/dominance.js';
import type { RoleService } from '../roles/role-service.js';

export type LinkRefusal = 'owner' | 'configurer_inactive' | 'not_dominated';

export type LinkVerdict = { allowed: true; needsPassword: boolean } | { allowed: false; reason: LinkRefusal; message: string };

export class EmailLinkPolicy {
  constructor(
    private readonly models: Models,
    private readonly roles: Pick<RoleService, 'effectivePermissionsOf'>,
  ) {}

  async judge(tx: TxContext, provider: { label: string; configuredBy: string | null }, targetId: string): Promise<LinkVerdict> {
    const target = await this.roles.effectivePermissionsOf(targetId, tx);
    const instead = 'Sign in with your Gatehouse password instead.';
    if (target.has(ALL)) {
      return { allowed: false, reason: 'owner', message: `The owner's account is never linked to another sign-in provider by email address. ${instead}` };
    }
    // Null: added with no acting account (the command line), bounded by the rules below only.
    if (provider.configuredBy !== null) {
      const configurer = await this.models.User.findByPk(provider.configuredBy, { attributes: ['id', 'status'], transaction: tx.transaction });
      if (!configurer || configurer.status !== 'active') {
        return { allowed: false, reason: 'configurer_inactive', message: `${provider.label} no longer links accounts by email address: the administrator who set it up is no longer active. ${instead}` };
      }
      const permissions = await this.roles.effectivePermissionsOf(configurer.id, tx);
      if (!dominates({ permissions }, target)) {
        return {
          allowed: false,
          reason: 'not_dominated',
          message: `${provider.label} cannot be linked to this account by email address: the account holds permissions the administrator who set ${provider.label} up does not. ${instead}`,
        };
      }
    }
    return { allowed: true, needsPassword: target.size > 0 };
  }
}
