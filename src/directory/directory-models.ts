// Models of the directory tables (migrations/008-directory.ts).
import { DataTypes, type Sequelize } from 'sequelize';
import { TABLE_OPTIONS, type Table } from '../db/model-types.js';

export interface LdapConfigAttributes {
  id: string;
  settings: string;
  bindSecret: string | null;
  /** Who last saved the settings (null: never saved from the page). */
  configuredBy: string | null;
  updatedAt: Date;
}

export interface LdapAccountAttributes {
  userId: string;
  dn: string;
  fingerprint: string;
  userVersion: number;
  missingSince: Date | null;
  syncedAt: Date;
}

export interface DirectoryLeaseAttributes {
  name: string;
  holder: string | null;
  expiresAt: Date | null;
  acquiredAt: Date | null;
}

export type RunKind = 'ldap' | 'csv';
export type RunStatus = 'previewed' | 'running' | 'completed' | 'failed' | 'interrupted';
export type RunTrigger = 'page' | 'schedule' | 'cli';

export const RUN_COUNTERS = ['created', 'updated', 'unchanged', 'reactivated', 'deactivated', 'blocked', 'failed', 'invalid'] as const;
export type RunCounter = (typeof RUN_COUNTERS)[number];

export interface DirectoryRunAttributes extends Record<RunCounter, number> {
  id: string;
  kind: RunKind;
  status: RunStatus;
  trigger: RunTrigger;
  actorLabel: string;
  createdBy: string | null;
  fileName: string | null;
  total: number;
  processed: number;
  message: string | null;
  warnings: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  heartbeatAt: Date | null;
}

export interface DirectoryRunRowAttributes {
  runId: string;
  seq: number;
  position: number;
  phase: 'preview' | 'result';
  outcome: string;
  label: string | null;
  message: string | null;
  /** The seat pool (user, requester) of the row's account, where known. */
  kind: string | null;
}

export interface UploadChunkAttributes {
  runId: string;
  seq: number;
  content: string;
}

const counter = () => ({ type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 });

export function defineDirectoryModels(sequelize: Sequelize) {
  const LdapConfig = sequelize.define(
    'ldap_config',
    {
      id: { type: DataTypes.STRING(16), primaryKey: true },
      settings: { type: DataTypes.TEXT, allowNull: false },
      bindSecret: { type: DataTypes.TEXT, allowNull: true },
      configuredBy: { type: DataTypes.STRING(36), allowNull: true },
      updatedAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    TABLE_OPTIONS,
  ) as Table<LdapConfigAttributes, 'bindSecret' | 'configuredBy'>;

  const LdapAccount = sequelize.define(
    'ldap_accounts',
    {
      userId: { type: DataTypes.STRING(36), primaryKey: true },
      dn: { type: DataTypes.STRING(1024), allowNull: false },
      fingerprint: { type: DataTypes.STRING(64), allowNull: false },
      userVersion: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      missingSince: { type: DataTypes.DATE(3), allowNull: true },
      syncedAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    TABLE_OPTIONS,
  ) as Table<LdapAccountAttributes, 'userVersion' | 'missingSince'>;

  const DirectoryLease = sequelize.define(
    'directory_leases',
    {
      name: { type: DataTypes.STRING(64), primaryKey: true },
      holder: { type: DataTypes.STRING(255), allowNull: true },
      expiresAt: { type: DataTypes.DATE(3), allowNull: true },
      acquiredAt: { type: DataTypes.DATE(3), allowNull: true },
    },
    TABLE_OPTIONS,
  ) as Table<DirectoryLeaseAttributes, 'holder' | 'expiresAt' | 'acquiredAt'>;

  const DirectoryRun = sequelize.define(
    'directory_runs',
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      kind: { type: DataTypes.STRING(8), allowNull: false },
      status: { type: DataTypes.STRING(16), allowNull: false },
      trigger: { type: DataTypes.STRING(16), allowNull: false },
      actorLabel: { type: DataTypes.STRING(255), allowNull: false },
      createdBy: { type: DataTypes.STRING(36), allowNull: true },
      fileName: { type: DataTypes.STRING(255), allowNull: true },
      total: counter(),
      processed: counter(),
      created: counter(),
      updated: counter(),
      unchanged: counter(),
      reactivated: counter(),
      deactivated: counter(),
      blocked: counter(),
      failed: counter(),
      invalid: counter(),
      message: { type: DataTypes.TEXT, allowNull: true },
      warnings: { type: DataTypes.TEXT, allowNull: true },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      startedAt: { type: DataTypes.DATE(3), allowNull: true },
      finishedAt: { type: DataTypes.DATE(3), allowNull: true },
      heartbeatAt: { type: DataTypes.DATE(3), allowNull: true },
    },
    TABLE_OPTIONS,
  ) as Table<DirectoryRunAttributes, 'createdBy' | 'fileName' | 'total' | 'processed' | RunCounter | 'message' | 'warnings' | 'startedAt' | 'finishedAt' | 'heartbeatAt'>;

  const DirectoryRunRow = sequelize.define(
    'directory_run_rows',
    {
      runId: { type: DataTypes.STRING(36), primaryKey: true },
      seq: { type: DataTypes.INTEGER, primaryKey: true },
      position: { type: DataTypes.INTEGER, allowNull: false },
      phase: { type: DataTypes.STRING(8), allowNull: false },
      outcome: { type: DataTypes.STRING(16), allowNull: false },
      label: { type: DataTypes.STRING(500), allowNull: true },
      message: { type: DataTypes.TEXT, allowNull: true },
      kind: { type: DataTypes.STRING(16), allowNull: true },
    },
    TABLE_OPTIONS,
  ) as Table<DirectoryRunRowAttributes, 'label' | 'message' | 'kind'>;

  const DirectoryUploadChunk = sequelize.define(
    'directory_upload_chunks',
    {
      runId: { type: DataTypes.STRING(36), primaryKey: true },
      seq: { type: DataTypes.INTEGER, primaryKey: true },
      content: { type: DataTypes.TEXT, allowNull: false },
    },
    TABLE_OPTIONS,
  ) as Table<UploadChunkAttributes>;

  return { LdapConfig, LdapAccount, DirectoryLease, DirectoryRun, DirectoryRunRow, DirectoryUploadChunk };
}
