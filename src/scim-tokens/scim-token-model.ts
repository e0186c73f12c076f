import { DataTypes, type Sequelize } from 'sequelize';
import { TABLE_OPTIONS, type Table } from '../db/model-types.js';

export interface ScimTokenAttributes {
  id: string;
  name: string;
  tokenHash: string;
  tokenHint: string;
  createdAt: Date;
  createdBy: string | null;
  createdByLabel: string;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
  revokedAt: Date | null;
  revokedByLabel: string | null;
  /** JSON array of the token's permission set; null only before migration 009 filled it. */
  permissions: string | null;
  /** The set was given by a migration, not chosen by a person. */
  needsReview: boolean;
  /** When the holders of scim.manage were told the token's creator no longer covers it. */
  orphanedAt: Date | null;
  /** The provisioning connection the token writes for; rotating the token keeps it. */
  connectionId: string | null;
}

export function defineScimTokenModel(sequelize: Sequelize) {
  const s = (n: number) => ({ type: DataTypes.STRING(n), allowNull: true });
  return sequelize.define(
    'scim_tokens',
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      name: { type: DataTypes.STRING(100), allowNull: false },
      tokenHash: { type: DataTypes.STRING(64), allowNull: false },
      tokenHint: { type: DataTypes.STRING(16), allowNull: false },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      createdBy: s(36),
      createdByLabel: { type: DataTypes.STRING(255), allowNull: false },
      lastUsedAt: { type: DataTypes.DATE(3), allowNull: true },
      lastUsedIp: s(64),
      revokedAt: { type: DataTypes.DATE(3), allowNull: true },
      revokedByLabel: s(255),
      permissions: { type: DataTypes.TEXT, allowNull: true },
      needsReview: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      orphanedAt: { type: DataTypes.DATE(3), allowNull: true },
      connectionId: s(36),
    },
    TABLE_OPTIONS,
  ) as Table<ScimTokenAttributes, 'createdBy' | 'lastUsedAt' | 'lastUsedIp' | 'revokedAt' | 'revokedByLabel' | 'permissions' | 'needsReview' | 'orphanedAt' | 'connectionId'>;
}
