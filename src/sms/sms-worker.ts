// Sends the SMS outbox through the shared queue worker (src/db/queue-worker.ts): every
// process may run one; a claim (a conditional update) makes each message go out once, and
// a gateway that is down is retried with back-off until it answers.
import type { Clock } from '../clock.js';
import type { Models } from '../db/models.js';
import type { Table } from '../db/model-types.js';
import { QueueWorker, type QueueWorkerOptions } from '../db/queue-worker.js';
import type { Logger } from '../logger.js';
import type { SmsOutboxAttributes } from './sms-outbox-model.js';
import type { SmsOutbox } from './sms-outbox.js';
import type { SmsTransport } from './sms-transport.js';

/** What a sent message's body keeps: its words, its digits masked (the code is no use to anyone afterwards). */
export function maskedBody(body: string): string {
  return body.replace(/\d/g, '•');
}

export class SmsWorker extends QueueWorker<SmsOutboxAttributes> {
  constructor(models: Models, outbox: SmsOutbox, transport: SmsTransport, clock: Clock, logger: Logger, options: QueueWorkerOptions = {}) {
    super(
      models.SmsOutbox as unknown as Table<SmsOutboxAttributes, never>,
      {
        kind: 'sms',
        send: (row) => transport.send({ id: row.id, to: row.toNumber, body: row.body }),
        describe: (row) => ({ smsId: row.id, template: row.template }),
        sentColumns: (row) => ({ body: maskedBody(row.body) }),
        onEnqueued: (listener) => outbox.onEnqueued(listener),
      },
      clock,
      logger,
      options,
    );
  }
}
