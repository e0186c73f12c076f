// externalId per provisioning connection (RFC 7643 §3.1: the provisioning client's
// identifier, scoped to its provisioning domain, not unique): two SCIM clients sending the
// same externalId get two accounts, and each sees, filters, sorts and writes only its own
// connection's value. A token rotated, or created again under its connection, keeps seeing
// the connection's values.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { InvalidTransition, ValidationError } from '../../src/errors.js';
import { rejection } from '../accounts/account-fixtures.js';
import { auditOf, filterQuery, json, patchOp, scimClient, USER_URN } from './scim-fixtures.js';

describeEachDatabase('SCIM: externalId per provisioning connection', (h) => {
  const user = (userName: string, externalId?: string) => ({ schemas: [USER_URN], userName, emails: [{ value: `${userName}@example.com`, primary: true }], ...(externalId ? { externalId } : {}) });
  const token = async (name: string, connection?: { connectionId: string } | { connectionName?: string }) => h.services.scimTokens.create(h.system(), name, undefined, connection);
  const idsOf = (res: { text: string }) => (json(res).Resources as Array<{ id: string }>).map((r) => r.id).sort();

  it('two connections with the same externalId: two accounts, each client seeing, filtering and sorting only its own', async () => {
    const entra = await token('Entra ID');
    const okta = await token('Okta');
    expect(entra.view.connectionId).to.not.equal(okta.view.connectionId);
    const a = scimClient(h, entra.token);
    const b = scimClient(h, okta.token);
    const fromA = json(await a.post('/Users', user('ann', 'X-1')).expect(201));
    const fromB = json(await b.post('/Users', user('bob', 'X-1')).expect(201));
    expect(fromA.id).to.not.equal(fromB.id);
    expect([fromA.externalId, fromB.externalId]).to.deep.equal(['X-1', 'X-1']);

    // Each client's filter finds only the account its own connection tagged.
    expect(idsOf(await a.get(`/Users?${filterQuery('externalId eq "X-1"')}`).expect(200))).to.deep.equal([fromA.id]);
    expect(idsOf(await b.get(`/Users?${filterQuery('externalId eq "X-1"')}`).expect(200))).to.deep.equal([fromB.id]);
    expect(idsOf(await a.get(`/Users?${filterQuery('externalId pr')}`).expect(200))).to.deep.equal([fromA.id]);
    expect(idsOf(await b.get(`/Users?${filterQuery('not (externalId pr)')}`).expect(200))).to.deep.equal([fromA.id]);
    // The other connection's value is not there for it.
    expect(json(await a.get(`/Users/${fromB.id}`).expect(200))).to.not.have.property('externalId');

    // Okta tags Ann too, with its own value: Entra's stays as it was, each sees its own.
    await b.patch(`/Users/${fromA.id}`, patchOp({ op: 'add', path: 'externalId', value: 'okta-ann' })).expect(200);
    expect(json(await a.get(`/Users/${fromA.id}`).expect(200)).externalId).to.equal('X-1');
    expect(json(await b.get(`/Users/${fromA.id}`).expect(200)).externalId).to.equal('okta-ann');
    expect(idsOf(await b.get(`/Users?${filterQuery('externalId eq "X-1"')}`).expect(200))).to.deep.equal([fromB.id]);
    expect(idsOf(await b.get(`/Users?${filterQuery('externalId sw "okta"')}`).expect(200))).to.deep.equal([fromA.id]);

    // Sorting by externalId orders by the client's own values; accounts without one last.
    await a.post('/Users', user('cy', 'A-0')).expect(201);
    const sorted = json(await a.get('/Users?sortBy=externalId').expect(200)).Resources.map((r: { userName: string; externalId?: string }) => `${r.userName}:${r.externalId ?? ''}`);
    expect(sorted).to.deep.equal(['cy:A-0', 'ann:X-1', 'bob:']);

    // A PUT without externalId clears only the writer's own value.
    await a.put(`/Users/${fromA.id}`, user('ann')).expect(200);
    expect(json(await a.get(`/Users/${fromA.id}`).expect(200))).to.not.have.property('externalId');
    expect(json(await b.get(`/Users/${fromA.id}`).expect(200)).externalId).to.equal('okta-ann');
    const ann = await h.services.users.get(fromA.id);
    expect(ann.externalIds.map((x) => [x.connection, x.value])).to.deep.equal([['Okta', 'okta-ann']]);

    // Audited with the connection's name.
    const changes = (await auditOf(h, 'user.updated')).map((e) => e.details.externalId).filter(Boolean);
    expect(changes).to.deep.include({ connection: 'Entra ID', from: 'X-1', to: null });
    expect(changes).to.deep.include({ connection: 'Okta', from: null, to: 'okta-ann' });
  });

  it('a rotated token keeps its connection; a token created into the connection sees its values', async () => {
    const first = await token('Entra ID');
    const created = json(await scimClient(h, first.token).post('/Users', user('dee', 'E-9')).expect(201));

    const rotated = await h.services.scimTokens.rotate(h.system(), first.view.id);
    expect(rotated.view).to.include({ name: 'Entra ID', connectionId: first.view.connectionId, connection: 'Entra ID', status: 'active' });
    expect(rotated.view.permissions).to.deep.equal(first.view.permissions);
    await scimClient(h, first.token).get('/Users').expect(401);
    const after = scimClient(h, rotated.token);
    expect(json(await after.get(`/Users/${created.id}`).expect(200)).externalId).to.equal('E-9');
    expect(idsOf(await after.get(`/Users?${filterQuery('externalId eq "E-9"')}`).expect(200))).to.deep.equal([created.id]);
    expect((await auditOf(h, 'scim_token.rotated'))[0]!.details).to.include({ replaces: first.view.id, connection: 'Entra ID' });

    // A second token chosen into the same connection, and one named after it, join it.
    const second = await token('Entra ID staging', { connectionId: first.view.connectionId });
    expect(second.view.connection).to.equal('Entra ID');
    expect(json(await scimClient(h, second.token).get(`/Users/${created.id}`).expect(200)).externalId).to.equal('E-9');
    const third = await token('Entra ID (backup)', { connectionName: 'entra id' });
    expect(third.view.connectionId).to.equal(first.view.connectionId);

    // The LDAP and CSV connections are not for tokens; a revoked token cannot be rotated.
    await h.services.connections.ensureBuiltin('ldap');
    await rejection(token('Sync', { connectionName: 'LDAP directory' }), ValidationError);
    await rejection(token('Sync', { connectionId: 'ldap' }), ValidationError);
    await h.services.scimTokens.revoke(h.system(), second.view.id);
    await rejection(h.services.scimTokens.rotate(h.system(), second.view.id), InvalidTransition);
  });

  it('only a provisioning connection writes an externalId', async () => {
    await rejection(h.services.users.create(h.system(), { username: 'eve', email: 'eve@example.com', externalId: 'E-1' }, { source: 'admin', origin: 'page' }), ValidationError);
    const eve = await h.services.users.create(h.system(), { username: 'eve', email: 'eve@example.com' }, { source: 'admin', origin: 'page' });
    await rejection(h.services.users.update(h.system(), eve.id, { externalId: 'E-1' }, { origin: 'page' }), ValidationError);
    expect((await h.services.users.get(eve.id)).externalIds).to.deep.equal([]);
  });
});
