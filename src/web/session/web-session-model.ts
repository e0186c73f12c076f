import { DataTypes, type Sequelize } from 'sequelize';
import { TABLE_OPTIONS, type Table } from '../../db/model-types.js';

export interface WebSessionAttributes {
  idHash: string;
  userId: string;
  idToken: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

export function defineWebSessionModel(sequelize: Sequelize) {
  return sequelize.define(
    'web_sessions',
    {
      idHash: { type: DataTypes.STRING(64), primaryKey: true },
      userId: { type: DataTypes.STRING(36), allowNull: false },
      idToken: { type: DataTypes.TEXT, allowNull: true },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      lastSeenAt: { type: DataTypes.DATE(3), allowNull: false },
      expiresAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    TABLE_OPTIONS,
  ) as Table<WebSessionAttributes, 'idToken'>;
}
