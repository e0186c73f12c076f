import { DataTypes, type Sequelize } from 'sequelize';
import { TABLE_OPTIONS, type Table } from '../db/model-types.js';

export type ConnectionKind = 'scim' | 'ldap' | 'csv';

export interface ConnectionAttributes {
  id: string;
  kind: ConnectionKind;
  name: string;
  nameNormalized: string;
  createdAt: Date;
}

/** One account's externalId under one connection. */
export interface ExternalIdAttributes {
  connectionId: string;
  userId: string;
  externalId: string;
  externalIdNormalized: string;
}

export function defineConnectionModels(sequelize: Sequelize) {
  const ProvisioningConnection = sequelize.define(
    'provisioning_connections',
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      kind: { type: DataTypes.STRING(8), allowNull: false },
      name: { type: DataTypes.STRING(100), allowNull: false },
      nameNormalized: { type: DataTypes.STRING(100), allowNull: false },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    TABLE_OPTIONS,
  ) as Table<ConnectionAttributes>;
  const UserExternalId = sequelize.define(
    'user_external_ids',
    {
      connectionId: { type: DataTypes.STRING(36), primaryKey: true },
      userId: { type: DataTypes.STRING(36), primaryKey: true },
      externalId: { type: DataTypes.STRING(255), allowNull: false },
      externalIdNormalized: { type: DataTypes.STRING(255), allowNull: false },
    },
    TABLE_OPTIONS,
  ) as Table<ExternalIdAttributes>;
  return { ProvisioningConnection, UserExternalId };
}
