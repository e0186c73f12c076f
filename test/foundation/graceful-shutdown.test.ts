// Graceful shutdown of the real server process: on SIGTERM it stops accepting,
// finishes the request in flight, stops the outbox worker, closes the pool and exits 0.
// The request is driven over a raw socket so it can be held half-sent across the signal.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { freePort } from '../helpers/free-port.js';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';
import { sleep, waitUntil } from '../helpers/wait.js';

/** Resolves with everything the server sent once it closes the connection. */
function collectResponse(socket: net.Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (data += chunk));
    socket.once('error', reject);
    socket.once('close', () => resolve(data));
  });
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

describe('graceful shutdown of the server process', function () {
  let dir: string;
  let server: ServerProcess | null = null;

  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-shutdown-'))));
  afterEach(() => {
    server?.kill();
    server = null;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finishes a request in flight, refuses new connections, exits 0 and logs "shutdown complete"', async () => {
    const port = await freePort();
    server = spawnServer({
      DATABASE_URL: `sqlite:${path.join(dir, 'gatehouse.sqlite')}`,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: 'info',
      MAIL_WORKER: 'true',
      MAIL_DIR: path.join(dir, 'mail'),
    });
    await server.waitForLog('gatehouse listening');
    // A fresh database: the first start logs the one-time setup link.
    expect(server.logs.some((l) => typeof l.setupLink === 'string' && /\/setup\?token=/.test(l.setupLink))).to.equal(true);

    const socket = await connect(port);
    const response = collectResponse(socket);
    const body = 'token=abc&name=Ada+Lovelace&email=ada%40example.com&password=analytical+engine&passwordConfirmation=analytical+engine';
    const half = Math.floor(body.length / 2);
    socket.write(
      `POST /setup HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body.slice(0, half)}`,
    );
    // Let the server read the headers so the request is in flight (not an idle connection)
    // when the signal arrives. This pause orders events; nothing measures it.
    await sleep(300);

    server.child.kill('SIGTERM');
    await server.waitForLog(/^shutting down/);

    // No new connections once shutting down.
    let refused: NodeJS.ErrnoException | null = null;
    await connect(port).then(
      (s) => s.destroy(),
      (err: NodeJS.ErrnoException) => (refused = err),
    );
    expect(refused, 'a new connection after SIGTERM').to.not.equal(null);
    expect(refused!.code).to.equal('ECONNREFUSED');
    expect(server.hasExited(), 'the server waits for the request in flight').to.equal(false);

    socket.write(body.slice(half));
    const raw = await response;
    // A complete HTTP response: the setup form refuses the missing CSRF token with 403.
    expect(raw).to.match(/^HTTP\/1\.1 403 /);
    const [head, payload] = raw.split('\r\n\r\n');
    expect(head).to.match(/\r\nX-Request-Id: /i);
    const length = Number(head.match(/\r\nContent-Length: (\d+)/i)?.[1]);
    expect(Buffer.byteLength(payload)).to.equal(length);
    expect(JSON.parse(payload).error).to.equal('csrf_failed');

    const { code } = await server.exited;
    expect(code).to.equal(0);
    const messages = server.logs.map((l) => l.msg);
    expect(messages).to.include('shutdown complete');
    // The request finished before the pool was closed.
    expect(messages.indexOf('request')).to.be.lessThan(messages.indexOf('shutdown complete'));
    expect(server.logs.find((l) => l.msg === 'request')).to.include({ method: 'POST', path: '/setup', status: 403 });
    await waitUntil(() => server!.hasExited(), 'process exit');
  });
});
