// A local HTTP server playing an SMS gateway (a Twilio-compatible Messages API and a JSON
// webhook answer alike): it records every request whole and can be "down", when it drops
// each connection without answering, as an unreachable gateway would.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GatewayRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export class SmsGatewayServer {
  readonly received: GatewayRequest[] = [];
  up = true;
  /** An HTTP status to refuse every request with (a gateway that answers but will not send). */
  refuseWith: number | null = null;
  private server: http.Server | null = null;

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (!this.up) {
          req.socket.destroy();
          return;
        }
        if (this.refuseWith) {
          res.writeHead(this.refuseWith, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 20003, message: 'Authenticate' }));
          return;
        }
        this.received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ sid: `SM${this.received.length}`, status: 'queued' }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
