// /admin/scim-tokens: create (shown once), list with last use, revoke — and a revoked token
// is refused by /scim/v2 with a SCIM error body.
import { expect } from 'chai';
import request from 'supertest';
import { describeEachDatabase } from '../helpers/harness.js';
import { asBuiltIn, expectFieldError } from './admin-kit.js';

describeEachDatabase('admin pages: SCIM tokens', (h) => {
  it('creates a token shown once, lists its last use and revokes it', async () => {
    const admin = await asBuiltIn(h, 'admin');
    const created = await admin.post('/admin/scim-tokens', { name: 'Entra ID production' });
    expect(created.status).to.equal(200);
    const token = /<code style="word-break:break-all">([^<]+)<\/code>/.exec(created.text)![1]!;
    expect(token.length).to.be.at.least(40);

    const scim = await request(h.app).get('/scim/v2/Users?count=1').set('Authorization', `Bearer ${token}`);
    expect(scim.status).to.equal(200);

    const list = await admin.get('/admin/scim-tokens');
    expect(list.text).to.include('Entra ID production');
    expect(list.text).to.not.include(token);
    expect(list.text).to.not.match(/<td>never<\/td><td>active/);

    const id = (await h.services.scimTokens.list(h.system()))[0]!.id;
    const revoked = await admin.post(`/admin/scim-tokens/${id}/revoke`);
    expect(revoked.status).to.equal(303);
    const refused = await request(h.app).get('/scim/v2/Users').set('Authorization', `Bearer ${token}`);
    expect(refused.status).to.equal(401);
    expect(refused.body.schemas).to.deep.equal(['urn:ietf:params:scim:api:messages:2.0:Error']);
    expect((await admin.get('/admin/scim-tokens')).text).to.include('revoked');
  });

  it('asks for a name and keeps the page usable', async () => {
    const admin = await asBuiltIn(h, 'admin');
    const res = await admin.post('/admin/scim-tokens', { name: '' });
    expect(res.status).to.equal(400);
    expectFieldError(res.text, 'name', '');
  });

  it('is refused to roles without scim.manage', async () => {
    const member = await asBuiltIn(h, 'member');
    expect((await member.get('/admin/scim-tokens')).status).to.equal(403);
    expect((await member.post('/admin/scim-tokens', { name: 'x' })).status).to.equal(403);
  });
});
