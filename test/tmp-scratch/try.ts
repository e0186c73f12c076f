import { loadConfig } from '../../config/index.js';
import { FakeClock } from '../../src/clock.js';
import { systemContext } from '../../src/context.js';
import { openDatabase } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrator.js';
import { createLogger } from '../../src/logger.js';
import { createServices } from '../../src/services.js';
import { createTestDatabaseConfig } from '../helpers/test-databases.js';

const dialect = (process.argv[2] ?? 'sqlite') as 'sqlite' | 'mysql';
const created = await createTestDatabaseConfig(dialect);
const config = loadConfig({ DATABASE_URL: created.config.url, LOG_LEVEL: 'silent', MAIL_WORKER: 'false', PUBLIC_URL: 'http://x.test' });
const logger = createLogger('silent');
const db = await openDatabase(config.database, logger, 5000);
await migrate(db);
const services = createServices(config, db, logger, new FakeClock());
try {
  await services.users.create(systemContext(), { username: 'alice', email: 'a@x.com', givenName: 'Alice' }, { source: 'admin', origin: 'page' });
  for (const q of [{}, { sort: 'created' as const }, { groupBy: 'role' as const }]) {
    const page = await services.userDirectory.page(systemContext(), { ...q, limit: 1 });
    console.log(JSON.stringify(page.rows), page.total, page.next);
    if (page.next) console.log(JSON.stringify((await services.userDirectory.page(systemContext(), { ...q, cursor: page.next })).rows.length));
  }
} catch (e) {
  console.error((e as any).message, (e as any).sql);
} finally {
  await db.close();
  await created.drop();
}
