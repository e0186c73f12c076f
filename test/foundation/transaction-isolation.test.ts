// Write transactions on MariaDB run under READ COMMITTED (transaction-runner.ts): a count
// taken inside one sees rows others committed after it began, which the seat service's
// locked recount relies on. The level is set once per pooled connection (database.ts), so
// this checks every connection the pool hands out, not just the first.
import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { systemContext } from '../../src/context.js';
import type { Database } from '../../src/db/database.js';
import { openTestDatabase } from '../helpers/test-databases.js';

describe('transaction isolation on MariaDB', function () {
  let opened: { db: Database; drop(): Promise<void> };

  before(async function () {
    opened = await openTestDatabase(this, 'mysql');
  });
  after(async () => opened?.drop());

  const count = async (db: Database, transaction?: unknown) => {
    const [row] = await db.sequelize.query<{ n: number }>("SELECT COUNT(*) AS n FROM settings WHERE `key` LIKE 'isolation-test-%'", { type: QueryTypes.SELECT, transaction: transaction as never });
    return Number(row!.n);
  };

  it('every pooled connection runs transactions under READ COMMITTED', async () => {
    const { db } = opened;
    // Several transactions at once, so the pool opens several connections.
    const levels = await Promise.all(
      Array.from({ length: 4 }, () =>
        db.transactions.run(systemContext('cli', 'test'), async (tx) => {
          const [row] = await db.sequelize.query<{ level: string }>('SELECT @@tx_isolation AS level', { type: QueryTypes.SELECT, transaction: tx.transaction });
          await new Promise((r) => setTimeout(r, 50));
          return row!.level;
        }),
      ),
    );
    expect(levels).to.deep.equal(['READ-COMMITTED', 'READ-COMMITTED', 'READ-COMMITTED', 'READ-COMMITTED']);
  });

  it('a transaction sees a row another connection committed after its first read', async () => {
    const { db } = opened;
    const seen = await db.transactions.run(systemContext('cli', 'test'), async (tx) => {
      const before = await count(db, tx.transaction);
      await db.sequelize.query("INSERT INTO settings (`key`, `value`, updated_at) VALUES ('isolation-test-1', '1', NOW())");
      return { before, after: await count(db, tx.transaction) };
    });
    expect(seen).to.deep.equal({ before: 0, after: 1 });
  });
});
