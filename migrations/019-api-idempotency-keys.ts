// Idempotency keys of the management API: per calling application and key, the
// fingerprint of the request that first used it and, once it finished, its answer (sealed:
// it may hold a generated password or a shareable link). A row is claimed before the
// operation runs, so a concurrent duplicate finds it; times are epoch milliseconds.
import type { QueryInterface } from 'sequelize';
import { DataTypes } from 'sequelize';
import { str, type Migration } from './columns.js';

const epochMs = () => ({ type: DataTypes.BIGINT, allowNull: false });

export const migration: Migration = {
  name: '019-api-idempotency-keys',
  async up(qi: QueryInterface) {
    const long = qi.sequelize.getDialect() === 'mysql' ? DataTypes.TEXT('long') : DataTypes.TEXT;
    await qi.createTable('api_idempotency_keys', {
      client_id: { type: DataTypes.STRING(128), allowNull: false, primaryKey: true },
      idempotency_key: { type: DataTypes.STRING(255), allowNull: false, primaryKey: true },
      fingerprint: str(64, false),
      // Up to an invitation of many addresses with an outcome each: larger than TEXT's 64 KB on MariaDB.
      answer: { type: long, allowNull: true },
      created_at: epochMs(),
      expires_at: epochMs(),
    });
    await qi.addIndex('api_idempotency_keys', ['expires_at'], { name: 'api_idempotency_keys_expiry' });
  },
  async down(qi: QueryInterface) {
    await qi.dropTable('api_idempotency_keys');
  },
};
