import { DataTypes, type Sequelize } from 'sequelize';
import { TABLE_OPTIONS, type Table } from '../db/model-types.js';

export const USER_STATUSES = ['unconfirmed', 'active', 'inactive'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];
export const USER_SOURCES = ['admin', 'invitation', 'registration', 'scim', 'ldap', 'csv', 'upstream', 'setup'] as const;
export type UserSource = (typeof USER_SOURCES)[number];
/**
 * Directories: the only sources that may create an account without an email address (they
 * own their people's data and may not have one); every other path needs an address to
 * confirm, invite, match or mail.
 */
export const DIRECTORY_SOURCES: readonly UserSource[] = ['scim', 'ldap', 'csv'];
export const KINDS = ['user', 'requester'] as const;
export type Kind = (typeof KINDS)[number];

export interface UserAttributes {
  id: string;
  username: string;
  usernameNormalized: string;
  email: string | null;
  emailNormalized: string | null;
  givenName: string | null;
  familyName: string | null;
  displayName: string | null;
  phone: string | null;
  /** The number the account last proved by a code; the phone is verified while it equals `phone`. */
  verifiedPhone: string | null;
  department: string | null;
  title: string | null;
  employeeNumber: string | null;
  manager: string | null;
  gender: string | null;
  birthdate: string | null;
  locale: string | null;
  nameFormatted: string | null;
  middleName: string | null;
  honorificPrefix: string | null;
  honorificSuffix: string | null;
  nickName: string | null;
  profileUrl: string | null;
  timezone: string | null;
  preferredLanguage: string | null;
  organization: string | null;
  division: string | null;
  costCenter: string | null;
  managerDisplayName: string | null;
  managerRef: string | null;
  kind: Kind;
  source: UserSource;
  status: UserStatus;
  emailVerified: boolean;
  passwordHash: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  lastSignInAt: Date | null;
  deactivatedAt: Date | null;
  deactivationReason: string | null;
  /** Base32 TOTP secret, encrypted at rest (src/crypto/secret-box.ts). */
  totpSecret: string | null;
  totpEnabledAt: Date | null;
  /** The lower-cased display name the users list sorts by (migrations/006-users-list.ts). */
  sortName: string;
  /** When access ends by itself (UTC); the account is deactivated then (access-end-scheduler.ts). */
  accessEndsAt: Date | null;
  /** Reminders already mailed for the current end date: 0, 1 (the first) or 2 (the last). */
  accessEndReminders: number;
  /** Who set the end date (the inviter for an invitation's): the reminders go to them. */
  accessEndSetBy: string | null;
}

/** Attributes only directories set (the rest of the SCIM User, RFC 7643 §4.1, §4.3). */
export const DIRECTORY_FIELDS = [
  'nameFormatted', 'middleName', 'honorificPrefix', 'honorificSuffix', 'nickName', 'profileUrl', 'timezone', 'preferredLanguage',
  'organization', 'division', 'costCenter', 'managerDisplayName', 'managerRef',
] as const;
export type DirectoryField = (typeof DIRECTORY_FIELDS)[number];

const s = (n: number) => ({ type: DataTypes.STRING(n), allowNull: true });

export function defineUserModel(sequelize: Sequelize) {
  return sequelize.define(
    'users',
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      username: { type: DataTypes.STRING(255), allowNull: false },
      usernameNormalized: { type: DataTypes.STRING(255), allowNull: false },
      email: { type: DataTypes.STRING(320), allowNull: true },
      emailNormalized: { type: DataTypes.STRING(320), allowNull: true },
      givenName: s(255),
      familyName: s(255),
      displayName: s(255),
      phone: s(64),
      verifiedPhone: s(64),
      department: s(255),
      title: s(255),
      employeeNumber: s(64),
      manager: s(255),
      gender: s(32),
      birthdate: { type: DataTypes.DATEONLY, allowNull: true },
      locale: s(35),
      nameFormatted: s(255),
      middleName: s(255),
      honorificPrefix: s(64),
      honorificSuffix: s(64),
      nickName: s(255),
      profileUrl: s(1024),
      timezone: s(64),
      preferredLanguage: s(64),
      organization: s(255),
      division: s(255),
      costCenter: s(255),
      managerDisplayName: s(255),
      managerRef: s(1024),
      kind: { type: DataTypes.STRING(16), allowNull: false },
      source: { type: DataTypes.STRING(16), allowNull: false },
      status: { type: DataTypes.STRING(16), allowNull: false },
      emailVerified: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      passwordHash: s(255),
      version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      updatedAt: { type: DataTypes.DATE(3), allowNull: false },
      lastSignInAt: { type: DataTypes.DATE(3), allowNull: true },
      deactivatedAt: { type: DataTypes.DATE(3), allowNull: true },
      deactivationReason: s(500),
      totpSecret: s(255),
      totpEnabledAt: { type: DataTypes.DATE(3), allowNull: true },
      sortName: { type: DataTypes.STRING(255), allowNull: false, defaultValue: '' },
      accessEndsAt: { type: DataTypes.DATE(3), allowNull: true },
      accessEndReminders: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      accessEndSetBy: s(36),
    },
    TABLE_OPTIONS,
  ) as Table<UserAttributes, 'givenName' | 'familyName' | 'displayName' | 'phone' | 'verifiedPhone' | 'department' | 'title' | 'employeeNumber' | 'manager' | 'gender' | 'birthdate' | 'locale' | DirectoryField | 'emailVerified' | 'passwordHash' | 'version' | 'lastSignInAt' | 'deactivatedAt' | 'deactivationReason' | 'totpSecret' | 'totpEnabledAt' | 'sortName' | 'accessEndsAt' | 'accessEndReminders' | 'accessEndSetBy'>;
}

export type UserModel = ReturnType<typeof defineUserModel>;
