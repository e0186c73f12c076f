// Email changes made by someone else and their mailed "it wasn't me" links
// (migrations/010-email-changes.ts): only the SHA-256 of each 256-bit token is kept.
import { DataTypes, type Sequelize } from 'sequelize';
import { TABLE_OPTIONS, type Table } from '../db/model-types.js';

export type EmailChangeMail = 'change' | 'reset';

export interface EmailChangeAttributes {
  id: number;
  userId: string;
  oldEmail: string;
  /** Null: the address was removed (a directory may leave an account without one). */
  newEmail: string | null;
  changedByLabel: string;
  changedAt: Date;
  mailedFor: EmailChangeMail;
  restoreTokenHash: string;
  createdAt: Date;
  restoredAt: Date | null;
}

export function defineEmailChangeModel(sequelize: Sequelize) {
  return sequelize.define(
    'email_changes',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      userId: { type: DataTypes.STRING(36), allowNull: false },
      oldEmail: { type: DataTypes.STRING(320), allowNull: false },
      newEmail: { type: DataTypes.STRING(320), allowNull: true },
      changedByLabel: { type: DataTypes.STRING(255), allowNull: false },
      changedAt: { type: DataTypes.DATE(3), allowNull: false },
      mailedFor: { type: DataTypes.STRING(16), allowNull: false },
      restoreTokenHash: { type: DataTypes.STRING(64), allowNull: false },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      restoredAt: { type: DataTypes.DATE(3), allowNull: true },
    },
    TABLE_OPTIONS,
  ) as Table<EmailChangeAttributes, 'id' | 'restoredAt'>;
}
