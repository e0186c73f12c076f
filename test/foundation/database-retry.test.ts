// Start-up keeps retrying while the database is not reachable yet, then fails clearly,
// without ever printing the database password.
import { expect } from 'chai';
import { parsers } from '../../config/parsers.js';
import { openDatabase } from '../../src/db/database.js';
import { Unavailable } from '../../src/errors.js';
import { freePort } from '../helpers/free-port.js';
import { LogCapture } from '../helpers/log-capture.js';

describe('opening an unreachable database', () => {
  it('retries, then rejects with Unavailable saying it is not reachable, password hidden', async () => {
    const port = await freePort();
    const config = parsers.databaseUrl('DATABASE_URL', `mysql://gatehouse:Sup3rSecretPw@127.0.0.1:${port}/gatehouse`);
    const logs = new LogCapture();
    let failure: unknown;
    try {
      const db = await openDatabase(config, logs.logger('debug'), 1500);
      await db.close();
    } catch (err) {
      failure = err;
    }
    expect(failure).to.be.instanceOf(Unavailable);
    const err = failure as Unavailable;
    expect(err.message).to.match(/not reachable/);
    expect(err.message).to.include(`127.0.0.1:${port}`);
    expect(err.message).to.include('gatehouse:***@');
    expect(err.message).not.to.include('Sup3rSecretPw');
    expect(err.expose).to.equal(false);

    // It tried more than once before giving up, and said so in the log.
    const retries = logs.withMessage('database not reachable yet, retrying');
    expect(retries.length).to.be.greaterThan(0);
    expect(err.message).to.match(new RegExp(`after ${retries.length + 1} attempt`));
    expect(logs.raw).not.to.include('Sup3rSecretPw');
  });
});
