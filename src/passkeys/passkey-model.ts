// Passkeys and the challenges of WebAuthn ceremonies in progress (migrations/021-passkeys.ts).
import { DataTypes, type Sequelize } from 'sequelize';
import { TABLE_OPTIONS, type Table } from '../db/model-types.js';

export interface PasskeyAttributes {
  id: string;
  userId: string;
  name: string;
  /** base64url, as WebAuthn names the credential. */
  credentialId: string;
  /** The COSE public key, base64url: only @simplewebauthn/server reads it. */
  publicKey: string;
  signCount: number;
  /** JSON list of the transports the authenticator named at registration. */
  transports: string | null;
  deviceType: string;
  backedUp: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export interface WebAuthnChallengeAttributes {
  challenge: string;
  purpose: 'register' | 'authenticate';
  binding: string;
  userId: string | null;
  expiresAt: Date;
}

export function definePasskeyModels(sequelize: Sequelize) {
  const Passkey = sequelize.define(
    'passkeys',
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      userId: { type: DataTypes.STRING(36), allowNull: false },
      name: { type: DataTypes.STRING(100), allowNull: false },
      credentialId: { type: DataTypes.STRING(512), allowNull: false },
      publicKey: { type: DataTypes.TEXT, allowNull: false },
      // MySQL hands BIGINT back as a string: always read through Number().
      signCount: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      transports: { type: DataTypes.STRING(255), allowNull: true },
      deviceType: { type: DataTypes.STRING(16), allowNull: false },
      backedUp: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      lastUsedAt: { type: DataTypes.DATE(3), allowNull: true },
    },
    TABLE_OPTIONS,
  ) as Table<PasskeyAttributes, 'transports' | 'lastUsedAt' | 'backedUp'>;
  const WebAuthnChallenge = sequelize.define(
    'webauthn_challenges',
    {
      challenge: { type: DataTypes.STRING(128), primaryKey: true },
      purpose: { type: DataTypes.STRING(16), allowNull: false },
      binding: { type: DataTypes.STRING(128), allowNull: false },
      userId: { type: DataTypes.STRING(36), allowNull: true },
      expiresAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    TABLE_OPTIONS,
  ) as Table<WebAuthnChallengeAttributes, 'userId'>;
  return { Passkey, WebAuthnChallenge };
}
