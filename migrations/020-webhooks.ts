// Signed lifecycle webhooks per application: the receivers registered on an application,
// the outbox of deliveries written in the transaction of the change that caused each event,
// and every attempt made to deliver one (shown on the application's page).
import { DataTypes, type QueryInterface } from 'sequelize';
import { bool, int, serialKey, str, text, time, uuidKey, type Migration } from './columns.js';

export const migration: Migration = {
  name: '020-webhooks',
  async up(qi: QueryInterface) {
    await qi.createTable('webhooks', {
      id: uuidKey(),
      client_id: { ...str(128, false), references: { model: 'oidc_clients', key: 'client_id' }, onDelete: 'CASCADE' },
      url: str(2048, false),
      // JSON array of event types from the catalogue (src/webhooks/webhook-events.ts).
      events: text(false),
      // "whsec_<base64>" sealed with the SecretBox; the previous one signs too until it expires.
      secret: text(false),
      previous_secret: text(),
      previous_secret_expires_at: time(),
      enabled: bool(true),
      // Start of the current run of failed attempts; the receiver is disabled once it is old enough.
      failing_since: time(),
      disabled_at: time(),
      disabled_reason: str(255),
      created_at: time(false),
      updated_at: time(false),
    });
    await qi.addIndex('webhooks', ['client_id'], { name: 'webhooks_client' });

    await qi.createTable('webhook_deliveries', {
      id: serialKey(),
      webhook_id: { ...str(36, false), references: { model: 'webhooks', key: 'id' }, onDelete: 'CASCADE' },
      // The Standard Webhooks `webhook-id`: the same on every attempt, so receivers can drop duplicates.
      message_id: str(64, false),
      event_type: str(64, false),
      // What deliveries are ordered by: "user:<id>" or "pool:<name>".
      subject_key: str(80, false),
      // The exact JSON body that is signed and sent.
      payload: text(false),
      status: str(16, false),
      attempts: int(false, 0),
      next_attempt_at: time(false),
      locked_until: time(),
      locked_by: str(64),
      last_status_code: int(),
      last_error: str(500),
      created_at: time(false),
      delivered_at: time(),
    });
    await qi.addIndex('webhook_deliveries', ['status', 'next_attempt_at'], { name: 'webhook_deliveries_due' });
    await qi.addIndex('webhook_deliveries', ['webhook_id', 'subject_key', 'status'], { name: 'webhook_deliveries_order' });
    // One event's rows (one per webhook) are rewritten together when the change goes on in its transaction.
    await qi.addIndex('webhook_deliveries', ['message_id'], { name: 'webhook_deliveries_message' });

    await qi.createTable('webhook_attempts', {
      id: serialKey(),
      delivery_id: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'webhook_deliveries', key: 'id' }, onDelete: 'CASCADE' },
      attempted_at: time(false),
      // 'delivered' (2xx) or 'failed'.
      outcome: str(16, false),
      status_code: int(),
      error: str(500),
      duration_ms: int(),
    });
    await qi.addIndex('webhook_attempts', ['delivery_id'], { name: 'webhook_attempts_delivery' });
  },
  async down(qi: QueryInterface) {
    await qi.dropTable('webhook_attempts');
    await qi.dropTable('webhook_deliveries');
    await qi.dropTable('webhooks');
  },
};
