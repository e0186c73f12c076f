// One table for every oidc-provider model (after logto's oidc/adapter.ts), fulfilling the
// adapter contract of oidc-provider's example/my_adapter.js: upsert, find, findByUid,
// findByUserCode, consume, destroy, revokeByGrantId. Registered clients come from
// oidc_clients instead. Expiry is decided by the application clock. Every call is plain SQL
// (src/db/sql.ts): each token, code and session passes through here.
import { Op } from 'sequelize';
import { sqlDate } from '../src/db/sql.js';
import type { Clock } from '../src/clock.js';
import type { Sql } from '../src/db/sql.js';
import type { OidcModels } from './oidc-models.js';
import type { ClientService } from '../src/clients/client-service.js';

type Payload = Record<string, unknown> & { grantId?: string; userCode?: string; uid?: string; accountId?: string; consumed?: number };

export function createAdapterClass(models: OidcModels, sql: Sql, clients: ClientService, clock: Clock) {
  const upsertStatement = models.OidcPayload.sequelize!.getDialect() === 'mysql'
    ? 'INSERT INTO oidc_payloads (model, id, payload, grant_id, user_code, uid, account_id, expires_at, consumed_at) VALUES (?,?,?,?,?,?,?,?,NULL) ON DUPLICATE KEY UPDATE payload=VALUES(payload), grant_id=VALUES(grant_id), user_code=VALUES(user_code), uid=VALUES(uid), account_id=VALUES(account_id), expires_at=VALUES(expires_at), consumed_at=NULL'
    : 'INSERT INTO oidc_payloads (model, id, payload, grant_id, user_code, uid, account_id, expires_at, consumed_at) VALUES (?,?,?,?,?,?,?,?,NULL) ON CONFLICT(model, id) DO UPDATE SET payload=excluded.payload, grant_id=excluded.grant_id, user_code=excluded.user_code, uid=excluded.uid, account_id=excluded.account_id, expires_at=excluded.expires_at, consumed_at=NULL';
  return class DatabaseAdapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
      const expiresAt = expiresIn ? new Date(clock.now().getTime() + expiresIn * 1000) : null;
      const values = [this.model, id, JSON.stringify(payload), payload.grantId ?? null, payload.userCode ?? null, payload.uid ?? null, typeof payload.accountId === 'string' ? payload.accountId : null, expiresAt];
      await sql.write(upsertStatement, values);
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
      await sql.write('UPDATE oidc_payloads SET consumed_at = ? WHERE model = ? AND id = ?', [clock.now(), this.model, id]);
    }

    async destroy(id: string): Promise<void> {
      await sql.write('DELETE FROM oidc_payloads WHERE model = ? AND id = ?', [this.model, id]);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await sql.write('DELETE FROM oidc_payloads WHERE grant_id = ?', [grantId]);
    }

    private async findWhere(where: { id?: string; uid?: string; userCode?: string }): Promise<Payload | undefined> {
      const [col, val] = where.id !== undefined ? ['id', where.id] : where.uid !== undefined ? ['uid', where.uid] : ['user_code', where.userCode];
      const [row] = await sql.select<{ payload: string; expires_at: Date | string | null; consumed_at: Date | string | null }>(
        `SELECT payload, expires_at, consumed_at FROM oidc_payloads WHERE model = ? AND ${col} = ? LIMIT 1`,
        [this.model, val!],
      );
      if (!row) return undefined;
      const expiresAt = sqlDate(row.expires_at);
      if (expiresAt && expiresAt <= clock.now()) return undefined;
      const payload = JSON.parse(row.payload) as Payload;
      const consumedAt = sqlDate(row.consumed_at);
      if (consumedAt) payload.consumed = Math.floor(consumedAt.getTime() / 1000);
      return payload;
    }
  };
}

/** Removes expired artifacts; run periodically by the server. */
export async function deleteExpiredPayloads(models: OidcModels, clock: Clock): Promise<number> {
  return models.OidcPayload.destroy({ where: { expiresAt: { [Op.lt]: clock.now() } } });
}
