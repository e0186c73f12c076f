import { DataTypes, type Sequelize } from 'sequelize';
import { TABLE_OPTIONS, type Table } from '../db/model-types.js';

/** A mailed link that reactivates an inactive account when its owner follows it (72 h). */
export interface ReactivationLinkAttributes {
  id: number;
  userId: string;
  /** SHA-256 of the 256-bit token; the token itself is only in the mail. */
  tokenHash: string;
  /** Who sent it, kept readable in the account's history. */
  createdByLabel: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

export function defineReactivationLinkModel(sequelize: Sequelize) {
  return sequelize.define(
    'reactivation_links',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      userId: { type: DataTypes.STRING(36), allowNull: false },
      tokenHash: { type: DataTypes.STRING(64), allowNull: false },
      createdByLabel: { type: DataTypes.STRING(255), allowNull: false },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      expiresAt: { type: DataTypes.DATE(3), allowNull: false },
      usedAt: { type: DataTypes.DATE(3), allowNull: true },
    },
    TABLE_OPTIONS,
  ) as Table<ReactivationLinkAttributes, 'id' | 'usedAt'>;
}
