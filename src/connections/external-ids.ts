// An account's externalId is kept per provisioning connection (RFC 7643 §3.1: the
// provisioning client's identifier, scoped to its provisioning domain, never unique). Every
// read and write names its connection, so one directory never sees or overwrites another's
// value; two accounts may carry the same value, and matching reports that as ambiguous.
import { Op } from 'sequelize';
import type { Context, TxContext } from '../context.js';
import type { Models } from '../db/models.js';
import type { Statement } from '../db/sql.js';
import { normalize } from '../users/user-validation.js';
import type { ConnectionKind } from './connection-model.js';

/** One externalId of an account, with the connection that keeps it. */
export interface ExternalIdRef {
  connectionId: string;
  connection: string;
  kind: ConnectionKind;
  value: string;
}

/** The value `connectionId` keeps in `refs`, or null. */
export function externalIdIn(refs: readonly ExternalIdRef[], connectionId: string | null | undefined): string | null {
  return (connectionId && refs.find((r) => r.connectionId === connectionId)?.value) || null;
}

export class ExternalIds {
  /** Connections are never renamed or removed, so their names are read once per process. */
  private readonly connectionNames = new Map<string, { connection: string; kind: ConnectionKind }>();

  constructor(private readonly models: Models) {}

  /**
   * The value of an account created in `tx`, which has none yet: the INSERT to run in the
   * creation's statements (every directory create passes here), and the value as `ofUsers`
   * would list it.
   */
  async forNewAccount(tx: TxContext, userId: string, connectionId: string, value: string): Promise<{ statement: Statement; ref: ExternalIdRef }> {
    const named = this.connectionNames.get(connectionId) ?? (await this.connectionName(tx, connectionId));
    return {
      statement: { sql: 'INSERT INTO user_external_ids (connection_id, user_id, external_id, external_id_normalized) VALUES (?, ?, ?, ?)', params: [connectionId, userId, value, normalize(value)] },
      ref: { connectionId, ...named, value },
    };
  }

  private async connectionName(ctx: Context, connectionId: string): Promise<{ connection: string; kind: ConnectionKind }> {
    const [row] = await this.models.sql.select<{ name: string; kind: ConnectionKind }>('SELECT name, kind FROM provisioning_connections WHERE id = ?', [connectionId], ctx);
    if (!row) throw new Error(`Provisioning connection ${connectionId} is missing.`);
    const named = { connection: row.name, kind: row.kind };
    this.connectionNames.set(connectionId, named);
    return named;
  }

  /** Every externalId of the given accounts, by account id, in connection-name order. */
  async ofUsers(userIds: readonly string[], ctx?: Context): Promise<Map<string, ExternalIdRef[]>> {
    const result = new Map<string, ExternalIdRef[]>(userIds.map((id) => [id, []]));
    if (userIds.length === 0) return result;
    const unique = [...new Set(userIds)];
    const rows = await this.models.sequelizeQuery<{ user_id: string; connection_id: string; name: string; kind: ConnectionKind; external_id: string }>(
      `SELECT x.user_id, x.connection_id, c.name, c.kind, x.external_id FROM user_external_ids x JOIN provisioning_connections c ON c.id = x.connection_id
        WHERE x.user_id IN (:ids) ORDER BY c.name_normalized`,
      { ids: unique },
      ctx,
    );
    for (const r of rows) result.get(r.user_id)?.push({ connectionId: r.connection_id, connection: r.name, kind: r.kind, value: r.external_id });
    return result;
  }

  /**
   * Sets (or with null, removes) the account's value under the connection, inside the
   * caller's transaction, which holds the account's row lock. Returns the previous value.
   */
  async set(tx: TxContext, userId: string, connectionId: string, value: string | null): Promise<string | null> {
    const where = { connectionId, userId };
    const current = await this.models.UserExternalId.findOne({ where, transaction: tx.transaction });
    const before = current?.externalId ?? null;
    if (before === value) return before;
    if (value === null) await this.models.UserExternalId.destroy({ where, transaction: tx.transaction });
    else if (current) await this.models.UserExternalId.update({ externalId: value, externalIdNormalized: normalize(value) }, { where, transaction: tx.transaction });
    else await this.models.UserExternalId.create({ ...where, externalId: value, externalIdNormalized: normalize(value) }, { transaction: tx.transaction });
    return before;
  }

  /** Removes every value of a deleted account (SQLite enforces no cascade here). */
  async removeAll(tx: TxContext, userId: string): Promise<void> {
    await this.models.UserExternalId.destroy({ where: { userId }, transaction: tx.transaction });
  }

  /**
   * The accounts carrying each of the normalised values under the connection: every match,
   * so a caller sees an ambiguous value instead of picking one of its accounts.
   */
  async accountsMatching(connectionId: string, normalizedValues: readonly string[], ctx?: Context): Promise<Map<string, string[]>> {
    const result = new Map<string, string[]>();
    if (normalizedValues.length === 0) return result;
    const rows = await this.models.UserExternalId.findAll({
      attributes: ['userId', 'externalIdNormalized'],
      where: { connectionId, externalIdNormalized: { [Op.in]: [...new Set(normalizedValues)] } },
      order: [['userId', 'ASC']],
      transaction: ctx?.transaction,
    });
    for (const r of rows) result.set(r.externalIdNormalized, [...(result.get(r.externalIdNormalized) ?? []), r.userId]);
    return result;
  }
}

/** A match that names more than one account: reported, never guessed. */
export function ambiguityMessage(value: string, connection: string, count: number): string {
  return `Ambiguous external id "${value}" matches ${count} accounts in the "${connection}" connection; no account was changed.`;
}
