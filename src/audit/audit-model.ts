import { DataTypes, type Sequelize } from 'sequelize';
import { TABLE_OPTIONS, type Table } from '../db/model-types.js';

export interface AuditEventAttributes {
  id: number;
  occurredAt: Date;
  action: string;
  actorId: string | null;
  actorLabel: string;
  source: string;
  ip: string | null;
  requestId: string | null;
  targetType: string | null;
  targetId: string | null;
  targetLabel: string | null;
  details: string | null;
}

export function defineAuditModel(sequelize: Sequelize) {
  const s = (n: number) => ({ type: DataTypes.STRING(n), allowNull: true });
  return sequelize.define(
    'audit_events',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      occurredAt: { type: DataTypes.DATE(3), allowNull: false },
      action: { type: DataTypes.STRING(100), allowNull: false },
      actorId: s(36),
      actorLabel: { type: DataTypes.STRING(255), allowNull: false },
      source: { type: DataTypes.STRING(16), allowNull: false },
      ip: s(64),
      requestId: s(64),
      targetType: s(32),
      targetId: s(64),
      targetLabel: s(320),
      details: { type: DataTypes.TEXT, allowNull: true },
    },
    TABLE_OPTIONS,
  ) as Table<AuditEventAttributes, 'id'>;
}
