// One Gatehouse process delivering webhooks in the two-process test
// (webhook-processes.test.ts). It opens the database named on the command line, as a server
// would, with the test's clock time, then on "go" (a line on stdin, so both start together)
// runs its webhook worker until nothing is due and prints one JSON line: {"delivered":n}.
// Usage: npx tsx test/webhooks/webhook-delivery-process.ts <DATABASE_URL> <ISO time> [ENCRYPTION_KEY]
import { loadConfig } from '../../config/index.js';
import { FakeClock } from '../../src/clock.js';
import { openDatabase } from '../../src/db/database.js';
import { createLogger } from '../../src/logger.js';
import { createServices } from '../../src/services.js';
import { readyThenWaitForGo } from '../helpers/process-on-go.js';

const [url, time, encryptionKey] = process.argv.slice(2);
if (!url || !time) {
  process.stderr.write('Usage: npx tsx test/webhooks/webhook-delivery-process.ts <DATABASE_URL> <ISO time> [ENCRYPTION_KEY]\n');
  process.exit(64);
}

const config = loadConfig({
  DATABASE_URL: url,
  LOG_LEVEL: 'silent',
  MAIL_WORKER: 'false',
  WEBHOOK_WORKER: 'false',
  WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'true',
  PUBLIC_URL: 'http://gatehouse.test',
  ...(encryptionKey ? { ENCRYPTION_KEY: encryptionKey } : {}),
});
const logger = createLogger('silent');
const db = await openDatabase(config.database, logger, 10_000);
const services = createServices(config, db, logger, new FakeClock(time));

await readyThenWaitForGo();

let delivered = 0;
for (let n = await services.webhooks.worker.runOnce(); n > 0; n = await services.webhooks.worker.runOnce()) delivered += n;
process.stdout.write(JSON.stringify({ delivered }) + '\n');
await db.close();
process.exit(0);
