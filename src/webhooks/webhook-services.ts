// The webhook parts wired together (services.ts calls this): the emitter listening to the
// audit trail, the registration service, the sender behind the address guard, the worker.
import type { AuditService } from '../audit/audit-service.js';
import type { Clock } from '../clock.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { Models } from '../db/models.js';
import type { TransactionRunner } from '../db/transaction-runner.js';
import type { Logger } from '../logger.js';
import type { Outbox } from '../mail/outbox.js';
import type { SettingsService } from '../settings/settings-service.js';
import { WebhookDisabledNotice } from './webhook-disabled-notice.js';
import { WebhookEmitter } from './webhook-emitter.js';
import { createWebhookSender, type WebhookSender } from './webhook-sender.js';
import { WebhookService } from './webhook-service.js';
import { WebhookWorker, type WebhookWorkerOptions } from './webhook-worker.js';

export interface WebhookServices {
  service: WebhookService;
  emitter: WebhookEmitter;
  worker: WebhookWorker;
  /** Builds another worker (tests: two workers on one database). */
  newWorker(options?: WebhookWorkerOptions): WebhookWorker;
}

export interface WebhookDependencies {
  models: Models;
  audit: AuditService;
  outbox: Outbox;
  settings: SettingsService;
  secrets: () => Promise<SecretBox>;
  clock: Clock;
  transactions: TransactionRunner;
  logger: Logger;
  publicUrl: string;
  allowPrivate: boolean;
  sender?: WebhookSender;
  workerOptions?: WebhookWorkerOptions;
}

/** A receiver gets 5 s to answer; 64 KiB of its answer are read at most. */
const SEND_TIMEOUT_MS = 5_000;
const MAX_RESPONSE_BYTES = 64 * 1024;

export function createWebhookServices(d: WebhookDependencies): WebhookServices {
  const emitter = new WebhookEmitter(d.models, d.clock, d.transactions);
  emitter.listen(d.audit);
  const policy = { allowPrivate: d.allowPrivate };
  const service = new WebhookService(d.models, d.secrets, d.audit, d.clock, d.transactions, policy, emitter);
  // An application's webhooks go with it.
  d.audit.observe('webhooks of removed clients', async (ctx, action, target) => {
    if (action === 'client.removed' && target && ctx.transaction) await service.removeForClient({ ...ctx, transaction: ctx.transaction }, target.id);
  });
  const sender = d.sender ?? createWebhookSender({ ...policy, timeoutMs: SEND_TIMEOUT_MS, maxResponseBytes: MAX_RESPONSE_BYTES });
  const notice = new WebhookDisabledNotice(d.models, d.outbox, d.settings, d.audit, d.publicUrl);
  const newWorker = (options?: WebhookWorkerOptions) =>
    new WebhookWorker(d.models, emitter, sender, d.secrets, notice, d.transactions, d.clock, d.logger, { ...d.workerOptions, ...options });
  return { service, emitter, worker: newWorker(), newWorker };
}
