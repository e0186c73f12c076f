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
  /** The access end date the account gets on acceptance (UTC), or null. */
  accessEndsAt: Date | null;
  expiresAt: Date;
  acceptedAt: Date | null;
  /** The account this invitation became (set when accepted). */
  acceptedUserId: string | null;
  /** When the invitation was last sent (created or resent). */
  sentAt: Date | null;
  /** The inviter's name at the time, kept readable after the inviter is deleted. */
  invitedByLabel: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** An uploaded bulk-invitation CSV kept between its review and "Send all". */
export interface InvitationBatchAttributes {
  id: string;
  createdBy: string | null;
  content: string;
  rowCount: number;
  createdAt: Date;
  expiresAt: Date;
  sentAt: Date | null;
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
      accessEndsAt: { type: DataTypes.DATE(3), allowNull: true },
      expiresAt: { type: DataTypes.DATE(3), allowNull: false },
      acceptedAt: { type: DataTypes.DATE(3), allowNull: true },
      acceptedUserId: s(36),
      sentAt: { type: DataTypes.DATE(3), allowNull: true },
      invitedByLabel: s(255),
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      updatedAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    TABLE_OPTIONS,
  ) as Table<InvitationAttributes, 'deliveryEmail' | 'tokenHash' | 'givenName' | 'familyName' | 'message' | 'invitedBy' | 'accessEndsAt' | 'acceptedAt' | 'acceptedUserId' | 'sentAt' | 'invitedByLabel'>;
  const InvitationRole = sequelize.define(
    'invitation_roles',
    {
      invitationId: { type: DataTypes.STRING(36), primaryKey: true },
      roleId: { type: DataTypes.STRING(36), primaryKey: true },
    },
    TABLE_OPTIONS,
  ) as Table<{ invitationId: string; roleId: string }>;
  const InvitationBatch = sequelize.define(
    'invitation_batches',
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      createdBy: s(36),
      content: { type: DataTypes.TEXT, allowNull: false },
      rowCount: { type: DataTypes.INTEGER, allowNull: false },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      expiresAt: { type: DataTypes.DATE(3), allowNull: false },
      sentAt: { type: DataTypes.DATE(3), allowNull: true },
    },
    TABLE_OPTIONS,
  ) as Table<InvitationBatchAttributes, 'createdBy' | 'sentAt'>;
  return { Invitation, InvitationRole, InvitationBatch };
}
