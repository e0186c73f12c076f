// A real SMTP server inside the test process (smtp-server + mailparser), so the outbox is
// proven against the protocol rather than a mock. It listens on 127.0.0.1, collects every
// message parsed, and can be stopped and started again on the same port to play an SMTP
// outage.
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface ReceivedMail {
  envelopeFrom: string | null;
  envelopeTo: string[];
  parsed: ParsedMail;
}

export class SmtpTestServer {
  readonly received: ReceivedMail[] = [];
  private server: SMTPServer | null = null;
  private boundPort = 0;

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.boundPort}`;
  }

  /** Starts listening: on a random free port the first time, on the same port afterwards. */
  async start(): Promise<void> {
    if (this.server) return;
    const server = new SMTPServer({
      authOptional: true,
      // A self-signed STARTTLS would make nodemailer refuse the upgrade; plain SMTP on loopback.
      disabledCommands: ['STARTTLS'],
      logger: false,
      // Stopping plays an outage: do not wait the default 30 s for connections to end.
      closeTimeout: 100,
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then((parsed) => {
            this.received.push({
              envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
              parsed,
            });
            callback();
          })
          .catch((err: Error) => callback(err));
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(this.boundPort, '127.0.0.1', () => {
        server.server.off('error', reject);
        resolve();
      });
    });
    this.boundPort = (server.server.address() as { port: number }).port;
    this.server = server;
  }

  /** Stops accepting connections; start() brings it back on the same port. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get running(): boolean {
    return this.server !== null;
  }

  subjects(): string[] {
    return this.received.map((m) => m.parsed.subject ?? '');
  }
}
