// Delivers the mail outbox through the shared queue worker (src/db/queue-worker.ts):
// claimed rows, retried with back-off while SMTP is down.
import type { Clock } from '../clock.js';
import type { Models } from '../db/models.js';
import type { Table } from '../db/model-types.js';
import { QueueWorker, type QueueWorkerOptions } from '../db/queue-worker.js';
import type { Logger } from '../logger.js';
import type { OutboxAttributes } from './outbox-model.js';
import type { Outbox } from './outbox.js';
import type { MailTransport } from './transport.js';

export interface OutboxWorkerOptions extends QueueWorkerOptions {
  from: string;
}

export class OutboxWorker extends QueueWorker<OutboxAttributes> {
  constructor(models: Models, outbox: Outbox, transport: MailTransport, clock: Clock, logger: Logger, options: OutboxWorkerOptions) {
    const { from, ...queueOptions } = options;
    super(
      models.MailOutbox as unknown as Table<OutboxAttributes, never>,
      {
        kind: 'mail',
        send: (row) => transport.send({ id: row.id, from, to: row.toAddress, subject: row.subject, html: row.htmlBody, text: row.textBody }),
        describe: (row) => ({ mailId: row.id, template: row.template }),
        onEnqueued: (listener) => outbox.onEnqueued(listener),
      },
      clock,
      logger,
      queueOptions,
    );
  }
}
