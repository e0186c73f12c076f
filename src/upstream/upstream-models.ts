import { DataTypes, type Sequelize } from 'sequelize';
import { TABLE_OPTIONS, type Table } from '../db/model-types.js';

export interface UpstreamProviderAttributes {
  id: string;
  label: string;
  issuer: string;
  clientId: string;
  clientSecret: string | null;
  scopes: string;
  claimMapping: string;
  createAccounts: boolean;
  enabled: boolean;
  /** The admin whose permissions bound linking by email; null: no acting account (command line). */
  configuredBy: string | null;
  /** The provider asks for a second factor itself: Gatehouse does not ask again. */
  enforcesSecondFactor: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface UpstreamIdentityAttributes {
  providerId: string;
  subject: string;
  userId: string;
  createdAt: Date;
}

export function defineUpstreamModels(sequelize: Sequelize) {
  const UpstreamProvider = sequelize.define(
    'upstream_providers',
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      label: { type: DataTypes.STRING(100), allowNull: false },
      issuer: { type: DataTypes.STRING(500), allowNull: false },
      clientId: { type: DataTypes.STRING(255), allowNull: false },
      clientSecret: { type: DataTypes.TEXT, allowNull: true },
      scopes: { type: DataTypes.STRING(255), allowNull: false },
      claimMapping: { type: DataTypes.TEXT, allowNull: false },
      createAccounts: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      enabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      configuredBy: { type: DataTypes.STRING(36), allowNull: true },
      enforcesSecondFactor: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      updatedAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    TABLE_OPTIONS,
  ) as Table<UpstreamProviderAttributes, 'clientSecret' | 'createAccounts' | 'enabled' | 'configuredBy' | 'enforcesSecondFactor'>;
  const UpstreamIdentity = sequelize.define(
    'upstream_identities',
    {
      providerId: { type: DataTypes.STRING(36), primaryKey: true },
      subject: { type: DataTypes.STRING(255), primaryKey: true },
      userId: { type: DataTypes.STRING(36), allowNull: false },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    TABLE_OPTIONS,
  ) as Table<UpstreamIdentityAttributes>;
  return { UpstreamProvider, UpstreamIdentity };
}
