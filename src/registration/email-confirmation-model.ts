import { DataTypes, type Sequelize } from 'sequelize';
import { TABLE_OPTIONS, type Table } from '../db/model-types.js';

/**
 * Why an address is being confirmed: a self-registration (unconfirmed until then; removed
 * when the link expires), an invitation accepted by shareable link (active, but the mailbox
 * is not proven yet), or an admin-added account created with "confirmed" off.
 */
export type ConfirmationPurpose = 'registration' | 'invitation' | 'admin';

export interface EmailConfirmationAttributes {
  id: number;
  userId: string;
  purpose: ConfirmationPurpose;
  tokenHash: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

export function defineEmailConfirmationModel(sequelize: Sequelize) {
  return sequelize.define(
    'email_confirmations',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      userId: { type: DataTypes.STRING(36), allowNull: false },
      purpose: { type: DataTypes.STRING(16), allowNull: false },
      tokenHash: { type: DataTypes.STRING(64), allowNull: false },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      expiresAt: { type: DataTypes.DATE(3), allowNull: false },
      usedAt: { type: DataTypes.DATE(3), allowNull: true },
    },
    TABLE_OPTIONS,
  ) as Table<EmailConfirmationAttributes, 'id' | 'usedAt'>;
}
