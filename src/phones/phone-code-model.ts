import { DataTypes, type Sequelize } from 'sequelize';
import { TABLE_OPTIONS, type Table } from '../db/model-types.js';

export type PhoneCodePurpose = 'invitation' | 'account';

export interface PhoneCodeAttributes {
  id: number;
  purpose: PhoneCodePurpose;
  /** The invitation's or the account's id. */
  subjectId: string;
  phone: string;
  codeHash: string;
  ip: string | null;
  /** Codes entered against this one, right or wrong. */
  attempts: number;
  createdAt: Date;
  expiresAt: Date;
  consumedAt: Date | null;
}

export function definePhoneCodeModel(sequelize: Sequelize) {
  return sequelize.define(
    'phone_codes',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      purpose: { type: DataTypes.STRING(16), allowNull: false },
      subjectId: { type: DataTypes.STRING(36), allowNull: false },
      phone: { type: DataTypes.STRING(32), allowNull: false },
      codeHash: { type: DataTypes.STRING(64), allowNull: false },
      ip: { type: DataTypes.STRING(64), allowNull: true },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      expiresAt: { type: DataTypes.DATE(3), allowNull: false },
      consumedAt: { type: DataTypes.DATE(3), allowNull: true },
    },
    TABLE_OPTIONS,
  ) as Table<PhoneCodeAttributes, 'id' | 'attempts' | 'consumedAt'>;
}
