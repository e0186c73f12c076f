// SCIM 2.0 server: the bearer tokens directories authenticate with —
// named, stored only as their SHA-256, last use recorded, revocable — and an index for
// `meta.lastModified` filters and sorting (RFC 7644 §3.4.2.2) on the accounts table.
import type { QueryInterface } from 'sequelize';
import { str, time, uuidKey, type Migration } from './columns.js';

export const migration: Migration = {
  name: '004-scim',
  async up(qi: QueryInterface) {
    await qi.createTable('scim_tokens', {
      id: uuidKey(),
      name: str(100, false),
      token_hash: str(64, false),
      // The first characters of the token, so an admin can tell tokens apart in the list
      // without the token itself being stored.
      token_hint: str(16, false),
      created_at: time(false),
      created_by: str(36),
      created_by_label: str(255, false),
      last_used_at: time(),
      last_used_ip: str(64),
      revoked_at: time(),
      revoked_by_label: str(255),
    });
    await qi.addIndex('scim_tokens', ['token_hash'], { unique: true, name: 'scim_tokens_token_hash_unique' });
    await qi.addIndex('users', ['updated_at', 'id'], { name: 'users_updated_at_id' });
  },
  async down(qi: QueryInterface) {
    await qi.removeIndex('users', 'users_updated_at_id');
    await qi.dropTable('scim_tokens');
  },
};
