// Tables of the OIDC edge: oidc-provider's artifacts and the signing keys.
import { DataTypes, type Sequelize } from 'sequelize';
import { TABLE_OPTIONS, type Table } from '../src/db/model-types.js';

export interface OidcPayloadAttributes {
  model: string;
  id: string;
  payload: string;
  grantId: string | null;
  userCode: string | null;
  uid: string | null;
  accountId: string | null;
  expiresAt: Date | null;
  consumedAt: Date | null;
}

export interface OidcKeyAttributes {
  kid: string;
  alg: string;
  privateJwk: string;
  status: 'active' | 'retired';
  createdAt: Date;
  retiredAt: Date | null;
  publishUntil: Date | null;
}

export function defineOidcModels(sequelize: Sequelize) {
  const s = (n: number) => ({ type: DataTypes.STRING(n), allowNull: true });
  const OidcPayload = sequelize.define(
    'oidc_payloads',
    {
      model: { type: DataTypes.STRING(40), primaryKey: true },
      id: { type: DataTypes.STRING(128), primaryKey: true },
      payload: { type: DataTypes.TEXT, allowNull: false },
      grantId: s(128),
      userCode: s(128),
      uid: s(128),
      accountId: s(36),
      expiresAt: { type: DataTypes.DATE(3), allowNull: true },
      consumedAt: { type: DataTypes.DATE(3), allowNull: true },
    },
    TABLE_OPTIONS,
  ) as Table<OidcPayloadAttributes, 'grantId' | 'userCode' | 'uid' | 'accountId' | 'expiresAt' | 'consumedAt'>;
  const OidcKey = sequelize.define(
    'oidc_keys',
    {
      kid: { type: DataTypes.STRING(64), primaryKey: true },
      alg: { type: DataTypes.STRING(16), allowNull: false },
      privateJwk: { type: DataTypes.TEXT, allowNull: false },
      status: { type: DataTypes.STRING(16), allowNull: false },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      retiredAt: { type: DataTypes.DATE(3), allowNull: true },
      publishUntil: { type: DataTypes.DATE(3), allowNull: true },
    },
    TABLE_OPTIONS,
  ) as Table<OidcKeyAttributes, 'retiredAt' | 'publishUntil'>;
  return { OidcPayload, OidcKey };
}

export type OidcModels = ReturnType<typeof defineOidcModels>;
