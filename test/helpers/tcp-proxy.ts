// A TCP proxy between Gatehouse and the database server that a test can stall (it stops
// forwarding in both directions while keeping every socket open: a stopped database
// process, a black-holed network) and resume, or reset (every connection ends with a TCP
// RST). It never touches the shared server. It also counts the SQL text clients send.
import net from 'node:net';

interface Pair {
  client: net.Socket;
  server: net.Socket;
  /** Held back while stalled, in order. */
  toServer: Buffer[];
  toClient: Buffer[];
}

export class TcpProxy {
  private stalled = false;
  private stallAfter: RegExp | null = null;
  private readonly pairs = new Set<Pair>();
  private readonly listener: net.Server;
  /** Everything clients sent, as latin1 text (SQL statements are readable in it). */
  private sent = '';

  private constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {
    this.listener = net.createServer((client) => this.accept(client));
  }

  static async start(targetHost: string, targetPort: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetHost, targetPort);
    await new Promise<void>((resolve) => proxy.listener.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.listener.address() as net.AddressInfo).port;
  }

  /** A mysql:// URL like `url`, pointing at the proxy. */
  proxiedUrl(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  /** Stops forwarding: bytes are held (not dropped) until resume(). */
  stall(): void {
    this.stalled = true;
  }

  /** Forwards the next client packet containing `text`, then stalls (e.g. after COMMIT reached the server). */
  stallAfterSending(text: string): void {
    this.stallAfter = new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  }

  resume(): void {
    this.stalled = false;
    for (const pair of this.pairs) {
      for (const chunk of pair.toServer.splice(0)) pair.server.write(chunk);
      for (const chunk of pair.toClient.splice(0)) pair.client.write(chunk);
    }
  }

  /** Ends every open connection with a TCP reset: the client sees ECONNRESET. */
  reset(): void {
    for (const pair of this.pairs) {
      pair.client.resetAndDestroy();
      pair.server.destroy();
    }
    this.pairs.clear();
  }

  /** How many times clients sent `text` since the last call to countFrom(). */
  count(text: string): number {
    return this.sent.split(text).length - 1;
  }

  /** Forgets what was sent so far, so count() counts from here. */
  countFrom(): void {
    this.sent = '';
  }

  get openConnections(): number {
    return this.pairs.size;
  }

  async close(): Promise<void> {
    this.reset();
    await new Promise((resolve) => this.listener.close(resolve));
  }

  private accept(client: net.Socket): void {
    const server = net.connect(this.targetPort, this.targetHost);
    const pair: Pair = { client, server, toServer: [], toClient: [] };
    this.pairs.add(pair);
    client.on('data', (chunk) => {
      const text = chunk.toString('latin1');
      this.sent += text;
      if (this.stalled) return void pair.toServer.push(chunk);
      server.write(chunk);
      if (this.stallAfter?.test(text)) {
        this.stallAfter = null;
        this.stalled = true;
      }
    });
    server.on('data', (chunk) => {
      if (this.stalled) return void pair.toClient.push(chunk);
      client.write(chunk);
    });
    const end = () => {
      this.pairs.delete(pair);
      client.destroy();
      server.destroy();
    };
    client.on('close', end);
    server.on('close', end);
    client.on('error', () => undefined);
    server.on('error', () => undefined);
  }
}
