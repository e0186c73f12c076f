import { DataTypes, type Sequelize } from 'sequelize';
import { TABLE_OPTIONS, type Table } from '../db/model-types.js';

export interface ClientAttributes {
  clientId: string;
  name: string;
  /** Client metadata (RFC 7591 names) as JSON, without the secret. */
  metadata: string;
  /** SHA-256 of the client secret; the secret itself is shown once, never stored. */
  secretHash: string | null;
  firstParty: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export function defineClientModel(sequelize: Sequelize) {
  return sequelize.define(
    'oidc_clients',
    {
      clientId: { type: DataTypes.STRING(128), primaryKey: true },
      name: { type: DataTypes.STRING(255), allowNull: false },
      metadata: { type: DataTypes.TEXT, allowNull: false },
      secretHash: { type: DataTypes.STRING(64), allowNull: true },
      firstParty: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      updatedAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    TABLE_OPTIONS,
  ) as Table<ClientAttributes, 'secretHash' | 'firstParty'>;
}
