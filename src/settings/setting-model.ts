import { DataTypes, type Sequelize } from 'sequelize';
import { TABLE_OPTIONS, type Table } from '../db/model-types.js';

export interface SettingAttributes {
  key: string;
  value: string; // JSON
  updatedAt: Date;
}

export function defineSettingModel(sequelize: Sequelize) {
  return sequelize.define(
    'settings',
    {
      key: { type: DataTypes.STRING(100), primaryKey: true },
      value: { type: DataTypes.TEXT, allowNull: false },
      updatedAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    TABLE_OPTIONS,
  ) as Table<SettingAttributes>;
}
