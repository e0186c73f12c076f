import { DataTypes, type Sequelize } from 'sequelize';
import { TABLE_OPTIONS, type Table } from '../db/model-types.js';
import type { Kind } from '../users/user-model.js';

export type InvitationStatus = 'pending' | 'accepted' | 'expired' | 'cancelled' | 'superseded';

export interface InvitationAttributes {
  id: string;
  email: string;
  emailNormalized: string;
  deliveryEmail: string | null;
  kind: Kind;
  status: InvitationStatus;
  method: 'email' | 'link';
  tokenHash: string | null;
  givenName: string | null;
  familyName: string | null;
  message: string | null;
  invitedBy: string | null;
  expiresAt: Date;
  acceptedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export function defineInvitationModels(sequelize: Sequelize) {
  const s = (n: number) => ({ type: DataTypes.STRING(n), allowNull: true });
  const Invitation = sequelize.define(
    'invitations',
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      email: { type: DataTypes.STRING(320), allowNull: false },
      emailNormalized: { type: DataTypes.STRING(320), allowNull: false },
      deliveryEmail: s(320),
      kind: { type: DataTypes.STRING(16), allowNull: false },
      status: { type: DataTypes.STRING(16), allowNull: false },
      method: { type: DataTypes.STRING(16), allowNull: false },
      tokenHash: s(64),
      givenName: s(255),
      familyName: s(255),
      message: { type: DataTypes.TEXT, allowNull: true },
      invitedBy: s(36),
      expiresAt: { type: DataTypes.DATE(3), allowNull: false },
      acceptedAt: { type: DataTypes.DATE(3), allowNull: true },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      updatedAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    TABLE_OPTIONS,
  ) as Table<InvitationAttributes, 'deliveryEmail' | 'tokenHash' | 'givenName' | 'familyName' | 'message' | 'invitedBy' | 'acceptedAt'>;
  const InvitationRole = sequelize.define(
    'invitation_roles',
    {
      invitationId: { type: DataTypes.STRING(36), primaryKey: true },
      roleId: { type: DataTypes.STRING(36), primaryKey: true },
    },
    TABLE_OPTIONS,
  ) as Table<{ invitationId: string; roleId: string }>;
  return { Invitation, InvitationRole };
}
