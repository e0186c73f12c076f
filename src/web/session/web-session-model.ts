import { DataTypes, type Sequelize } from 'sequelize';
import { TABLE_OPTIONS, type Table } from '../../db/model-types.js';

export interface WebSessionAttributes {
  idHash: string;
  userId: string;
  idToken: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  /** The browser's User-Agent when the session began (capped): a hint for the person, never an identity. */
  userAgent: string | null;
  /** The client address when the session began. */
  ip: string | null;
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
      userAgent: { type: DataTypes.STRING(255), allowNull: true },
      ip: { type: DataTypes.STRING(64), allowNull: true },
    },
    TABLE_OPTIONS,
  ) as Table<WebSessionAttributes, 'idToken' | 'userAgent' | 'ip'>;
}
