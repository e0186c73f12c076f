// One Gatehouse process in the cross-process seat race (seat-race.test.ts). It opens the
// database named on the command line, as a server would, then on "go" (a line on stdin, so
// two workers start together) runs K account creations at once and prints one JSON line:
//   {"created":n,"refused":n,"errors":["…"]}
// Usage: npx tsx test/accounts/seat-race-worker.ts <DATABASE_URL> <K> <email-prefix>
// (the URL may instead come from RACE_DATABASE_URL).
import { loadConfig } from '../../config/index.js';
import { systemClock } from '../../src/clock.js';
import { systemContext } from '../../src/context.js';
import { openDatabase } from '../../src/db/database.js';
import { SeatLimitReached } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';
import { createServices } from '../../src/services.js';
import { readyThenWaitForGo } from '../helpers/process-on-go.js';

const [urlArg, countArg, prefixArg] = process.argv.slice(2);
const url = urlArg || process.env.RACE_DATABASE_URL;
const count = Number(countArg ?? 20);
const prefix = prefixArg ?? `w${process.pid}`;
if (!url || !Number.isInteger(count) || count < 1) {
  process.stderr.write('Usage: npx tsx test/accounts/seat-race-worker.ts <DATABASE_URL> <K> <email-prefix>\n');
  process.exit(64);
}

const config = loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent', MAIL_WORKER: 'false', PUBLIC_URL: 'http://gatehouse.test' });
const logger = createLogger('silent');
const db = await openDatabase(config.database, logger, 10_000);
const services = createServices(config, db, logger, systemClock);

await readyThenWaitForGo();

const outcomes = await Promise.allSettled(
  Array.from({ length: count }, (_, i) =>
    services.users.create(systemContext('scim', `race ${prefix}`), { email: `${prefix}-${i}@example.com` }, { source: 'scim', origin: 'directory' }),
  ),
);
const summary = { created: 0, refused: 0, errors: [] as string[] };
for (const o of outcomes) {
  if (o.status === 'fulfilled') summary.created++;
  else if (o.reason instanceof SeatLimitReached) summary.refused++;
  else summary.errors.push(String((o.reason as Error).stack ?? o.reason));
}
process.stdout.write(JSON.stringify(summary) + '\n');
await db.close();
process.exit(0);
