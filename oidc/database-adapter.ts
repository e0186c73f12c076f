// One table for every oidc-provider model (after logto's oidc/adapter.ts), fulfilling the
// adapter contract of oidc-provider's example/my_adapter.js: upsert, find, findByUid,
// findByUserCode, consume, destroy, revokeByGrantId. Registered clients come from
// oidc_clients instead. Expiry is decided by the application clock.
import { Op } from 'sequelize';
import type { Clock } from '../src/clock.js';
import type { OidcModels } from './oidc-models.js';
import type { ClientService } from '../src/clients/client-service.js';

type Payload = Record<string, unknown> & { grantId?: string; userCode?: string; uid?: string; accountId?: string; consumed?: number };

export function createAdapterClass(models: OidcModels, clients: ClientService, clock: Clock) {
  return class DatabaseAdapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
      const expiresAt = expiresIn ? new Date(clock.now().getTime() + expiresIn * 1000) : null;
      await models.OidcPayload.upsert({
        model: this.model,
        id,
        payload: JSON.stringify(payload),
        grantId: payload.grantId ?? null,
        userCode: payload.userCode ?? null,
        uid: payload.uid ?? null,
        accountId: typeof payload.accountId === 'string' ? payload.accountId : null,
        expiresAt,
        consumedAt: null,
      });
    }

    async find(id: string): Promise<Payload | undefined> {
      if (this.model === 'Client') return clients.providerMetadata(id);
      return this.findWhere({ id });
    }

    async findByUserCode(userCode: string): Promise<Payload | undefined> {
      return this.findWhere({ userCode });
    }

    async findByUid(uid: string): Promise<Payload | undefined> {
      return this.findWhere({ uid });
    }

    async consume(id: string): Promise<void> {
      await models.OidcPayload.update({ consumedAt: clock.now() }, { where: { model: this.model, id } });
    }

    async destroy(id: string): Promise<void> {
      await models.OidcPayload.destroy({ where: { model: this.model, id } });
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await models.OidcPayload.destroy({ where: { grantId } });
    }

    private async findWhere(where: { id?: string; uid?: string; userCode?: string }): Promise<Payload | undefined> {
      const row = await models.OidcPayload.findOne({ where: { model: this.model, ...where } });
      if (!row) return undefined;
      if (row.expiresAt && row.expiresAt <= clock.now()) return undefined;
      const payload = JSON.parse(row.payload) as Payload;
      if (row.consumedAt) payload.consumed = Math.floor(row.consumedAt.getTime() / 1000);
      return payload;
    }
  };
}

/** Removes expired artifacts; run periodically by the server. */
export async function deleteExpiredPayloads(models: OidcModels, clock: Clock): Promise<number> {
  return models.OidcPayload.destroy({ where: { expiresAt: { [Op.lt]: clock.now() } } });
}
