// Provisioning connections: who provisions accounts. Each SCIM client is a named connection
// holding one or more bearer tokens (a token is created into a new or an existing
// connection; rotating it keeps the connection); the LDAP sync is one fixed connection and
// every CSV import shares another. An account's externalId is kept per connection
// (external-ids.ts).
import { UniqueConstraintError } from 'sequelize';
import type { Clock } from '../clock.js';
import { systemContext, type Context, type TxContext } from '../context.js';
import type { Models } from '../db/models.js';
import type { TransactionRunner } from '../db/transaction-runner.js';
import { NotFound, ValidationError } from '../errors.js';
import { newId } from '../ids.js';
import { textProblem } from '../users/user-validation.js';
import type { ConnectionKind } from './connection-model.js';

export interface ConnectionView {
  id: string;
  kind: ConnectionKind;
  name: string;
}

/** The fixed connections of the LDAP sync and the CSV import (their ids are their kinds). */
export const BUILTIN_CONNECTIONS = {
  ldap: { id: 'ldap', kind: 'ldap', name: 'LDAP directory' },
  csv: { id: 'csv', kind: 'csv', name: 'CSV import' },
} as const satisfies Record<string, ConnectionView>;

/**
 * How a new token names its connection: by id, or by name — the SCIM connection of that name,
 * else a new one (default: the token's own name, so a token re-created under the same name
 * joins the same connection).
 */
export type ConnectionChoice = { connectionId: string } | { connectionName?: string };

export class ConnectionService {
  constructor(
    private readonly models: Models,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
  ) {}

  /** Every connection, SCIM ones first, by name. */
  async list(ctx?: Context): Promise<ConnectionView[]> {
    const rows = await this.models.ProvisioningConnection.findAll({ order: [['nameNormalized', 'ASC']], transaction: ctx?.transaction });
    const views = rows.map((r) => ({ id: r.id, kind: r.kind, name: r.name }));
    return [...views.filter((v) => v.kind === 'scim'), ...views.filter((v) => v.kind !== 'scim')];
  }

  async get(id: string, ctx?: Context): Promise<ConnectionView> {
    const row = await this.models.ProvisioningConnection.findByPk(id, { transaction: ctx?.transaction });
    if (!row) throw new NotFound('No such provisioning connection.');
    return { id: row.id, kind: row.kind, name: row.name };
  }

  /**
   * The LDAP or CSV connection, written first if it is missing (a database restored from
   * before it, or emptied), so a sync or an import can always keep its externalIds.
   */
  async ensureBuiltin(kind: keyof typeof BUILTIN_CONNECTIONS): Promise<ConnectionView> {
    const builtin = BUILTIN_CONNECTIONS[kind];
    if (await this.models.ProvisioningConnection.findByPk(builtin.id)) return builtin;
    try {
      await this.transactions.run(systemContext('system', 'connections'), (tx) => this.insert(tx, builtin));
    } catch (err) {
      // A parallel run wrote it first.
      if (!(err instanceof UniqueConstraintError)) throw err;
    }
    return builtin;
  }

  /** The SCIM connection a new token joins (ConnectionChoice). */
  async forNewToken(tx: TxContext, choice: ConnectionChoice, tokenName: string): Promise<ConnectionView> {
    if ('connectionId' in choice) {
      const chosen = await this.models.ProvisioningConnection.findByPk(choice.connectionId, { transaction: tx.transaction });
      if (!chosen || chosen.kind !== 'scim') throw new ValidationError({ connection: 'Choose one of the SCIM connections, or name a new one.' });
      return { id: chosen.id, kind: chosen.kind, name: chosen.name };
    }
    const name = (choice.connectionName ?? '').trim() || tokenName;
    const problem = textProblem('Connection name', name, 100);
    if (problem) throw new ValidationError({ connection: problem });
    const same = await this.models.ProvisioningConnection.findOne({ where: { nameNormalized: name.toLowerCase() }, transaction: tx.transaction });
    if (same?.kind === 'scim') return { id: same.id, kind: same.kind, name: same.name };
    if (same) throw new ValidationError({ connection: `"${same.name}" is the ${same.kind === 'ldap' ? 'LDAP sync' : 'CSV import'}'s connection: name another.` });
    const view: ConnectionView = { id: newId(), kind: 'scim', name };
    await this.insert(tx, view);
    return view;
  }

  private async insert(tx: TxContext, c: ConnectionView): Promise<void> {
    await this.models.ProvisioningConnection.create({ id: c.id, kind: c.kind, name: c.name, nameNormalized: c.name.toLowerCase(), createdAt: this.clock.now() }, { transaction: tx.transaction });
  }
}
