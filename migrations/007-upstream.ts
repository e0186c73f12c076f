// Upstream OpenID providers offered on the sign-in page and the
// identities linking their subjects to accounts.
import type { QueryInterface } from 'sequelize';
import { bool, references, str, text, time, uuidKey, type Migration } from './columns.js';

export const migration: Migration = {
  name: '007-upstream',
  async up(qi: QueryInterface) {
    await qi.createTable('upstream_providers', {
      id: uuidKey(),
      label: str(100, false),
      issuer: str(500, false),
      client_id: str(255, false),
      // Sealed with the SecretBox (src/crypto/secret-box.ts).
      client_secret: text(),
      scopes: str(255, false),
      // Claim names read from the upstream ID token / userinfo.
      claim_mapping: text(false),
      // Provisioning policy: may a first sign-in create an account (seats permitting)?
      create_accounts: bool(false),
      enabled: bool(true),
      created_at: time(false),
      updated_at: time(false),
    });
    await qi.createTable('upstream_identities', {
      provider_id: { ...references('upstream_providers', 'CASCADE'), primaryKey: true },
      subject: { ...str(255, false), primaryKey: true },
      user_id: references('users', 'CASCADE'),
      created_at: time(false),
    });
    await qi.addIndex('upstream_identities', ['user_id'], { name: 'upstream_identities_user' });
  },
  async down(qi: QueryInterface) {
    await qi.dropTable('upstream_identities');
    await qi.dropTable('upstream_providers');
  },
};
