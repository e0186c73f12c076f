import { DataTypes, type Sequelize } from 'sequelize';
import { TABLE_OPTIONS, type Table } from '../db/model-types.js';

export interface WebhookAttributes {
  id: string;
  clientId: string;
  url: string;
  /** JSON array of event types. */
  events: string;
  /** Sealed "whsec_…" (SecretBox). */
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
  enabled: boolean;
  failingSince: Date | null;
  disabledAt: Date | null;
  disabledReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDeliveryAttributes {
  id: number;
  webhookId: string;
  messageId: string;
  eventType: string;
  subjectKey: string;
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  lockedUntil: Date | null;
  lockedBy: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

export interface WebhookAttemptAttributes {
  id: number;
  deliveryId: number;
  attemptedAt: Date;
  outcome: 'delivered' | 'failed';
  statusCode: number | null;
  error: string | null;
  durationMs: number | null;
}

export function defineWebhookModels(sequelize: Sequelize) {
  const Webhook = sequelize.define(
    'webhooks',
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      clientId: { type: DataTypes.STRING(128), allowNull: false },
      url: { type: DataTypes.STRING(2048), allowNull: false },
      events: { type: DataTypes.TEXT, allowNull: false },
      secret: { type: DataTypes.TEXT, allowNull: false },
      previousSecret: { type: DataTypes.TEXT, allowNull: true },
      previousSecretExpiresAt: { type: DataTypes.DATE(3), allowNull: true },
      enabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      failingSince: { type: DataTypes.DATE(3), allowNull: true },
      disabledAt: { type: DataTypes.DATE(3), allowNull: true },
      disabledReason: { type: DataTypes.STRING(255), allowNull: true },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      updatedAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    TABLE_OPTIONS,
  ) as Table<WebhookAttributes, 'previousSecret' | 'previousSecretExpiresAt' | 'enabled' | 'failingSince' | 'disabledAt' | 'disabledReason'>;
  const WebhookDelivery = sequelize.define(
    'webhook_deliveries',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      webhookId: { type: DataTypes.STRING(36), allowNull: false },
      messageId: { type: DataTypes.STRING(64), allowNull: false },
      eventType: { type: DataTypes.STRING(64), allowNull: false },
      subjectKey: { type: DataTypes.STRING(80), allowNull: false },
      payload: { type: DataTypes.TEXT, allowNull: false },
      status: { type: DataTypes.STRING(16), allowNull: false },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      nextAttemptAt: { type: DataTypes.DATE(3), allowNull: false },
      lockedUntil: { type: DataTypes.DATE(3), allowNull: true },
      lockedBy: { type: DataTypes.STRING(64), allowNull: true },
      lastStatusCode: { type: DataTypes.INTEGER, allowNull: true },
      lastError: { type: DataTypes.STRING(500), allowNull: true },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      deliveredAt: { type: DataTypes.DATE(3), allowNull: true },
    },
    TABLE_OPTIONS,
  ) as Table<WebhookDeliveryAttributes, 'id' | 'attempts' | 'lockedUntil' | 'lockedBy' | 'lastStatusCode' | 'lastError' | 'deliveredAt'>;
  const WebhookAttempt = sequelize.define(
    'webhook_attempts',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      deliveryId: { type: DataTypes.INTEGER, allowNull: false },
      attemptedAt: { type: DataTypes.DATE(3), allowNull: false },
      outcome: { type: DataTypes.STRING(16), allowNull: false },
      statusCode: { type: DataTypes.INTEGER, allowNull: true },
      error: { type: DataTypes.STRING(500), allowNull: true },
      durationMs: { type: DataTypes.INTEGER, allowNull: true },
    },
    TABLE_OPTIONS,
  ) as Table<WebhookAttemptAttributes, 'id' | 'statusCode' | 'error' | 'durationMs'>;
  return { Webhook, WebhookDelivery, WebhookAttempt };
}
