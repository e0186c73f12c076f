// A real HTTP receiver for the webhook suites: records every request it is sent, answers
// with the status a test sets, can be stopped and started again on the same port, and
// checks Standard Webhooks signatures with its own HMAC (not Gatehouse's code).
import http from 'node:http';
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export interface Received {
  id: string;
  timestamp: number;
  signatures: string[];
  body: string;
  json: { type: string; timestamp: string; data: Record<string, any> };
}

export class WebhookReceiver {
  readonly received: Received[] = [];
  /** The status answered next (tests switch it to 500 to play a failing receiver). */
  status = 204;
  /** Extra behaviour for one test: a redirect, a huge body, silence. */
  behaviour: 'normal' | 'redirect' | 'huge' | 'silent' = 'normal';
  private server: http.Server | null = null;
  port = 0;

  async start(port = 0): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        this.received.push({
          id: String(req.headers['webhook-id']),
          timestamp: Number(req.headers['webhook-timestamp']),
          signatures: String(req.headers['webhook-signature'] ?? '').split(' '),
          body,
          json: body ? JSON.parse(body) : null,
        });
        if (this.behaviour === 'silent') return;
        if (this.behaviour === 'redirect') {
          res.writeHead(302, { location: `http://127.0.0.1:${this.port}/elsewhere` }).end();
          return;
        }
        if (this.behaviour === 'huge') {
          res.writeHead(200, { 'content-type': 'text/plain' });
          const chunk = 'x'.repeat(64 * 1024);
          let sent = 0;
          const pump = () => {
            while (sent < 200 && res.write(chunk)) sent++;
            if (sent < 200) res.once('drain', pump);
            else res.end();
          };
          pump();
          return;
        }
        res.writeHead(this.status).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server!.close(resolve));
    this.server = null;
  }

  /** Whether one of the request's v1 signatures is its body's HMAC under `secret`. */
  static verifies(r: Received, secret: string): boolean {
    const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
    const expected = 'v1,' + createHmac('sha256', key).update(`${r.id}.${r.timestamp}.${r.body}`).digest('base64');
    return r.signatures.includes(expected);
  }

  /** Each webhook-id once, in the order first received (what a receiver that drops duplicates keeps). */
  distinct(): Received[] {
    const seen = new Set<string>();
    return this.received.filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true)));
  }
}

/**
 * A receiver for one suite: started before it, stopped after it, and back to a plain
 * 204 with nothing received before each test.
 */
export function suiteReceiver(): WebhookReceiver {
  const receiver = new WebhookReceiver();
  before(() => receiver.start());
  after(() => receiver.stop());
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.status = 204;
    receiver.behaviour = 'normal';
  });
  return receiver;
}
