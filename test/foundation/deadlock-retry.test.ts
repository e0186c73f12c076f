// MySQL/MariaDB answers 1213 when it rolled a transaction back as a deadlock victim, and a
// Galera cluster answers it at COMMIT when the transaction lost certification: the whole
// unit of work runs again (transaction-runner.ts), and so does a plain write outside a
// transaction (sql.ts). Any other error is not retried. The 1213 here comes from a stored
// procedure that signals it a set number of times, so each case is exact; the cluster
// suite (test/cluster) meets real certification failures. SQLite has one writer and no
// such answer: this is MariaDB only.
import { expect } from 'chai';
import { systemContext } from '../../src/context.js';
import type { Database } from '../../src/db/database.js';
import { openTestDatabase } from '../helpers/test-databases.js';

describe('retrying a unit of work the server answered 1213 on MariaDB', function () {
  let opened: { db: Database; drop(): Promise<void> };

  before(async function () {
    opened = await openTestDatabase(this, 'mysql');
    const { db } = opened;
    await db.sequelize.query('CREATE TABLE refusals_left (id INT PRIMARY KEY, n INT NOT NULL, errno INT NOT NULL) ENGINE=MyISAM');
    await db.sequelize.query('CREATE TABLE retried_writes (id INT PRIMARY KEY AUTO_INCREMENT, label VARCHAR(20) NOT NULL)');
    // Signals the configured error while refusals are left. The count is in a MyISAM table,
    // which a rollback leaves alone, so it counts down across the retries.
    await db.sequelize.query(`CREATE PROCEDURE refuse_then_write(IN label VARCHAR(20))
      BEGIN
        DECLARE left_now INT;
        DECLARE code INT;
        SELECT n, errno INTO left_now, code FROM refusals_left WHERE id = 1;
        IF left_now > 0 THEN
          UPDATE refusals_left SET n = n - 1 WHERE id = 1;
          IF code = 1213 THEN SIGNAL SQLSTATE '40001' SET MYSQL_ERRNO = 1213, MESSAGE_TEXT = 'Deadlock found when trying to get lock';
          ELSE SIGNAL SQLSTATE 'HY000' SET MYSQL_ERRNO = 1146, MESSAGE_TEXT = 'Table does not exist'; END IF;
        END IF;
        INSERT INTO retried_writes (label) VALUES (label);
      END`);
  });
  after(async () => opened?.drop());

  const refuse = async (times: number, errno = 1213) => {
    await opened.db.sequelize.query('DELETE FROM refusals_left');
    await opened.db.sequelize.query('INSERT INTO refusals_left (id, n, errno) VALUES (1, ?, ?)', { replacements: [times, errno] });
  };
  const written = async (label: string) => (await opened.db.sql.select<{ n: number }>('SELECT COUNT(*) AS n FROM retried_writes WHERE label = ?', [label]))[0]!.n;

  it('runs a transaction again, whole, after 1213, and commits it once', async () => {
    await refuse(2);
    let runs = 0;
    await opened.db.transactions.run(systemContext('cli', 'test'), async (tx) => {
      runs++;
      await opened.db.sql.write('INSERT INTO retried_writes (label) VALUES (?)', ['tx-before'], tx);
      await opened.db.sql.write('CALL refuse_then_write(?)', ['tx'], tx);
    });
    expect(runs).to.equal(3);
    expect(Number(await written('tx'))).to.equal(1);
    expect(Number(await written('tx-before'))).to.equal(1);
  });

  it('runs a plain write outside a transaction again after 1213', async () => {
    await refuse(2);
    await opened.db.sql.write('CALL refuse_then_write(?)', ['plain'], {});
    expect(Number(await written('plain'))).to.equal(1);
  });

  it('does not retry any other error', async () => {
    await refuse(1, 1146);
    let runs = 0;
    const failed = await opened.db.transactions
      .run(systemContext('cli', 'test'), async (tx) => {
        runs++;
        await opened.db.sql.write('CALL refuse_then_write(?)', ['other'], tx);
      })
      .then(() => null, (err: { parent?: { errno?: number }; errno?: number }) => err.parent?.errno ?? err.errno);
    expect(failed).to.equal(1146);
    expect(runs).to.equal(1);
    expect(Number(await written('other'))).to.equal(0);
  });
});
