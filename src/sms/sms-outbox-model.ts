import { DataTypes, type Sequelize } from 'sequelize';
import { TABLE_OPTIONS, type Table } from '../db/model-types.js';
import type { QueuedRow } from '../db/queue-worker.js';

export interface SmsOutboxAttributes extends QueuedRow {
  toNumber: string;
  body: string;
  template: string;
  createdAt: Date;
}

export function defineSmsOutboxModel(sequelize: Sequelize) {
  return sequelize.define(
    'sms_outbox',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      toNumber: { type: DataTypes.STRING(32), allowNull: false },
      body: { type: DataTypes.TEXT, allowNull: false },
      template: { type: DataTypes.STRING(100), allowNull: false },
      status: { type: DataTypes.STRING(16), allowNull: false },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      nextAttemptAt: { type: DataTypes.DATE(3), allowNull: false },
      lockedUntil: { type: DataTypes.DATE(3), allowNull: true },
      lockedBy: { type: DataTypes.STRING(64), allowNull: true },
      lastError: { type: DataTypes.TEXT, allowNull: true },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      sentAt: { type: DataTypes.DATE(3), allowNull: true },
    },
    TABLE_OPTIONS,
  ) as Table<SmsOutboxAttributes, 'id' | 'attempts' | 'lockedUntil' | 'lockedBy' | 'lastError' | 'sentAt'>;
}
