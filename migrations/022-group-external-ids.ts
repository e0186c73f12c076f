// group_external_ids: a Group's externalId per provisioning connection, as user_external_ids
// keeps an account's (RFC 7643 §3.1: the client's identifier, scoped to its provisioning
// domain, never unique). One value per (connection, role), the primary key; a non-unique
// index on (connection, normalised value) serves SCIM filters.
import type { QueryInterface } from 'sequelize';
import { references, str, type Migration } from './columns.js';

export const migration: Migration = {
  name: '022-group-external-ids',
  async up(qi: QueryInterface) {
    await qi.createTable('group_external_ids', {
      connection_id: { ...references('provisioning_connections', 'RESTRICT'), primaryKey: true },
      role_id: { ...references('roles', 'CASCADE'), primaryKey: true },
      external_id: str(255, false),
      external_id_normalized: str(255, false),
    });
    await qi.addIndex('group_external_ids', ['connection_id', 'external_id_normalized'], { name: 'group_external_ids_connection_value' });
    await qi.addIndex('group_external_ids', ['role_id'], { name: 'group_external_ids_role' });
  },
  async down(qi: QueryInterface) {
    await qi.dropTable('group_external_ids');
  },
};
