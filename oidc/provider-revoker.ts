// The AccessRevoker of the OIDC edge: in the caller's transaction it removes every session,
// grant, code and token of the user from oidc_payloads; after commit it sends back-channel
// logout notices (OpenID Connect Back-Channel Logout 1.0) to the clients the user's
// sessions had signed in to.
import type { Provider } from 'oidc-provider';
import type { AccessRevoker } from '../src/users/access-revoker.js';
import type { Services } from '../src/services.js';
import type { OidcModels } from './oidc-models.js';

interface SessionPayload {
  uid?: string;
  authorizations?: Record<string, { sid?: string; grantId?: string }>;
}

export class ProviderRevoker implements AccessRevoker {
  constructor(
    private readonly provider: Provider,
    private readonly models: OidcModels,
    private readonly services: Services,
  ) {}

  async revokeAll(ctx: Parameters<AccessRevoker['revokeAll']>[0], userId: string): Promise<void> {
    const t = ctx.transaction;
    const sessions = await this.models.OidcPayload.findAll({ where: { model: 'Session', accountId: userId }, transaction: t });
    const notices: Array<{ clientId: string; sid: string }> = [];
    const grantIds = new Set<string>();
    for (const row of sessions) {
      const payload = JSON.parse(row.payload) as SessionPayload;
      for (const [clientId, auth] of Object.entries(payload.authorizations ?? {})) {
        if (auth.sid) notices.push({ clientId, sid: auth.sid });
        if (auth.grantId) grantIds.add(auth.grantId);
      }
    }
    await this.models.OidcPayload.destroy({ where: { accountId: userId }, transaction: t });
    if (grantIds.size) await this.models.OidcPayload.destroy({ where: { grantId: [...grantIds] }, transaction: t });
    this.services.db.transactions.onCommit(t, () => this.notify(userId, notices));
  }

  private async notify(userId: string, notices: Array<{ clientId: string; sid: string }>): Promise<void> {
    for (const { clientId, sid } of notices) {
      const client = (await this.provider.Client.find(clientId).catch(() => undefined)) as
        | { backchannelLogoutUri?: string; backchannelLogout(sub: string, sid: string): Promise<void> }
        | undefined;
      if (!client?.backchannelLogoutUri) continue;
      try {
        await client.backchannelLogout(userId, sid);
      } catch (err) {
        this.services.logger.warn({ clientId, reason: (err as Error).message }, 'back-channel logout notice failed');
      }
    }
  }
}
