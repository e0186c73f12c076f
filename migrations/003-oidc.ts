// OpenID Connect provider storage: one table for all
// oidc-provider models, registered clients, signing keys, the web pages' server-side
// sessions, sign-in throttling, password resets, TOTP and recovery codes.
import type { QueryInterface } from 'sequelize';
import { bool, references, serialKey, str, text, time, type Migration } from './columns.js';

export const migration: Migration = {
  name: '003-oidc',
  async up(qi: QueryInterface) {
    await qi.createTable('oidc_payloads', {
      model: { ...str(40, false), primaryKey: true },
      id: { ...str(128, false), primaryKey: true },
      payload: text(false),
      grant_id: str(128),
      user_code: str(128),
      uid: str(128),
      // Copied out of the payload so a user's sessions, grants and tokens can be revoked at once.
      account_id: str(36),
      expires_at: time(),
      consumed_at: time(),
    });
    await qi.addIndex('oidc_payloads', ['grant_id'], { name: 'oidc_payloads_grant' });
    await qi.addIndex('oidc_payloads', ['uid'], { name: 'oidc_payloads_uid' });
    await qi.addIndex('oidc_payloads', ['user_code'], { name: 'oidc_payloads_user_code' });
    await qi.addIndex('oidc_payloads', ['account_id'], { name: 'oidc_payloads_account' });
    await qi.addIndex('oidc_payloads', ['expires_at'], { name: 'oidc_payloads_expires' });

    await qi.createTable('oidc_clients', {
      client_id: { ...str(128, false), primaryKey: true },
      name: str(255, false),
      // Client metadata (RFC 7591 names) as JSON, without the secret.
      metadata: text(false),
      // SHA-256 of the client secret: the secret itself is shown once and never stored.
      secret_hash: str(64),
      first_party: bool(false),
      created_at: time(false),
      updated_at: time(false),
    });

    await qi.createTable('oidc_keys', {
      kid: { ...str(64, false), primaryKey: true },
      alg: str(16, false),
      private_jwk: text(false),
      status: str(16, false), // active | retired
      created_at: time(false),
      retired_at: time(),
      // Retired public keys stay published until every token they signed has expired.
      publish_until: time(),
    });

    await qi.createTable('web_sessions', {
      id_hash: { ...str(64, false), primaryKey: true },
      user_id: references('users', 'CASCADE'),
      id_token: text(),
      created_at: time(false),
      last_seen_at: time(false),
      expires_at: time(false),
    });
    await qi.addIndex('web_sessions', ['user_id'], { name: 'web_sessions_user' });

    await qi.createTable('sign_in_failures', {
      id: serialKey(),
      account_key: str(320),
      ip: str(64),
      occurred_at: time(false),
    });
    await qi.addIndex('sign_in_failures', ['account_key', 'occurred_at'], { name: 'sign_in_failures_account' });
    await qi.addIndex('sign_in_failures', ['ip', 'occurred_at'], { name: 'sign_in_failures_ip' });

    await qi.createTable('password_resets', {
      token_hash: { ...str(64, false), primaryKey: true },
      user_id: references('users', 'CASCADE'),
      created_at: time(false),
      expires_at: time(false),
      used_at: time(),
    });
    await qi.addIndex('password_resets', ['user_id'], { name: 'password_resets_user' });

    await qi.addColumn('users', 'totp_secret', str(255));
    await qi.addColumn('users', 'totp_enabled_at', time());
    await qi.createTable('recovery_codes', {
      user_id: { ...references('users', 'CASCADE'), primaryKey: true },
      code_hash: { ...str(64, false), primaryKey: true },
      used_at: time(),
    });
  },
  async down(qi: QueryInterface) {
    await qi.dropTable('recovery_codes');
    await qi.removeColumn('users', 'totp_enabled_at');
    await qi.removeColumn('users', 'totp_secret');
    for (const table of ['password_resets', 'sign_in_failures', 'web_sessions', 'oidc_keys', 'oidc_clients', 'oidc_payloads']) await qi.dropTable(table);
  },
};
