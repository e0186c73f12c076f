// A Group's externalId (Entra sends one when it creates a group), kept per provisioning
// connection like a User's: returned to the connection that set it, filtered within it,
// set by POST, cleared by a PUT that leaves it out, and added, replaced and removed by PATCH.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { filterQuery, GROUP_URN, json, patchOp, scimClient, type ScimClient } from './scim-fixtures.js';

describeEachDatabase('SCIM: group externalId per provisioning connection', (h) => {
  let entra: ScimClient;
  let okta: ScimClient;
  beforeEach(async () => {
    entra = scimClient(h, (await h.services.scimTokens.create(h.system(), 'Entra ID')).token);
    okta = scimClient(h, (await h.services.scimTokens.create(h.system(), 'Okta')).token);
  });
  const group = (displayName: string, externalId?: string) => ({ schemas: [GROUP_URN], displayName, ...(externalId ? { externalId } : {}) });
  const found = async (client: ScimClient, filter: string) => (json(await client.get(`/Groups?${filterQuery(filter)}`).expect(200)).Resources as Array<{ displayName: string }>).map((g) => g.displayName).sort();

  it('keeps the externalId a POST sends and returns it on GET and in lists, to its connection only', async () => {
    const created = json(await entra.post('/Groups', group('Sales', 'e0c1f4d2-sales')).expect(201));
    expect(created.externalId).to.equal('e0c1f4d2-sales');
    expect(json(await entra.get(`/Groups/${created.id}`).expect(200)).externalId).to.equal('e0c1f4d2-sales');
    expect(json(await entra.get('/Groups?attributes=externalId').expect(200)).Resources.find((g: { id: string }) => g.id === created.id).externalId).to.equal('e0c1f4d2-sales');
    expect(json(await okta.get(`/Groups/${created.id}`).expect(200))).to.not.have.property('externalId');
  });

  it('filters on externalId within the calling connection, case-exact', async () => {
    await entra.post('/Groups', group('Sales', 'G-1')).expect(201);
    await entra.post('/Groups', group('Ops', 'G-2')).expect(201);
    await okta.post('/Groups', group('Finance', 'G-1')).expect(201);
    await entra.post('/Groups', group('Legal')).expect(201);
    expect(await found(entra, 'externalId eq "G-1"')).to.deep.equal(['Sales']);
    expect(await found(okta, 'externalId eq "G-1"')).to.deep.equal(['Finance']);
    expect(await found(entra, 'externalId eq "g-1"')).to.deep.equal([]);
    expect(await found(entra, 'externalId pr')).to.deep.equal(['Ops', 'Sales']);
    expect(await found(entra, 'externalId sw "G-"')).to.deep.equal(['Ops', 'Sales']);
    // Built-in roles carry none either.
    const withoutForOkta = await found(okta, 'not (externalId pr)');
    expect(withoutForOkta).to.include.members(['Legal', 'Ops', 'Sales']).and.not.include('Finance');
  });

  it('PUT replaces or clears it; PATCH adds, replaces and removes it; each connection keeps its own', async () => {
    const id = json(await entra.post('/Groups', group('Sales', 'E-1')).expect(201)).id as string;
    await okta.patch(`/Groups/${id}`, patchOp({ op: 'add', path: 'externalId', value: 'O-1' })).expect(200);
    expect(json(await okta.get(`/Groups/${id}`).expect(200)).externalId).to.equal('O-1');
    expect(json(await entra.get(`/Groups/${id}`).expect(200)).externalId).to.equal('E-1');

    expect(json(await entra.put(`/Groups/${id}`, group('Sales', 'E-2')).expect(200)).externalId).to.equal('E-2');
    await entra.patch(`/Groups/${id}`, patchOp({ op: 'replace', value: { externalId: 'E-3' } })).expect(200);
    expect(json(await entra.get(`/Groups/${id}`).expect(200)).externalId).to.equal('E-3');
    await entra.patch(`/Groups/${id}`, patchOp({ op: 'remove', path: 'externalId' })).expect(200);
    expect(json(await entra.get(`/Groups/${id}`).expect(200))).to.not.have.property('externalId');
    await entra.put(`/Groups/${id}`, group('Sales', 'E-4')).expect(200);
    await entra.put(`/Groups/${id}`, group('Sales')).expect(200);
    expect(json(await entra.get(`/Groups/${id}`).expect(200))).to.not.have.property('externalId');
    expect(json(await okta.get(`/Groups/${id}`).expect(200)).externalId).to.equal('O-1');

    const refused = await entra.patch(`/Groups/${id}`, patchOp({ op: 'replace', path: 'externalId', value: 7 }));
    expect(refused.status).to.equal(400);
    expect(json(await entra.get(`/Groups/${id}`).expect(200))).to.not.have.property('externalId');
  });

  it('a deleted group takes its values with it', async () => {
    const id = json(await entra.post('/Groups', group('Temp', 'T-1')).expect(201)).id as string;
    await entra.delete(`/Groups/${id}`).expect(204);
    expect(await found(entra, 'externalId eq "T-1"')).to.deep.equal([]);
    const [row] = await h.services.models.sql.select<{ n: number | string }>('SELECT COUNT(*) AS n FROM group_external_ids WHERE role_id = ?', [id]);
    expect(Number(row!.n)).to.equal(0);
  });
});
