// Log formats: JSON by default (log collectors), pretty single lines for a terminal or
// LOG_FORMAT=pretty, LOG_FORMAT=json forcing JSON; the setup link stands out in both.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { expect } from 'chai';
import { loadConfig, ConfigError } from '../../config/index.js';
import { createLogger } from '../../src/logger.js';
import { prettyStream, resolveLogFormat } from '../../src/log-format.js';
import { freePort } from '../helpers/free-port.js';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';
import { sleep } from '../helpers/wait.js';

const LINK = 'http://localhost:3000/setup?token=abc';

/** Collects what a pretty stream writes (it pipes into a real stream). */
function sink(): { stream: Writable; text(): string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  return { stream, text: () => text };
}

describe('log formats', function () {
  it('LOG_FORMAT is auto by default and accepts only auto, json or pretty', () => {
    expect(loadConfig({}).logFormat).to.equal('auto');
    expect(loadConfig({ LOG_FORMAT: 'pretty' }).logFormat).to.equal('pretty');
    expect(() => loadConfig({ LOG_FORMAT: 'colour' })).to.throw(ConfigError, /LOG_FORMAT.*one of auto, json, pretty/);
  });

  it('auto is pretty on a terminal and JSON otherwise; json and pretty are forced', () => {
    expect(resolveLogFormat('auto', true)).to.equal('pretty');
    expect(resolveLogFormat('auto', false)).to.equal('json');
    expect(resolveLogFormat('json', true)).to.equal('json');
    expect(resolveLogFormat('pretty', false)).to.equal('pretty');
  });

  it('pretty output is one line per entry, secrets still redacted, the setup link framed', async () => {
    const out = sink();
    const logger = createLogger('info', out.stream, { pretty: true });
    logger.info({ port: 3000, token: 'very-secret' }, 'gatehouse listening');
    logger.info({ setupLink: LINK }, `No owner yet. Create the owner account at ${LINK}`);
    await sleep(50);
    const lines = out.text().trimEnd().split('\n');
    expect(lines).to.have.length(2);
    expect(lines[0]).to.match(/INFO: gatehouse listening \{"port":3000/);
    expect(out.text()).to.not.include('very-secret');
    expect(lines[1]).to.include(`>>> No owner yet. Create the owner account at ${LINK} <<<`);
    // The link is in the message; it is not repeated as a field.
    expect(lines[1]!.split(LINK)).to.have.length(2);
  });

  it('with colours the setup link line is bold and inverted', async () => {
    const out = sink();
    const logger = pino(prettyStream(out.stream, { colorize: true }));
    logger.info({ setupLink: LINK }, `No owner yet. Create the owner account at ${LINK}`);
    await sleep(50);
    expect(out.text()).to.include('\u001b[1m\u001b[7m');
  });

  describe('the server process', function () {
    let dir: string;
    let server: ServerProcess | null = null;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-log-format-'))));
    afterEach(() => {
      server?.kill();
      server = null;
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('LOG_FORMAT=pretty logs readable lines, the setup link highlighted', async () => {
      const port = await freePort();
      server = spawnServer({
        DATABASE_URL: `sqlite:${path.join(dir, 'gatehouse.sqlite')}`,
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        VAR_DIR: dir,
        LOG_FORMAT: 'pretty',
      });
      // Non-JSON lines reach the helper as { msg: line }.
      await server.waitForLog(/INFO.*gatehouse listening/);
      expect(server.stdout()).to.match(new RegExp(`>>> No owner yet\\. Create the owner account at http://127\\.0\\.0\\.1:${port}/setup\\?token=\\S+ <<<`));
      expect(server.stdout()).to.not.match(/^\{"level"/m);
    });
  });
});
