import { DataTypes, type Sequelize } from 'sequelize';
import { TABLE_OPTIONS, type Table } from '../db/model-types.js';
import { QUEUE_COLUMNS } from '../db/queue-worker.js';

export type OutboxStatus = 'pending' | 'sent' | 'failed';

export interface OutboxAttributes {
  id: number;
  toAddress: string;
  subject: string;
  htmlBody: string;
  textBody: string;
  template: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  lockedUntil: Date | null;
  lockedBy: string | null;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

export function defineOutboxModel(sequelize: Sequelize) {
  return sequelize.define(
    'mail_outbox',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      toAddress: { type: DataTypes.STRING(320), allowNull: false },
      subject: { type: DataTypes.STRING(500), allowNull: false },
      htmlBody: { type: DataTypes.TEXT, allowNull: false },
      textBody: { type: DataTypes.TEXT, allowNull: false },
      template: { type: DataTypes.STRING(100), allowNull: false },
      ...QUEUE_COLUMNS,
    },
    TABLE_OPTIONS,
  ) as Table<OutboxAttributes, 'id' | 'attempts' | 'lockedUntil' | 'lockedBy' | 'lastError' | 'sentAt'>;
}
