import { DataTypes, type Sequelize } from 'sequelize';
import { TABLE_OPTIONS, type Table } from '../db/model-types.js';

export interface SignInFailureAttributes {
  id: number;
  accountKey: string | null;
  ip: string | null;
  occurredAt: Date;
}

export function defineSignInFailureModel(sequelize: Sequelize) {
  return sequelize.define(
    'sign_in_failures',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      accountKey: { type: DataTypes.STRING(320), allowNull: true },
      ip: { type: DataTypes.STRING(64), allowNull: true },
      occurredAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    TABLE_OPTIONS,
  ) as Table<SignInFailureAttributes, 'id'>;
}
