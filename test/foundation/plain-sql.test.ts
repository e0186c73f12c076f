// The plain-SQL path of the hot paths (src/db/sql.ts) on both databases: what it writes the
// models read back unchanged (dates, booleans, nulls), it joins the context's transaction
// and rolls back with it, a multi-row insert names the model's columns, a unique-index
// refusal names its index or column (never the value), and on SQLite a write outside any
// transaction waits behind the process's own write transaction instead of stalling it.
import { expect } from 'chai';
import { insertInto, sqlDate, uniqueViolation } from '../../src/db/sql.js';
import { describeEachDatabase } from '../helpers/harness.js';

describeEachDatabase('plain SQL (hot paths)', (h) => {
  const at = new Date('2030-02-03T04:05:06.789Z');

  it('writes dates, booleans and nulls as the models read them', async () => {
    const { sql } = h.services.models;
    const insert = insertInto(h.services.models.SignInFailure, [
      { accountKey: 'login:a', ip: null, occurredAt: at },
      { accountKey: 'login:b', ip: '10.0.0.1', occurredAt: new Date(at.getTime() + 1) },
    ]);
    expect(await sql.write(insert.statement, insert.params)).to.deep.equal({ affectedRows: 2 });
    const rows = await h.services.models.SignInFailure.findAll({ order: [['accountKey', 'ASC']] });
    expect(rows.map((r) => [r.accountKey, r.ip, r.occurredAt.toISOString()])).to.deep.equal([
      ['login:a', null, '2030-02-03T04:05:06.789Z'],
      ['login:b', '10.0.0.1', '2030-02-03T04:05:06.790Z'],
    ]);
    // Comparisons on dates written by either path agree.
    const later = await sql.select<{ account_key: string; occurred_at: Date | string }>('SELECT account_key, occurred_at FROM sign_in_failures WHERE occurred_at > ?', [at]);
    expect(later.map((r) => [r.account_key, sqlDate(r.occurred_at)!.toISOString()])).to.deep.equal([['login:b', '2030-02-03T04:05:06.790Z']]);

    await sql.write('UPDATE users SET email_verified = ? WHERE id = ?', [true, 'nobody']);
    const user = await h.services.users.create(h.system(), { username: 'plain', email: 'plain@example.com' }, { source: 'admin', origin: 'page' });
    expect(await sql.write('UPDATE users SET email_verified = ?, last_sign_in_at = ? WHERE id = ?', [true, at, user.id])).to.deep.equal({ affectedRows: 1 });
    const read = await h.services.users.get(user.id);
    expect(read.emailVerified).to.equal(true);
    expect(read.lastSignInAt?.toISOString()).to.equal(at.toISOString());
  });

  it('joins the context transaction and rolls back with it', async () => {
    const { sql } = h.services.models;
    const failure = await h.db.transactions
      .run(h.system(), async (tx) => {
        await sql.write("INSERT INTO sign_in_failures (account_key, ip, occurred_at) VALUES ('login:tx', NULL, ?)", [at], tx);
        const inside = await sql.select<{ n: number }>("SELECT COUNT(*) AS n FROM sign_in_failures WHERE account_key = 'login:tx'", [], tx);
        expect(Number(inside[0]!.n)).to.equal(1);
        throw new Error('undo');
      })
      .catch((err: Error) => err.message);
    expect(failure).to.equal('undo');
    const after = await sql.select<{ n: number }>("SELECT COUNT(*) AS n FROM sign_in_failures WHERE account_key = 'login:tx'", []);
    expect(Number(after[0]!.n)).to.equal(0);
  });

  it('names the unique index or column a duplicate hit, never the value', async () => {
    const { sql } = h.services.models;
    await h.services.users.create(h.system(), { username: 'taken', email: 'taken@example.com' }, { source: 'admin', origin: 'page' });
    const err = await sql
      .write("INSERT INTO users (id, username, username_normalized, email, email_normalized, kind, source, status, email_verified, version, created_at, updated_at, sort_name) VALUES ('x', 'Other', 'other', 'taken@example.com', 'taken@example.com', 'user', 'admin', 'active', 0, 1, ?, ?, '')", [at, at])
      .catch((e: unknown) => e);
    const name = uniqueViolation(err);
    expect(name).to.include('email_normalized');
    expect(name).not.to.include('taken@example.com');
    expect(uniqueViolation(new Error('something else'))).to.equal(null);
    // The users service turns the same refusal into its friendly conflict.
    const conflict = await h.services.users.create(h.system(), { username: 'other', email: 'TAKEN@example.com' }, { source: 'admin', origin: 'page' }).catch((e: Error) => e);
    expect((conflict as Error).message).to.equal('An account with this email address already exists.');
  });

  it('a write outside any transaction waits for the running write transaction (SQLite) or runs beside it', async () => {
    const { sql } = h.services.models;
    const order: string[] = [];
    const inTx = h.db.transactions.run(h.system(), async (tx) => {
      await sql.write("INSERT INTO sign_in_failures (account_key, ip, occurred_at) VALUES ('login:first', NULL, ?)", [at], tx);
      await new Promise((r) => setTimeout(r, 100));
      order.push('transaction');
    });
    await new Promise((r) => setTimeout(r, 20));
    const outside = sql.write("INSERT INTO sign_in_failures (account_key, ip, occurred_at) VALUES ('login:second', NULL, ?)", [at]).then(() => order.push('outside'));
    await Promise.all([inTx, outside]);
    expect(order).to.deep.equal(h.dialect === 'sqlite' ? ['transaction', 'outside'] : ['outside', 'transaction']);
    const rows = await sql.select<{ account_key: string }>('SELECT account_key FROM sign_in_failures ORDER BY account_key', []);
    expect(rows.map((r) => r.account_key)).to.deep.equal(['login:first', 'login:second']);
  });
});
