// The mail outbox against a real SMTP server started in the test (nothing
// is lost while SMTP is down). The worker runs on the system clock
// with a short back-off so retries happen for real; the database is the suite's own.
import { expect } from 'chai';
import { systemClock } from '../../src/clock.js';
import { systemContext } from '../../src/context.js';
import type { MailMessage } from '../../src/mail/mail-message.js';
import { OutboxWorker } from '../../src/mail/outbox-worker.js';
import { createSmtpTransport, type MailTransport } from '../../src/mail/transport.js';
import { createServices, type Services } from '../../src/services.js';
import { describeEachDatabase } from '../helpers/harness.js';
import { SmtpTestServer } from '../helpers/smtp-test-server.js';
import { testLogger } from '../helpers/test-databases.js';
import { waitUntil } from '../helpers/wait.js';

const WORKER_OPTIONS = { pollMs: 20, baseBackoffMs: 20, maxBackoffMs: 100, maxAttempts: 10_000 };

function message(i: number): MailMessage {
  return {
    template: 'test',
    subject: `Message ${i} — ünïcode`,
    html: `<p>Hello <strong>number ${i}</strong></p>`,
    text: `Hello number ${i}`,
  };
}

describeEachDatabase('outbox delivering to a real SMTP server', (h) => {
  const smtp = new SmtpTestServer();
  let transport: MailTransport;
  let services: Services;
  const workers: OutboxWorker[] = [];

  before(async () => {
    await smtp.start();
    transport = createSmtpTransport(smtp.url);
    services = createServices(h.config, h.db, testLogger(), systemClock, { mailTransport: transport, mailWorkerOptions: WORKER_OPTIONS });
  });

  beforeEach(async () => {
    await smtp.start();
    smtp.received.length = 0;
  });

  afterEach(async () => {
    for (const w of workers.splice(0)) await w.stop();
    await services.mailWorker.stop();
  });

  after(async () => {
    await smtp.stop();
    transport?.close();
  });

  async function enqueue(from: number, count: number): Promise<number[]> {
    const ids: number[] = [];
    for (let i = from; i < from + count; i++) ids.push(await services.outbox.enqueue(systemContext(), `person${i}@example.com`, message(i)));
    return ids;
  }

  async function rows() {
    return services.models.MailOutbox.findAll({ order: [['id', 'ASC']] });
  }

  async function allSent(count: number): Promise<boolean> {
    const all = await rows();
    return all.length === count && all.every((r) => r.status === 'sent');
  }

  it('delivers each of 5 mails once, with HTML and text parts and the right subject', async () => {
    await enqueue(1, 5);
    services.mailWorker.start();
    await waitUntil(() => allSent(5), 'five mails sent');
    await services.mailWorker.stop();

    expect(smtp.received).to.have.length(5);
    for (let i = 1; i <= 5; i++) {
      const got = smtp.received.filter((m) => m.parsed.subject === `Message ${i} — ünïcode`);
      expect(got, `message ${i}`).to.have.length(1);
      const [mail] = got;
      expect(mail.envelopeTo).to.deep.equal([`person${i}@example.com`]);
      expect(mail.envelopeFrom).to.equal('no-reply@localhost');
      expect(mail.parsed.html).to.include(`<strong>number ${i}</strong>`);
      expect(mail.parsed.text?.trim()).to.equal(`Hello number ${i}`);
    }
    for (const r of await rows()) {
      expect(r.attempts).to.equal(1);
      expect(r.sentAt).to.be.instanceOf(Date);
      expect(r.lastError).to.equal(null);
    }
  });

  it('keeps mail pending while SMTP is down and delivers it exactly once when it is back', async () => {
    await smtp.stop();
    await enqueue(1, 3);
    services.mailWorker.start();
    // Every row has failed at least once and is still waiting for its retry.
    await waitUntil(async () => (await rows()).every((r) => r.attempts >= 2), 'retries while SMTP is down');

    const waiting = await rows();
    expect(waiting).to.have.length(3);
    for (const r of waiting) {
      expect(r.status).to.equal('pending');
      expect(r.attempts).to.be.greaterThan(0);
      expect(r.lastError).to.match(/ECONNREFUSED|connect/i);
      expect(r.sentAt).to.equal(null);
    }
    expect(smtp.received).to.have.length(0);

    await smtp.start();
    await waitUntil(() => allSent(3), 'three mails sent after SMTP came back');
    await services.mailWorker.stop();

    expect(smtp.subjects().sort()).to.deep.equal([1, 2, 3].map((i) => `Message ${i} — ünïcode`));
    for (const r of await rows()) {
      expect(r.status).to.equal('sent');
      expect(r.lastError).to.equal(null);
    }
  });

  it('never delivers one message twice when two workers share the database', async () => {
    await enqueue(1, 30);
    for (let i = 0; i < 2; i++) workers.push(new OutboxWorker(services.models, services.outbox, transport, systemClock, testLogger(), { from: h.config.mailFrom, ...WORKER_OPTIONS }));
    // Both passes see the same due rows at the same moment; only the claim decides.
    await Promise.all(workers.map((w) => w.runOnce()));
    await enqueue(31, 30);
    workers.forEach((w) => w.start());
    await waitUntil(() => allSent(60), 'sixty mails sent by two workers');
    for (const w of workers) await w.stop();

    const subjects = smtp.subjects();
    expect(subjects).to.have.length(60);
    expect(new Set(subjects).size).to.equal(60);
    for (const r of await rows()) expect(r.attempts).to.equal(1);
  });
});
