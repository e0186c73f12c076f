import { DataTypes, type Sequelize } from 'sequelize';
import { TABLE_OPTIONS, type Table } from '../db/model-types.js';

export interface RecoveryCodeAttributes {
  userId: string;
  codeHash: string;
  usedAt: Date | null;
}

export function defineRecoveryCodeModel(sequelize: Sequelize) {
  return sequelize.define(
    'recovery_codes',
    {
      userId: { type: DataTypes.STRING(36), primaryKey: true },
      codeHash: { type: DataTypes.STRING(64), primaryKey: true },
      usedAt: { type: DataTypes.DATE(3), allowNull: true },
    },
    TABLE_OPTIONS,
  ) as Table<RecoveryCodeAttributes, 'usedAt'>;
}
