// The SMS outbox against a local HTTP server playing the gateway: the Twilio-compatible
// Messages request (path, form fields, basic auth) and the JSON webhook (body, bearer
// token, idempotency key) as SMS_URL configures them; a gateway that is down loses nothing
// and, with two workers sending, nothing goes out twice; credentials never reach a log
// line or the outbox's last error.
import { expect } from 'chai';
import { loadConfig, ConfigError } from '../../config/index.js';
import { systemClock } from '../../src/clock.js';
import { systemContext } from '../../src/context.js';
import { SmsWorker } from '../../src/sms/sms-worker.js';
import { smsTransportOf } from '../../src/sms/sms-transport-of.js';
import { describeEachDatabase } from '../helpers/harness.js';
import { LogCapture } from '../helpers/log-capture.js';
import { SmsGatewayServer } from '../helpers/sms-gateway.js';
import { waitUntil } from '../helpers/wait.js';

const FAST = { pollMs: 20, baseBackoffMs: 20, maxBackoffMs: 100, maxAttempts: 10_000 };
const SID = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'twilio-auth-token-which-is-secret';
const HOOK_TOKEN = 'webhook-bearer-token-which-is-secret';

describeEachDatabase('SMS outbox delivering to a gateway', (h) => {
  const gateway = new SmsGatewayServer();
  const workers: SmsWorker[] = [];
  const logs = new LogCapture();

  before(() => gateway.start());
  after(() => gateway.stop());
  beforeEach(() => {
    gateway.received.length = 0;
    gateway.up = true;
    gateway.refuseWith = null;
    logs.clear();
    // The workers retry for real (system clock): messages are enqueued at the real time.
    h.clock.set(new Date());
  });
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.stop();
  });

  function worker(env: Record<string, string>): SmsWorker {
    const config = loadConfig({ DATABASE_URL: 'sqlite::memory:', ...env });
    const w = new SmsWorker(h.services.models, h.services.smsOutbox, smsTransportOf(config.sms, logs.logger()), systemClock, logs.logger(), FAST);
    workers.push(w);
    return w;
  }

  const twilio = () => ({ SMS_URL: `twilio+http://${SID}:${TOKEN}@127.0.0.1:${gateway.port}`, SMS_FROM: '+15005550006' });
  const webhook = () => ({ SMS_URL: `http://127.0.0.1:${gateway.port}/hooks/sms`, SMS_WEBHOOK_TOKEN: HOOK_TOKEN, SMS_FROM: 'Gatehouse' });

  async function enqueue(to: string, body: string): Promise<number> {
    return h.services.smsOutbox.enqueue(systemContext(), to, { template: 'test', body });
  }

  it('posts a Twilio-compatible Messages request: form-encoded, basic auth with the account SID and token', async () => {
    const id = await enqueue('+447700900123', '123456 is your code');
    expect(await worker(twilio()).runOnce()).to.equal(1);
    expect(gateway.received).to.have.length(1);
    const r = gateway.received[0]!;
    expect(r.method).to.equal('POST');
    expect(r.path).to.equal(`/2010-04-01/Accounts/${SID}/Messages.json`);
    expect(r.headers['content-type']).to.equal('application/x-www-form-urlencoded');
    expect(r.headers.authorization).to.equal(`Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`);
    expect(Object.fromEntries(new URLSearchParams(r.body))).to.deep.equal({ To: '+447700900123', From: '+15005550006', Body: '123456 is your code' });
    // Sent: the row says so and no longer holds the code.
    const row = (await h.services.models.SmsOutbox.findByPk(id))!;
    expect(row).to.deep.include({ status: 'sent', attempts: 1 });
    expect(row.body).to.not.match(/\d/);
  });

  it('posts a JSON webhook with a bearer token and a stable idempotency key', async () => {
    const id = await enqueue('+14155550100', '654321 is your code');
    expect(await worker(webhook()).runOnce()).to.equal(1);
    const r = gateway.received[0]!;
    expect(r.path).to.equal('/hooks/sms');
    expect(r.headers['content-type']).to.equal('application/json');
    expect(r.headers.authorization).to.equal(`Bearer ${HOOK_TOKEN}`);
    expect(r.headers['idempotency-key']).to.equal(`gatehouse-sms-${id}`);
    expect(JSON.parse(r.body)).to.deep.equal({ id: `gatehouse-sms-${id}`, to: '+14155550100', from: 'Gatehouse', body: '654321 is your code' });
  });

  for (const shape of ['twilio', 'webhook'] as const) {
    it(`${shape}: a gateway that is down loses nothing; once up, two workers send each message exactly once`, async () => {
      gateway.up = false;
      const ids: number[] = [];
      for (let i = 0; i < 6; i++) ids.push(await enqueue(`+4477009001${String(i).padStart(2, '0')}`, `message ${i}`));
      const env = shape === 'twilio' ? twilio() : webhook();
      const a = worker(env);
      const b = worker(env);
      a.start();
      b.start();
      await waitUntil(async () => (await h.services.models.SmsOutbox.findAll()).every((r) => r.attempts >= 2), 'failed attempts while the gateway is down');
      expect(gateway.received).to.have.length(0);
      const pending = await h.services.models.SmsOutbox.findAll();
      expect(pending.every((r) => r.status === 'pending' && /unreachable/.test(r.lastError ?? ''))).to.equal(true);

      gateway.up = true;
      await waitUntil(async () => (await h.services.models.SmsOutbox.count({ where: { status: 'sent' } })) === ids.length, 'every message sent');
      await a.stop();
      await b.stop();
      expect(gateway.received).to.have.length(ids.length);
      const bodies = gateway.received.map((r) => (shape === 'twilio' ? new URLSearchParams(r.body).get('Body') : (JSON.parse(r.body) as { body: string }).body));
      expect([...bodies].sort()).to.deep.equal(ids.map((_, i) => `message ${i}`).sort());
      // The gateway's credentials appear in no log line and no stored error.
      const errors = (await h.services.models.SmsOutbox.findAll()).map((r) => r.lastError ?? '').join('\n');
      for (const secret of [TOKEN, HOOK_TOKEN, Buffer.from(`${SID}:${TOKEN}`).toString('base64')]) {
        expect(logs.raw).to.not.include(secret);
        expect(errors).to.not.include(secret);
      }
      expect(logs.withMessage('sms delivery failed, will retry').length).to.be.greaterThan(0);
    });
  }

  it('a refusal by the gateway is retried later, its answer kept as the last error', async () => {
    gateway.refuseWith = 401;
    const id = await enqueue('+447700900123', 'x');
    const w = worker(twilio());
    expect(await w.runOnce()).to.equal(0);
    const row = (await h.services.models.SmsOutbox.findByPk(id))!;
    expect(row).to.deep.include({ status: 'pending', attempts: 1 });
    expect(row.lastError).to.match(/^SMS gateway answered 401: .*Authenticate/);
    gateway.refuseWith = null;
    await waitUntil(async () => (await w.runOnce()) === 1 || (await h.services.models.SmsOutbox.count({ where: { status: 'sent' } })) === 1, 'the retry');
    expect(gateway.received).to.have.length(1);
  });

  it('SMS_URL and SMS_FROM are checked at start, naming the key', () => {
    const bad: Array<[Record<string, string>, RegExp]> = [
      [{ SMS_URL: 'ftp://x' }, /SMS_URL must be twilio\+https:\/\//],
      [{ SMS_URL: 'twilio+https://api.twilio.com' }, /SMS_URL/],
      [{ SMS_URL: 'https://user:pw@hooks.example.com/sms' }, /SMS_WEBHOOK_TOKEN/],
      [{ SMS_FROM: 'a sender far too long' }, /SMS_FROM/],
    ];
    for (const [env, message] of bad) expect(() => loadConfig(env)).to.throw(ConfigError, message);
    const c = loadConfig({ SMS_URL: `twilio+https://${SID}:${TOKEN}@api.twilio.com` });
    expect(c.sms.gateway).to.deep.equal({ kind: 'twilio', baseUrl: 'https://api.twilio.com', accountSid: SID, authToken: TOKEN });
    expect(loadConfig({}).sms).to.deep.include({ gateway: null, worker: true, from: 'Gatehouse' });
  });
});
