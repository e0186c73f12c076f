import { DataTypes, type Sequelize } from 'sequelize';
import { TABLE_OPTIONS, type Table } from '../db/model-types.js';
import { QUEUE_COLUMNS, type QueuedRow } from '../db/queue-worker.js';

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
      ...QUEUE_COLUMNS,
    },
    TABLE_OPTIONS,
  ) as Table<SmsOutboxAttributes, 'id' | 'attempts' | 'lockedUntil' | 'lockedBy' | 'lastError' | 'sentAt'>;
}
