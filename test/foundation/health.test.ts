// /healthz says the process is alive; /readyz says the database answers and the schema is
// current, and answers 503 otherwise so a load balancer stops sending traffic.
import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../../src/app.js';
import { MIGRATIONS_TABLE } from '../../src/db/migrator.js';
import { createServices } from '../../src/services.js';
import { describeEachDatabase } from '../helpers/harness.js';
import { MemoryMailTransport } from '../helpers/memory-mail.js';
import { openTestDatabase, testLogger } from '../helpers/test-databases.js';

describeEachDatabase('health and readiness', (h) => {
  it('/healthz answers 200', async () => {
    const res = await request(h.app).get('/healthz').expect(200).expect('Content-Type', /json/);
    expect(res.body).to.deep.equal({ status: 'ok' });
  });

  it('/readyz answers 200 when the database answers and no migration is pending', async () => {
    const res = await request(h.app).get('/readyz').expect(200).expect('Content-Type', /json/);
    expect(res.body).to.deep.equal({ status: 'ready' });
  });

  describe('on a database of its own', () => {
    async function appOnOwnDatabase(ctx: Mocha.Context) {
      const opened = await openTestDatabase(ctx, h.dialect);
      const services = createServices(h.config, opened.db, testLogger(), h.clock, { mailTransport: new MemoryMailTransport() });
      return { opened, app: createApp(services) };
    }

    it('/readyz answers 503 with JSON once the database is gone; /healthz stays 200', async function () {
      const { opened, app } = await appOnOwnDatabase(this);
      try {
        await request(app).get('/readyz').expect(200);
        await opened.db.close();
        const res = await request(app).get('/readyz').expect(503).expect('Content-Type', /json/);
        expect(res.body).to.deep.equal({ status: 'not ready', reason: 'database unreachable' });
        await request(app).get('/healthz').expect(200);
      } finally {
        await opened.drop();
      }
    });

    it('/readyz answers 503 while a migration is pending', async function () {
      const { opened, app } = await appOnOwnDatabase(this);
      try {
        await opened.db.sequelize.query(`DELETE FROM ${MIGRATIONS_TABLE} WHERE name = '002-accounts'`);
        const res = await request(app).get('/readyz').expect(503);
        expect(res.body.status).to.equal('not ready');
        expect(res.body.reason).to.match(/migrations pending: .*002-accounts/);
      } finally {
        await opened.drop();
      }
    });
  });
});
