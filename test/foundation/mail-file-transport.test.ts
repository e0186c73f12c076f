// With no SMTP_URL, mail is written as .eml files under the mail directory and its links
// are logged, so a fresh install can finish its flows.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { simpleParser } from 'mailparser';
import { loadConfig } from '../../config/index.js';
import { systemContext } from '../../src/context.js';
import { createFileTransport } from '../../src/mail/transport.js';
import { createServices } from '../../src/services.js';
import { describeEachDatabase } from '../helpers/harness.js';
import { LogCapture } from '../helpers/log-capture.js';

const LINK = 'http://gatehouse.test/invitations/accept?token=abc123';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-mail-'));
}

function emlFiles(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.eml')).map((f) => path.join(dir, f)) : [];
}

describe('file mail transport', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes a parsable .eml under the mail directory (creating it) and logs the links', async () => {
    const logs = new LogCapture();
    const mailDir = path.join(dir, 'var', 'mail');
    const transport = createFileTransport(mailDir, logs.logger());
    await transport.send({
      id: 7,
      from: 'Gatehouse <no-reply@gatehouse.test>',
      to: 'ada@example.com',
      subject: 'You are invited',
      html: `<p>Accept: <a href="${LINK}">Accept</a></p>`,
      text: `Accept the invitation:\n\n${LINK}\n\nOr see http://gatehouse.test/help. Or open ${LINK}.`,
    });
    transport.close();

    const files = emlFiles(mailDir);
    expect(files).to.have.length(1);
    const parsed = await simpleParser(fs.readFileSync(files[0]));
    expect(parsed.subject).to.equal('You are invited');
    expect(parsed.html).to.include(LINK);
    expect(parsed.text).to.include(LINK);
    expect((Array.isArray(parsed.to) ? parsed.to[0] : parsed.to)?.text).to.equal('ada@example.com');

    const [line] = logs.withMessage('mail written to file (no SMTP_URL configured)');
    expect(line).to.include({ to: 'ada@example.com', subject: 'You are invited', file: files[0] });
    // Sentence punctuation after a link is not part of it.
    expect(line.links).to.deep.equal([LINK, 'http://gatehouse.test/help', LINK]);
  });
});

describeEachDatabase('outbox with no SMTP_URL', (h) => {
  it('delivers through the file transport into MAIL_DIR', async () => {
    const mailDir = tempDir();
    try {
      const logs = new LogCapture();
      const config = loadConfig({ DATABASE_URL: h.config.database.url, PUBLIC_URL: 'http://gatehouse.test', MAIL_DIR: mailDir, MAIL_WORKER: 'false' });
      expect(config.smtpUrl).to.equal(null);
      const services = createServices(config, h.db, logs.logger(), h.clock);
      await services.outbox.enqueue(systemContext(), 'grace@example.com', { template: 'test', subject: 'Hello', html: `<p>${LINK}</p>`, text: `Go to ${LINK}` });
      expect(await services.mailWorker.runOnce()).to.equal(1);

      const files = emlFiles(mailDir);
      expect(files).to.have.length(1);
      expect((await simpleParser(fs.readFileSync(files[0]))).subject).to.equal('Hello');
      expect(logs.withMessage('mail written to file (no SMTP_URL configured)')[0].links).to.deep.equal([LINK]);
      const [row] = await services.models.MailOutbox.findAll();
      expect(row.status).to.equal('sent');
    } finally {
      fs.rmSync(mailDir, { recursive: true, force: true });
    }
  });
});
