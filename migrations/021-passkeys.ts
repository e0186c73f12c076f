// Passkeys (WebAuthn credentials) and the challenges of ceremonies in progress. A
// credential's public key and id are stored as base64url text (portable; never parsed
// here: @simplewebauthn/server reads and verifies them). A challenge is kept server-side,
// bound to the interaction or page session that asked for it, and is used up by a
// conditional delete, so it answers once and only before it expires.
import type { QueryInterface } from 'sequelize';
import { DataTypes } from 'sequelize';
import { bool, references, str, text, time, uuidKey, type Migration } from './columns.js';

export const migration: Migration = {
  name: '021-passkeys',
  async up(qi: QueryInterface) {
    await qi.createTable('passkeys', {
      id: uuidKey(),
      user_id: references('users', 'CASCADE'),
      name: str(100, false),
      credential_id: str(512, false),
      public_key: text(false),
      // The authenticator's signature counter (0 for authenticators that keep none).
      sign_count: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      transports: str(255),
      device_type: str(16, false),
      backed_up: bool(false),
      created_at: time(false),
      last_used_at: time(),
    });
    await qi.addIndex('passkeys', ['credential_id'], { unique: true, name: 'passkeys_credential_unique' });
    await qi.addIndex('passkeys', ['user_id'], { name: 'passkeys_user' });
    await qi.createTable('webauthn_challenges', {
      challenge: { type: DataTypes.STRING(128), allowNull: false, primaryKey: true },
      // 'register' | 'authenticate'
      purpose: str(16, false),
      // What the challenge belongs to: an interaction (`interaction:<uid>`) or a page session.
      binding: str(128, false),
      user_id: references('users', 'CASCADE', true),
      expires_at: time(false),
    });
    await qi.addIndex('webauthn_challenges', ['expires_at'], { name: 'webauthn_challenges_expiry' });
    // Named here so both databases have it (MariaDB would otherwise add its own for the foreign key).
    await qi.addIndex('webauthn_challenges', ['user_id'], { name: 'webauthn_challenges_user' });
  },
  async down(qi: QueryInterface) {
    await qi.dropTable('webauthn_challenges');
    await qi.dropTable('passkeys');
  },
};
