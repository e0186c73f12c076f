// METRICS_LISTEN: the metrics on a listener of their own, without a token, while the main
// port keeps answering 404 at /metrics; the listener closes with the server.
import { expect } from 'chai';
import { loadConfig } from '../../config/index.js';
import { startGatehouse, type RunningGatehouse } from '../../src/gatehouse.js';
import { DIALECTS, TEST_MYSQL_URL, createTestDatabaseConfig, testLogger } from '../helpers/test-databases.js';
import { requireServer } from '../helpers/require-server.js';
import { sample } from './metrics-scrape.js';

for (const dialect of DIALECTS) {
  describe(`metrics on a separate listener [${dialect}]`, function () {
    let running: RunningGatehouse | null = null;
    let drop: (() => Promise<void>) | null = null;

    before(async function () {
      if (dialect === 'mysql') requireServer(this, !!TEST_MYSQL_URL, 'MariaDB/MySQL (set TEST_MYSQL_URL=mysql://user:pass@127.0.0.1:3306/gatehouse_test)');
      const created = await createTestDatabaseConfig(dialect);
      drop = created.drop;
      const config = loadConfig({ DATABASE_URL: created.config.url, PORT: '0', HOST: '127.0.0.1', METRICS_LISTEN: '127.0.0.1:0', MAIL_WORKER: 'false', LOG_LEVEL: 'silent' });
      running = await startGatehouse(config, testLogger());
    });

    after(async () => {
      await running?.stop();
      await drop?.();
    });

    it('serves /metrics there without a token, and nothing else', async () => {
      expect(running!.metricsUrl).to.match(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      await fetch(`${running!.url}/readyz`);
      const res = await fetch(running!.metricsUrl!);
      expect(res.status).to.equal(200);
      const text = await res.text();
      expect(sample(text, 'gatehouse_http_request_duration_seconds_count', { method: 'GET', route: '/readyz', status: '200' })).to.equal(1);
      expect(text).to.include('gatehouse_seats_in_use{pool="user"} 0');
      expect((await fetch(running!.metricsUrl!.replace('/metrics', '/readyz'))).status).to.equal(404);
    });

    it('leaves /metrics on the main port unanswered', async () => {
      expect((await fetch(`${running!.url}/metrics`)).status).to.equal(404);
    });
  });
}
