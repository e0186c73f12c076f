// Who must use a passkey (a setting, per role like the TOTP requirement): nobody beyond
// those who choose to ('allowed'), holders of the chosen roles as their second factor after
// a password ('second_factor'), or holders of the chosen roles signing in with a passkey
// alone, the password no longer enough ('passkey_only').
import type { SettingsService } from '../settings/settings-service.js';
import type { RoleService } from '../roles/role-service.js';
import type { PasskeyPolicy } from '../settings/settings.js';

export { PASSKEY_POLICIES, type PasskeyPolicy } from '../settings/settings.js';

export class PasskeyPolicies {
  constructor(
    private readonly settings: SettingsService,
    private readonly roles: RoleService,
  ) {}

  async policyFor(userId: string): Promise<PasskeyPolicy> {
    const mode = await this.settings.get('passkeyPolicy');
    if (mode === 'allowed') return 'allowed';
    const chosen = new Set(await this.settings.get('passkeyPolicyRoleIds'));
    return (await this.roles.roleRefsOf(userId)).some((r) => chosen.has(r.id)) ? mode : 'allowed';
  }
}
