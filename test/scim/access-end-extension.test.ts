// Gatehouse's User extension carries the access end date: listed in /Schemas and
// /ResourceTypes, written on create, PUT and PATCH, filterable, cleared by a PATCH remove;
// and a directory's active=true on an account ended by its date answers 409 unless the same
// request moves or clears the date.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { scheduler } from '../accounts/access-end-fixtures.js';
import { createToken, ENTERPRISE_URN, json, patchOp, scimClient, USER_URN } from './scim-fixtures.js';

const GATEHOUSE_URN = 'urn:gatehouse:params:scim:schemas:extension:2.0:User';

describeEachDatabase('SCIM: access end date extension', (h) => {
  const inDays = (days: number) => new Date(h.clock.now().getTime() + days * 86_400_000).toISOString();

  it('is listed in /Schemas and as a User schema extension', async () => {
    const scim = scimClient(h, await createToken(h));
    const schemas = json(await scim.get('/Schemas').expect(200));
    const ours = (schemas.Resources as Array<{ id: string; attributes: Array<{ name: string; type: string; mutability: string }> }>).find((s) => s.id === GATEHOUSE_URN);
    expect(ours!.attributes.map((a) => [a.name, a.type, a.mutability])).to.deep.equal([['accessEndsAt', 'dateTime', 'readWrite']]);
    const types = json(await scim.get('/ResourceTypes/User').expect(200));
    expect(types.schemaExtensions).to.deep.include({ schema: GATEHOUSE_URN, required: false });
  });

  it('round-trips on create, PUT without the extension leaves it, PATCH moves and removes it, filters find it', async () => {
    const scim = scimClient(h, await createToken(h));
    const ends = inDays(30);
    const created = json(await scim.post('/Users', { schemas: [USER_URN, GATEHOUSE_URN], userName: 'auditor@example.com', [GATEHOUSE_URN]: { accessEndsAt: ends } }).expect(201));
    expect(created.schemas).to.include(GATEHOUSE_URN);
    expect(created[GATEHOUSE_URN]).to.deep.equal({ accessEndsAt: ends });
    const id = created.id as string;
    expect((await h.services.users.get(id)).accessEndsAt?.toISOString()).to.equal(ends);

    // A directory that does not know the extension does not clear the date.
    const put = json(await scim.put(`/Users/${id}`, { schemas: [USER_URN, ENTERPRISE_URN], userName: 'auditor@example.com', [ENTERPRISE_URN]: { department: 'Audit' } }).expect(200));
    expect(put[GATEHOUSE_URN]).to.deep.equal({ accessEndsAt: ends });

    const moved = inDays(40);
    const patched = json(await scim.patch(`/Users/${id}`, patchOp({ op: 'replace', path: `${GATEHOUSE_URN}:accessEndsAt`, value: moved })).expect(200));
    expect(patched[GATEHOUSE_URN]).to.deep.equal({ accessEndsAt: moved });

    const found = json(await scim.get(`/Users?filter=${encodeURIComponent(`${GATEHOUSE_URN}:accessEndsAt lt "${inDays(41)}"`)}`).expect(200));
    expect(found.totalResults).to.equal(1);
    const none = json(await scim.get(`/Users?filter=${encodeURIComponent(`${GATEHOUSE_URN}:accessEndsAt lt "${inDays(39)}"`)}`).expect(200));
    expect(none.totalResults).to.equal(0);

    const removed = json(await scim.patch(`/Users/${id}`, patchOp({ op: 'remove', path: `${GATEHOUSE_URN}:accessEndsAt` })).expect(200));
    expect(removed[GATEHOUSE_URN]).to.equal(undefined);
    expect(removed.schemas).to.not.include(GATEHOUSE_URN);
    expect((await h.services.users.get(id)).accessEndsAt).to.equal(null);
  });

  it('refuses a date in the past with invalidValue, and a value that is no dateTime', async () => {
    const scim = scimClient(h, await createToken(h));
    const past = json(await scim.post('/Users', { schemas: [USER_URN, GATEHOUSE_URN], userName: 'late@example.com', [GATEHOUSE_URN]: { accessEndsAt: inDays(-1) } }).expect(400));
    expect(past.scimType).to.equal('invalidValue');
    await scim.post('/Users', { schemas: [USER_URN, GATEHOUSE_URN], userName: 'bad@example.com', [GATEHOUSE_URN]: { accessEndsAt: 'next week' } }).expect(400);
    expect(await h.services.users.findByLogin('late@example.com')).to.equal(null);
  });

  it('answers 409 to active=true on an account ended by its date unless the request moves or clears the date', async () => {
    const scim = scimClient(h, await createToken(h));
    const created = json(await scim.post('/Users', { schemas: [USER_URN, GATEHOUSE_URN], userName: 'temp@example.com', [GATEHOUSE_URN]: { accessEndsAt: inDays(1) } }).expect(201));
    const id = created.id as string;
    h.clock.advance(86_400_000);
    await scheduler(h).tick();
    expect((await h.services.users.get(id)).status).to.equal('inactive');

    const refused = json(await scim.patch(`/Users/${id}`, patchOp({ op: 'Replace', path: 'active', value: 'True' })).expect(409));
    expect(refused.detail).to.match(/end date/);
    const put = json(await scim.put(`/Users/${id}`, { schemas: [USER_URN], userName: 'temp@example.com', active: true }).expect(409));
    expect(put.detail).to.match(/end date/);
    expect((await h.services.users.get(id)).status).to.equal('inactive');

    const back = json(await scim.patch(`/Users/${id}`, patchOp({ op: 'Replace', path: 'active', value: true }, { op: 'replace', path: `${GATEHOUSE_URN}:accessEndsAt`, value: inDays(10) })).expect(200));
    expect(back.active).to.equal(true);
    expect(back[GATEHOUSE_URN]).to.deep.equal({ accessEndsAt: inDays(10) });
  });
});
