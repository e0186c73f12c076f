// Accounts core: roles and their permissions (built-ins seeded here), role holders,
// invitation records (the columns seat counting needs; behaviour comes later) and the
// seat pools whose rows serialize every seat-taking write.
import { randomUUID } from 'node:crypto';
import type { QueryInterface } from 'sequelize';
import { int, references, str, text, time, uuidKey, type Migration } from './columns.js';
import { BUILT_IN_ROLES_AT_002 } from './frozen/built-in-roles.js';

export const migration: Migration = {
  name: '002-accounts',
  async up(qi: QueryInterface) {
    await qi.createTable('roles', {
      id: uuidKey(),
      name: str(100, false),
      name_normalized: str(100, false),
      // 'owner' | 'admin' | 'member' | 'viewer' for built-ins, null for custom roles.
      builtin: str(16),
      description: str(500),
      version: int(false, 1),
      created_at: time(false),
      updated_at: time(false),
    });
    await qi.addIndex('roles', ['name_normalized'], { unique: true, name: 'roles_name_normalized_unique' });
    await qi.addIndex('roles', ['builtin'], { unique: true, name: 'roles_builtin_unique' });

    await qi.createTable('role_permissions', {
      role_id: { ...references('roles', 'CASCADE'), primaryKey: true },
      permission: { ...str(100, false), primaryKey: true },
    });

    await qi.createTable('user_roles', {
      user_id: { ...references('users', 'CASCADE'), primaryKey: true },
      role_id: { ...references('roles', 'RESTRICT'), primaryKey: true },
      created_at: time(false),
    });
    await qi.addIndex('user_roles', ['role_id', 'user_id'], { name: 'user_roles_role' });

    await qi.createTable('invitations', {
      id: uuidKey(),
      email: str(320, false),
      email_normalized: str(320, false),
      delivery_email: str(320),
      kind: str(16, false),
      status: str(16, false), // pending | accepted | expired | cancelled | superseded
      method: str(16, false), // email | link
      token_hash: str(64),
      given_name: str(255),
      family_name: str(255),
      message: text(),
      invited_by: references('users', 'SET NULL', true),
      expires_at: time(false),
      accepted_at: time(),
      created_at: time(false),
      updated_at: time(false),
    });
    await qi.addIndex('invitations', ['token_hash'], { unique: true, name: 'invitations_token_hash_unique' });
    await qi.addIndex('invitations', ['email_normalized', 'status'], { name: 'invitations_email_status' });
    await qi.addIndex('invitations', ['kind', 'status', 'expires_at'], { name: 'invitations_seat_count' });
    // Foreign-key columns get their index by name on both dialects (MySQL would otherwise
    // add an unnamed one of its own and SQLite none, so deleting a user would scan).
    await qi.addIndex('invitations', ['invited_by'], { name: 'invitations_invited_by' });

    await qi.createTable('invitation_roles', {
      invitation_id: { ...references('invitations', 'CASCADE'), primaryKey: true },
      role_id: { ...references('roles', 'CASCADE'), primaryKey: true },
    });
    await qi.addIndex('invitation_roles', ['role_id'], { name: 'invitation_roles_role' });

    await qi.createTable('seat_pools', {
      pool: { ...str(16, false), primaryKey: true },
      // Limit set by the owner on the Seats page; configuration (SEATS_*) overrides it.
      seat_limit: int(true),
      // Usage written at each seat-taking check: the write makes concurrent checks on
      // multi-primary clusters conflict, and shows the last count.
      in_use: int(false, 0),
      updated_at: time(false),
    });

    const now = new Date();
    await qi.bulkInsert('seat_pools', [
      { pool: 'user', seat_limit: null, in_use: 0, updated_at: now },
      { pool: 'requester', seat_limit: null, in_use: 0, updated_at: now },
    ]);
    for (const role of BUILT_IN_ROLES_AT_002) {
      const id = randomUUID();
      await qi.bulkInsert('roles', [
        { id, name: role.name, name_normalized: role.name.toLowerCase(), builtin: role.key, description: role.description, version: 1, created_at: now, updated_at: now },
      ]);
      await qi.bulkInsert('role_permissions', role.permissions.map((permission) => ({ role_id: id, permission })));
    }
  },
  async down(qi: QueryInterface) {
    for (const table of ['seat_pools', 'invitation_roles', 'invitations', 'user_roles', 'role_permissions', 'roles']) await qi.dropTable(table);
  },
};
