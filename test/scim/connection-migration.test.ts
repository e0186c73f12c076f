// migrations/015-provisioning-connections.ts moves each account's single, unique externalId
// into the per-connection table by the account's source (ldap → LDAP, csv → CSV, any other →
// one SCIM connection holding every existing token), and drops the old column and its
// unique index. Run here from the schema before it (its own down, after that of the later
// table referencing the connections), on SQLite and MariaDB.
import { expect } from 'chai';
import { migration } from '../../migrations/015-provisioning-connections.js';
import { migration as groupExternalIds } from '../../migrations/022-group-external-ids.js';
import { describeEachDatabase } from '../helpers/harness.js';
import { addUser } from '../accounts/account-fixtures.js';
import { filterQuery, json, scimClient, USER_URN } from './scim-fixtures.js';

describeEachDatabase('migration 015-provisioning-connections', (h) => {
  it('moves externalIds into connections by source, puts existing tokens in one SCIM connection, and drops the unique column', async () => {
    const live = await h.services.scimTokens.create(h.system(), 'Entra ID');
    const revoked = await h.services.scimTokens.create(h.system(), 'Old Okta');
    await h.services.scimTokens.revoke(h.system(), revoked.view.id);
    const accounts = { scim: await addUser(h, { username: 'sam' }), ldap: await addUser(h, { username: 'lee' }), csv: await addUser(h, { username: 'cat' }), admin: await addUser(h, { username: 'ada' }), none: await addUser(h, { username: 'nia' }) };

    // As an installation from before connections: one unique externalId column on the account.
    const qi = h.db.sequelize.getQueryInterface();
    await groupExternalIds.down(qi);
    await migration.down(qi);
    const set = (id: string, source: string, value: string | null) =>
      h.db.sequelize.query('UPDATE users SET source = :source, external_id = :value, external_id_normalized = :normalized WHERE id = :id', { replacements: { id, source, value, normalized: value?.toLowerCase() ?? null } });
    await set(accounts.scim.id, 'scim', 'Ext-Sam');
    await set(accounts.ldap.id, 'ldap', 'ENTRY-UUID-1');
    await set(accounts.csv.id, 'csv', 'E-7');
    await set(accounts.admin.id, 'admin', 'Ext-Ada');
    expect(Object.keys(await qi.describeTable('users'))).to.include('external_id');

    await migration.up(qi);
    await groupExternalIds.up(qi);
    expect(Object.keys(await qi.describeTable('users'))).to.not.include.members(['external_id', 'external_id_normalized']);
    const connections = await h.services.connections.list();
    expect(connections.map((c) => [c.id, c.kind, c.name])).to.deep.equal([
      ['scim-existing', 'scim', 'SCIM (tokens before connections)'],
      ['csv', 'csv', 'CSV import'],
      ['ldap', 'ldap', 'LDAP directory'],
    ]);
    const tokens = await h.services.scimTokens.list(h.system());
    expect(tokens.map((t) => [t.name, t.connectionId])).to.have.deep.members([['Entra ID', 'scim-existing'], ['Old Okta', 'scim-existing']]);
    const externalIds = async (id: string) => (await h.services.users.get(id)).externalIds.map((x) => [x.connectionId, x.value]);
    expect(await externalIds(accounts.scim.id)).to.deep.equal([['scim-existing', 'Ext-Sam']]);
    expect(await externalIds(accounts.ldap.id)).to.deep.equal([['ldap', 'ENTRY-UUID-1']]);
    expect(await externalIds(accounts.csv.id)).to.deep.equal([['csv', 'E-7']]);
    expect(await externalIds(accounts.admin.id)).to.deep.equal([['scim-existing', 'Ext-Ada']]);
    expect(await externalIds(accounts.none.id)).to.deep.equal([]);

    // The existing token keeps seeing and finding its values, and nothing is unique any more.
    const scim = scimClient(h, live.token);
    expect(json(await scim.get(`/Users/${accounts.scim.id}`).expect(200)).externalId).to.equal('Ext-Sam');
    expect(json(await scim.get(`/Users/${accounts.ldap.id}`).expect(200))).to.not.have.property('externalId');
    const again = json(await scim.post('/Users', { schemas: [USER_URN], userName: 'sam2', emails: [{ value: 'sam2@example.com' }], externalId: 'Ext-Sam' }).expect(201));
    const found = json(await scim.get(`/Users?${filterQuery('externalId eq "Ext-Sam"')}`).expect(200)).Resources.map((r: { id: string }) => r.id);
    expect(found).to.have.members([accounts.scim.id, again.id]);
  });

  it('creates no SCIM connection where there was neither a token nor a SCIM-written value', async () => {
    const qi = h.db.sequelize.getQueryInterface();
    await groupExternalIds.down(qi);
    await migration.down(qi);
    await migration.up(qi);
    await groupExternalIds.up(qi);
    expect((await h.services.connections.list()).map((c) => c.id)).to.deep.equal(['csv', 'ldap']);
  });
});
