// A mail transport that keeps messages in memory (for suites that do not test delivery
// itself; delivery is tested against a real SMTP server). It can be told to fail.
import type { MailTransport, OutgoingMail } from '../../src/mail/transport.js';

export class MemoryMailTransport implements MailTransport {
  readonly sent: OutgoingMail[] = [];
  failing = false;

  async send(mail: OutgoingMail): Promise<void> {
    if (this.failing) throw new Error('memory transport told to fail');
    this.sent.push(mail);
  }

  close(): void {}

  to(address: string): OutgoingMail[] {
    return this.sent.filter((m) => m.to === address);
  }
}
