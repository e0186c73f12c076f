// Accounts synced from LDAP sign in with their directory password:
// the sign-in service asks this verifier, which binds to the directory as the account's DN.
// Gatehouse keeps no copy of the password. When the directory cannot be reached the bind
// throws DirectoryUnreachable, which the sign-in page shows as is — not a wrong password,
// so it counts no failure, and accounts managed in Gatehouse sign in as usual.
import type { Models } from '../db/models.js';
import type { ExternalPasswordVerifier } from '../signin/sign-in-service.js';
import type { SignInAccount } from '../users/user-presenter.js';
import { bindAsUser, DirectoryUnreachable, type LdapClientOptions } from './ldap-client.js';
import type { LdapSettingsService } from './ldap-settings-service.js';

export class LdapPasswordVerifier implements ExternalPasswordVerifier {
  constructor(
    private readonly models: Models,
    private readonly settings: LdapSettingsService,
    private readonly clientOptions: LdapClientOptions = {},
  ) {}

  handles(user: SignInAccount): boolean {
    return user.source === 'ldap';
  }

  async verify(user: SignInAccount, password: string): Promise<boolean> {
    const link = await this.models.LdapAccount.findByPk(user.id, { attributes: ['dn'] });
    if (!link) return false;
    const { settings, configured } = await this.settings.get();
    // Without a directory configured there is nobody to ask: an outage for these accounts.
    if (!configured) throw new DirectoryUnreachable();
    return bindAsUser(settings, link.dn, password, this.clientOptions);
  }
}
