import { DataTypes, type Sequelize } from 'sequelize';
import { TABLE_OPTIONS, type Table } from '../db/model-types.js';

export interface SetupTokenAttributes {
  id: number;
  tokenHash: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

export function defineSetupTokenModel(sequelize: Sequelize) {
  return sequelize.define(
    'setup_tokens',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      tokenHash: { type: DataTypes.STRING(64), allowNull: false },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      expiresAt: { type: DataTypes.DATE(3), allowNull: false },
      usedAt: { type: DataTypes.DATE(3), allowNull: true },
    },
    TABLE_OPTIONS,
  ) as Table<SetupTokenAttributes, 'id' | 'usedAt'>;
}
