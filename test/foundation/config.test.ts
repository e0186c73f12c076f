// Configuration: loadConfig(env) merges documented defaults with
// the environment, names the bad key and what it expects, and returns a frozen object.
// `npm start` with a bad value stops before opening anything and prints that message.
import path from 'node:path';
import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../config/index.js';
import { spawnServer } from '../helpers/server-process.js';

function configErrorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('configuration', () => {
  describe('validation messages name the key and what it expects', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['PORT', 'abc', /port number between 0 and 65535/],
      ['PUBLIC_URL', 'ftp://x', /http:\/\/ or https:\/\/ URL/],
      ['DATABASE_URL', 'postgres://gatehouse:hunter2@db.example.com/gatehouse', /sqlite:PATH .*mysql:\/\//],
      ['SMTP_URL', 'http://x', /smtp:\/\/ or smtps:\/\/ URL/],
      ['SEATS_USER', '-1', /whole number of 0 or more/],
      ['COOKIE_KEYS', 'short', /at least 32 characters/],
      ['ENCRYPTION_KEY', 'bad', /32 random bytes, hex .* or base64/],
      ['LOG_LEVEL', 'loud', /one of fatal, error, warn, info, debug, trace, silent/],
      ['TRUST_PROXY', 'maybe', /false, the number of reverse proxies .* or a comma-separated list/],
      ['TRUST_PROXY', 'true', /would trust addresses clients make up \(use 1 behind one reverse proxy\)/],
      ['TRUST_PROXY', 'yes', /would trust addresses clients make up/],
      ['TRUST_PROXY', '10.0.0.0/33', /comma-separated list of their addresses, CIDR ranges/],
      ['TRUST_PROXY', 'loopback, proxy.example.com', /comma-separated list/],
      ['MAIL_FROM', 'bad', /mail address/],
      ['DATABASE_STATEMENT_TIMEOUT_MS', '0', /whole number of 1 or more/],
      ['DATABASE_ACQUIRE_TIMEOUT_MS', '5s', /whole number of 1 or more/],
      ['METRICS_TOKEN', 'short', /a secret of at least 32 characters/],
      ['METRICS_LISTEN', '9464', /HOST:PORT, such as 127\.0\.0\.1:9464/],
      ['METRICS_LISTEN', '127.0.0.1:99999', /HOST:PORT/],
      ['METRICS_LISTEN', '[not-v6]:9464', /HOST:PORT/],
    ];
    for (const [key, value, expects] of cases) {
      it(`${key}=${value}`, () => {
        const err = configErrorOf({ [key]: value });
        expect(err.key).to.equal(key);
        expect(err.message).to.include(key);
        expect(err.message).to.match(expects);
      });
    }

    it('never repeats a bad value, which may hold a password', () => {
      const err = configErrorOf({ DATABASE_URL: 'postgres://gatehouse:hunter2@db.example.com/gatehouse' });
      expect(err.message).not.to.include('hunter2');
    });

    it('refuses a PUBLIC_URL with a query string and out-of-range numbers', () => {
      expect(configErrorOf({ PUBLIC_URL: 'https://id.example.com/?a=b' }).key).to.equal('PUBLIC_URL');
      expect(configErrorOf({ PORT: '70000' }).key).to.equal('PORT');
      expect(configErrorOf({ SEATS_REQUESTER: '2.5' }).key).to.equal('SEATS_REQUESTER');
      expect(configErrorOf({ SETUP_TOKEN_TTL_HOURS: '0' }).key).to.equal('SETUP_TOKEN_TTL_HOURS');
    });
  });

  describe('defaults', () => {
    it('start on SQLite under var/, port 3000, http://localhost:3000', () => {
      const c = loadConfig({});
      expect(c.port).to.equal(3000);
      expect(c.publicUrl).to.equal('http://localhost:3000');
      expect(c.database.dialect).to.equal('sqlite');
      const storage = c.database.dialect === 'sqlite' ? c.database.storage : '';
      expect(path.normalize(storage).split(path.sep)[0]).to.equal('var');
      expect(c.smtpUrl).to.equal(null);
      expect(path.normalize(c.mailDir)).to.equal(path.join('var', 'mail'));
      expect(c.mailFrom).to.match(/@/);
      expect(c.seats).to.deep.equal({ user: null, requester: null });
      expect(c.logLevel).to.equal('info');
      expect(c.trustProxy).to.equal(false);
      expect(c.mailWorker).to.equal(true);
      expect(c.setupTokenTtlHours).to.equal(24);
      expect(c.databaseTimeouts).to.deep.equal({ statementMs: 5_000, acquireMs: 5_000 });
      expect(c.metrics).to.deep.equal({ token: null, listen: null });
    });

    it('derive PUBLIC_URL from PORT and take blank values as unset', () => {
      expect(loadConfig({ PORT: '4000' }).publicUrl).to.equal('http://localhost:4000');
      expect(loadConfig({ PORT: '  ' }).port).to.equal(3000);
    });

    it('read given values into their types', () => {
      const c = loadConfig({
        PUBLIC_URL: 'https://id.example.com/',
        DATABASE_URL: 'mariadb://gatehouse:pw@db:3306/gatehouse',
        SEATS_USER: '25',
        TRUST_PROXY: '1',
        COOKIE_KEYS: `${'a'.repeat(32)}, ${'b'.repeat(40)}`,
        ENCRYPTION_KEY: 'ab'.repeat(32),
        DATABASE_STATEMENT_TIMEOUT_MS: '1500',
        DATABASE_ACQUIRE_TIMEOUT_MS: '2500',
      });
      expect(c.databaseTimeouts).to.deep.equal({ statementMs: 1_500, acquireMs: 2_500 });
      expect(c.publicUrl).to.equal('https://id.example.com');
      expect(c.database).to.include({ dialect: 'mysql', url: 'mysql://gatehouse:pw@db:3306/gatehouse' });
      expect(c.database).to.deep.include({ hosts: [{ host: 'db', port: 3306 }] });
      // The nodes of a cluster, in order of preference; a missing port is 3306.
      const cluster = loadConfig({ DATABASE_URL: 'mysql://gatehouse:p%40ss@db1:3307, db2,[::1]:3309/gatehouse' }).database;
      expect(cluster).to.deep.equal({ dialect: 'mysql', url: 'mysql://gatehouse:p%40ss@db1:3307, db2,[::1]:3309/gatehouse', hosts: [{ host: 'db1', port: 3307 }, { host: 'db2', port: 3306 }, { host: '::1', port: 3309 }] });
      expect(() => loadConfig({ DATABASE_URL: 'mysql://gatehouse:pw@db1:3307,:x/gatehouse' })).to.throw(/several hosts/);
      expect(() => loadConfig({ DATABASE_URL: 'mysql://gatehouse:pw@db1:3307,db2:3308' })).to.throw(/several hosts/);
      expect(c.seats.user).to.equal(25);
      expect(c.trustProxy).to.equal(1);
      expect(loadConfig({ TRUST_PROXY: 'off' }).trustProxy).to.equal(false);
      expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8, 2001:db8::1' }).trustProxy).to.deep.equal(['loopback', '10.0.0.0/8', '2001:db8::1']);
      expect(c.cookieKeys).to.deep.equal(['a'.repeat(32), 'b'.repeat(40)]);
      expect(loadConfig({ METRICS_LISTEN: '127.0.0.1:9464' }).metrics.listen).to.deep.equal({ host: '127.0.0.1', port: 9464 });
      expect(loadConfig({ METRICS_LISTEN: '[::1]:9464' }).metrics.listen).to.deep.equal({ host: '::1', port: 9464 });
      expect(loadConfig({ METRICS_LISTEN: 'metrics.internal:9464' }).metrics.listen).to.deep.equal({ host: 'metrics.internal', port: 9464 });
      expect(loadConfig({ METRICS_TOKEN: 't'.repeat(32) }).metrics.token).to.equal('t'.repeat(32));
    });
  });

  it('returns a frozen configuration, nested values included', () => {
    const c = loadConfig({ SEATS_USER: '5' });
    expect(Object.isFrozen(c)).to.equal(true);
    expect(Object.isFrozen(c.seats)).to.equal(true);
    expect(Object.isFrozen(c.database)).to.equal(true);
    expect(Object.isFrozen(c.databaseTimeouts)).to.equal(true);
    expect(Object.isFrozen(c.cookieKeys)).to.equal(true);
    // ES modules are strict: writing to a frozen object throws rather than being ignored.
    expect(() => ((c as { port: number }).port = 1)).to.throw(TypeError);
    expect(() => ((c.seats as { user: number | null }).user = 1000)).to.throw(TypeError);
  });

  it('npm start with PORT=abc exits non-zero and prints the key', async function () {
    const server = spawnServer({ PORT: 'abc' });
    try {
      const { code } = await server.exited;
      expect(code).to.not.equal(0);
      expect(server.stderr()).to.include('PORT');
      expect(server.stderr()).to.include('port number');
    } finally {
      server.kill();
    }
  });
});
