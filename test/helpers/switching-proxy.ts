// A load balancer in front of several Gatehouse processes (stateless
// processes behind a load balancer share one database), except that the test chooses which
// backend receives each request. The Host header passes through unchanged, so every backend
// sees the public address, as behind a real balancer.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
  backend: number;
  method: string;
  path: string;
}

export class SwitchingProxy {
  /** Port of the backend that receives the next request. */
  target: number;
  readonly requests: ProxiedRequest[] = [];
  private readonly server: http.Server;

  private constructor(target: number) {
    this.target = target;
    this.server = http.createServer((req, res) => {
      const backend = this.target;
      this.requests.push({ backend, method: req.method ?? 'GET', path: req.url ?? '/' });
      const upstream = http.request({ host: '127.0.0.1', port: backend, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', (err) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`proxy: backend ${backend} failed: ${err.message}`);
      });
      req.pipe(upstream);
    });
  }

  static async start(target: number): Promise<SwitchingProxy> {
    const proxy = new SwitchingProxy(target);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
