// Username and email are unique case-insensitively (a normalised column
// with a unique index). A clash is a Conflict naming the field, on create and on update;
// under a race the unique index decides and exactly one create wins. externalId is not
// unique (RFC 7643 §3.1): accounts of one provisioning connection may share a value.
import { expect } from 'chai';
import { Conflict } from '../../src/errors.js';
import { describeEachDatabase } from '../helpers/harness.js';
import { addUser, rejection, userCount } from './account-fixtures.js';

describeEachDatabase('accounts: uniqueness', (h) => {
  /** A context acting for a SCIM token's provisioning connection, which may write externalIds. */
  const asConnection = async () => ({ ...h.system(), connectionId: (await h.services.scimTokens.create(h.system(), 'Directory')).view.connectionId });
  describe('on create', () => {
    it('usernames differ only in case → Conflict(username)', async () => {
      await addUser(h, { username: 'Jane.Doe' });
      const err = await rejection(addUser(h, { username: 'jane.DOE' }), Conflict);
      expect(err.field).to.equal('username');
      expect(err.message).to.equal('This username is already taken.');
    });

    it('emails differ only in case → Conflict(email)', async () => {
      await addUser(h, { email: 'Jane@Example.com', username: 'jane1' });
      const err = await rejection(addUser(h, { email: 'jane@EXAMPLE.COM', username: 'jane2' }), Conflict);
      expect(err.field).to.equal('email');
      expect(err.message).to.equal('An account with this email address already exists.');
    });

    it('externalIds are not unique, even within one connection', async () => {
      const ctx = await asConnection();
      const a = await addUser(h, { externalId: 'ABC-123' }, { origin: 'directory', source: 'scim' }, ctx);
      const b = await addUser(h, { externalId: 'ABC-123' }, { origin: 'directory', source: 'scim' }, ctx);
      expect([a.externalIds[0]!.value, b.externalIds[0]!.value]).to.deep.equal(['ABC-123', 'ABC-123']);
    });

    it('a directory UPN clashes with a page username of another case', async () => {
      await addUser(h, { username: 'Jane.Doe@Contoso.com' }, { origin: 'directory', source: 'scim' });
      const err = await rejection(addUser(h, { username: 'jane.doe@contoso.com' }, { origin: 'directory', source: 'scim' }), Conflict);
      expect(err.field).to.equal('username');
    });

    it('an inactive account still holds its username and email', async () => {
      await addUser(h, { username: 'sleeper', email: 'sleeper@example.com' }, { status: 'inactive' });
      expect((await rejection(addUser(h, { username: 'SLEEPER' }), Conflict)).field).to.equal('username');
      expect((await rejection(addUser(h, { email: 'Sleeper@example.com' }), Conflict)).field).to.equal('email');
    });

    it('many accounts may have no externalId', async () => {
      await addUser(h);
      await addUser(h);
      expect(await userCount(h)).to.equal(2);
    });
  });

  describe('on update', () => {
    it('refuses taking another account\'s username or email in any case; its externalId may be shared', async () => {
      const ctx = await asConnection();
      await addUser(h, { username: 'taken', email: 'taken@example.com', externalId: 'EXT-1' }, {}, ctx);
      const u = await addUser(h, { username: 'mine' });
      const update = (input: Record<string, string>) => h.services.users.update(ctx, u.id, input, { origin: 'directory' });
      expect((await rejection(update({ username: 'TAKEN' }), Conflict)).field).to.equal('username');
      expect((await rejection(update({ email: 'TAKEN@example.com' }), Conflict)).field).to.equal('email');
      const after = await h.services.users.get(u.id);
      expect(after.username).to.equal('mine');
      expect(after.version).to.equal(u.version);
      expect((await update({ externalId: 'EXT-1' })).externalIds.map((x) => x.value)).to.deep.equal(['EXT-1']);
    });

    it('allows changing the case of one\'s own username and email', async () => {
      const u = await addUser(h, { username: 'casey', email: 'casey@example.com' });
      const after = await h.services.users.update(h.system(), u.id, { username: 'Casey', email: 'Casey@Example.com' }, { origin: 'page' });
      expect(after.username).to.equal('Casey');
      expect(after.email).to.equal('Casey@Example.com');
    });
  });

  describe('under a race', () => {
    for (const field of ['username', 'email'] as const) {
      it(`parallel creates with one ${field} in different cases: exactly one succeeds, the others Conflict(${field})`, async () => {
        const attempts = Array.from({ length: 8 }, (_, i) => {
          const shared = i % 2 ? 'Same.Person' : 'same.person';
          const input = field === 'username' ? { username: shared } : { email: `${shared}@example.com`, username: `racer${i}` };
          return addUser(h, input, { origin: 'directory', source: 'scim' });
        });
        const outcomes = await Promise.allSettled(attempts);
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(won).to.have.length(1);
        for (const o of lost) {
          expect(o.reason, String(o.reason)).to.be.instanceOf(Conflict);
          expect((o.reason as Conflict).field).to.equal(field);
        }
        expect(await userCount(h)).to.equal(1);
      });
    }

    it('names the username when a racing username merely contains "email" or "external"', async () => {
      const attempts = Array.from({ length: 6 }, (_, i) => addUser(h, { username: i % 2 ? 'External.Email' : 'external.email' }, { origin: 'directory', source: 'scim' }));
      const lost = (await Promise.allSettled(attempts)).filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(lost).to.have.length(5);
      for (const o of lost) expect((o.reason as Conflict).field, String(o.reason)).to.equal('username');
    });
  });
});
