// A start whose port is taken fails loudly and hands out no setup link: a link printed by a
// process that never listens would lead to whatever program holds the port.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';

function occupyPort(): Promise<{ port: number; close(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const holder = net.createServer((socket) => socket.destroy());
    holder.once('error', reject);
    holder.listen(0, '127.0.0.1', () => {
      const { port } = holder.address() as net.AddressInfo;
      resolve({ port, close: () => new Promise<void>((done) => holder.close(() => done())) });
    });
  });
}

describe('start-up on a port that is already taken', function () {
  let dir: string;
  let server: ServerProcess | null = null;
  let holder: Awaited<ReturnType<typeof occupyPort>> | null = null;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-port-taken-'));
    holder = await occupyPort();
  });
  afterEach(async () => {
    server?.kill();
    server = null;
    await holder?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('exits non-zero, says the port is in use and logs no setup link', async () => {
    const port = holder!.port;
    server = spawnServer({
      DATABASE_URL: `sqlite:${path.join(dir, 'gatehouse.sqlite')}`,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: 'info',
      VAR_DIR: dir,
      MAIL_DIR: path.join(dir, 'mail'),
    });
    const { code } = await server.exited;
    expect(code, server.stdout() + server.stderr()).to.not.equal(0);
    const output = server.stdout() + server.stderr();
    expect(output).to.not.match(/setup\?token=/);
    expect(server.logs.some((l) => 'setupLink' in l)).to.equal(false);
    const fatal = server.logs.find((l) => l.level === 60);
    expect(fatal?.code).to.equal('EADDRINUSE');
    expect(fatal?.msg).to.equal(`start failed: cannot listen on 127.0.0.1:${port}: the port is already in use (another Gatehouse or another program holds it). Stop that process or choose another PORT.`);
    expect(server.logs.map((l) => l.msg)).to.not.include('gatehouse listening');
  });
});
