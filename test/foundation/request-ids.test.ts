// JSON logs with a request id on every line written while a request is handled, and never
// the query string, which carries setup and invitation tokens.
import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../../src/app.js';
import { createServices, type Services } from '../../src/services.js';
import { describeEachDatabase } from '../helpers/harness.js';
import { LogCapture, type LogLine } from '../helpers/log-capture.js';
import { tokenOf } from '../helpers/setup-form.js';
import { clearDatabase, openTestDatabase } from '../helpers/test-databases.js';

describeEachDatabase('request ids in logs', (h) => {
  const logs = new LogCapture();
  let app: ReturnType<typeof createApp>;
  let services: Services;
  let drop: (() => Promise<void>) | null = null;

  before(async function () {
    // trace, on a database opened with the captured logger: the SQL each request runs is
    // logged from inside Sequelize and the drivers, which know nothing of HTTP; those lines
    // must carry the id as well.
    const logger = logs.logger('trace');
    const opened = await openTestDatabase(this, h.dialect, logger);
    drop = opened.drop;
    services = createServices(h.config, opened.db, logger, h.clock, { mailTransport: h.mail });
    app = createApp(services);
  });

  after(async () => drop?.());

  beforeEach(async () => {
    if (services) await clearDatabase(services.db);
    logs.clear();
  });

  function requestLine(id: string): LogLine {
    const lines = logs.withMessage('request').filter((l) => l.requestId === id);
    expect(lines, `request line for ${id}`).to.have.length(1);
    return lines[0];
  }

  it('stamps every line of a request with its id and echoes a sane given id', async () => {
    const token = tokenOf((await services.setup.issueLinkIfNeeded(h.system()))!);
    logs.clear();
    const res = await request(app).get(`/setup?token=${token}`).set('X-Request-Id', 'lb-7f3a:42.x_y').expect(200);
    expect(res.headers['x-request-id']).to.equal('lb-7f3a:42.x_y');

    const sqlLines = logs.withMessage('sql');
    expect(sqlLines.length, 'SQL lines logged during the request').to.be.greaterThan(0);
    for (const line of logs.lines) expect(line.requestId, `${line.msg}`).to.equal('lb-7f3a:42.x_y');
    expect(requestLine('lb-7f3a:42.x_y')).to.include({ method: 'GET', path: '/setup', status: 200 });
  });

  it('keeps ids of parallel requests apart', async () => {
    await Promise.all(['req-a', 'req-b', 'req-c'].map((id) => request(app).get('/readyz').set('X-Request-Id', id).expect(200)));
    for (const id of ['req-a', 'req-b', 'req-c']) requestLine(id);
    for (const line of logs.lines) expect(['req-a', 'req-b', 'req-c']).to.include(line.requestId);
  });

  it('replaces an insane id with a fresh one', async () => {
    for (const insane of ['has spaces', 'x'.repeat(65), 'evil\\"}{json', '<script>']) {
      logs.clear();
      const res = await request(app).get('/healthz').set('X-Request-Id', insane).expect(200);
      const given = res.headers['x-request-id'];
      expect(given).to.match(/^[0-9a-f-]{36}$/);
      expect(requestLine(given)).to.include({ path: '/healthz' });
      expect(logs.raw).not.to.include(insane);
    }
  });

  it('gives a request without an id a fresh one', async () => {
    const a = (await request(app).get('/healthz')).headers['x-request-id'];
    const b = (await request(app).get('/healthz')).headers['x-request-id'];
    expect(a).to.match(/^[0-9a-f-]{36}$/);
    expect(b).to.not.equal(a);
  });

  it('never logs the query string (setup tokens), on success or failure', async () => {
    const token = tokenOf((await services.setup.issueLinkIfNeeded(h.system()))!);
    await request(app).get(`/setup?token=${token}`).expect(200);
    await request(app).get('/setup?token=unknown-secret-token-value').expect(404);
    await request(app).get(`/nowhere?token=${token}`).expect(404);
    expect(logs.withMessage('request').map((l) => l.path)).to.deep.equal(['/setup', '/setup', '/nowhere']);
    expect(logs.raw).not.to.include(token);
    expect(logs.raw).not.to.include('unknown-secret-token-value');
    expect(logs.raw).not.to.include('?token');
  });
});
