// Forgotten-password links (migrations/003-oidc.ts `password_resets`): only the SHA-256 of
// the 256-bit token is kept; used_at marks a link spent.
import { DataTypes, type Sequelize } from 'sequelize';
import { TABLE_OPTIONS, type Table } from '../db/model-types.js';

export interface PasswordResetAttributes {
  tokenHash: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

export function definePasswordResetModel(sequelize: Sequelize) {
  return sequelize.define(
    'password_resets',
    {
      tokenHash: { type: DataTypes.STRING(64), primaryKey: true },
      userId: { type: DataTypes.STRING(36), allowNull: false },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      expiresAt: { type: DataTypes.DATE(3), allowNull: false },
      usedAt: { type: DataTypes.DATE(3), allowNull: true },
    },
    TABLE_OPTIONS,
  ) as Table<PasswordResetAttributes, 'usedAt'>;
}
