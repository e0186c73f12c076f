// The AccessRevoker of the OIDC edge: in the caller's transaction it removes every session,
// grant, code and token of the user from oidc_payloads (or one session with its grants and
// their tokens); after commit it sends back-channel logout notices (OpenID Connect
// Back-Channel Logout 1.0) to the clients the ended sessions had signed in to.
import type { Provider } from 'oidc-provider';
import type { AccessRevoker } from '../src/users/access-revoker.js';
import type { ProviderSessionEnder } from '../src/users/provider-session-ender.js';
import type { TxContext } from '../src/context.js';
import type { Services } from '../src/services.js';
import type { OidcModels } from './oidc-models.js';

interface SessionPayload {
  uid?: string;
  authorizations?: Record<string, { sid?: string; grantId?: string }>;
}

export class ProviderRevoker implements AccessRevoker, ProviderSessionEnder {
  constructor(
    private readonly provider: Provider,
    private readonly models: OidcModels,
    private readonly services: Services,
  ) {}

  async revokeAll(ctx: TxContext, userId: string): Promise<void> {
    const t = ctx.transaction;
    const sessions = await this.models.OidcPayload.findAll({ where: { model: 'Session', accountId: userId }, transaction: t });
    const { notices, grantIds } = this.reach(sessions);
    await this.models.OidcPayload.destroy({ where: { accountId: userId }, transaction: t });
    if (grantIds.size) await this.models.OidcPayload.destroy({ where: { grantId: [...grantIds] }, transaction: t });
    this.services.db.transactions.onCommit(t, () => this.notify(userId, notices));
  }

  /** One session of the person, as signing out of it at the provider would: its grants and their tokens go with it. */
  async endSession(ctx: TxContext, userId: string, sessionId: string): Promise<boolean> {
    const t = ctx.transaction;
    const session = await this.models.OidcPayload.findOne({ where: { model: 'Session', id: sessionId, accountId: userId }, transaction: t });
    if (!session) return false;
    const { notices, grantIds } = this.reach([session]);
    await this.models.OidcPayload.destroy({ where: { model: 'Session', id: sessionId }, transaction: t });
    if (grantIds.size) {
      await this.models.OidcPayload.destroy({ where: { model: 'Grant', id: [...grantIds], accountId: userId }, transaction: t });
      await this.models.OidcPayload.destroy({ where: { grantId: [...grantIds] }, transaction: t });
    }
    this.services.db.transactions.onCommit(t, () => this.notify(userId, notices));
    return true;
  }

  /** The clients to tell (back-channel logout) and the grants to remove for these sessions. */
  private reach(sessions: Array<{ payload: string }>): { notices: Array<{ clientId: string; sid: string }>; grantIds: Set<string> } {
    const notices: Array<{ clientId: string; sid: string }> = [];
    const grantIds = new Set<string>();
    for (const row of sessions) {
      const payload = JSON.parse(row.payload) as SessionPayload;
      for (const [clientId, auth] of Object.entries(payload.authorizations ?? {})) {
        if (auth.sid) notices.push({ clientId, sid: auth.sid });
        if (auth.grantId) grantIds.add(auth.grantId);
      }
    }
    return { notices, grantIds };
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
