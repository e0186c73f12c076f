// /admin/scim-tokens: create (shown once), list with last use, revoke — and a revoked token
// is refused by /scim/v2 with a SCIM error body.
import { expect } from 'chai';
import request from 'supertest';
import { describeEachDatabase } from '../helpers/harness.js';
import { addBuiltIn, asBuiltIn, expectFieldError, fieldError, signIn } from './admin-kit.js';

/** The permission checkboxes of the creation form: value and whether pre-checked. */
function permissionBoxes(page: string): Array<[string, boolean]> {
  const form = page.slice(page.indexOf('action="/admin/scim-tokens" '));
  return [...form.matchAll(/<input type="checkbox" name="permissions" value="([^"]+)"[^>]*?( checked)?>/g)].map((m) => [m[1]!, !!m[2]]);
}

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

  it('creates a token into a chosen connection, rotates it keeping the connection, and the user page names each external id\'s connection', async () => {
    const admin = await asBuiltIn(h, 'admin');
    const secretOf = (text: string) => /<code style="word-break:break-all">([^<]+)<\/code>/.exec(text)![1]!;
    const first = secretOf((await admin.post('/admin/scim-tokens', { name: 'Entra ID', connectionName: 'Contoso Entra' })).text);
    const connectionId = (await h.services.scimTokens.list(h.system()))[0]!.connectionId;
    const page = (await admin.get('/admin/scim-tokens')).text;
    expect(page).to.include(`<option value="${connectionId}" >Contoso Entra</option>`);
    expect(page).to.include('<td>Contoso Entra</td>');
    const second = await admin.post('/admin/scim-tokens', { name: 'Entra ID staging', connectionId });
    expect(second.status).to.equal(200);
    expect((await h.services.scimTokens.list(h.system())).map((t) => t.connection)).to.deep.equal(['Contoso Entra', 'Contoso Entra']);

    const created = await request(h.app).post('/scim/v2/Users').set('Authorization', `Bearer ${first}`).set('Content-Type', 'application/scim+json')
      .send(JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'erin', emails: [{ value: 'erin@example.com' }], externalId: 'AAD-77' }));
    expect(created.status).to.equal(201);
    const userId = JSON.parse(created.text).id as string;

    const token = (await h.services.scimTokens.list(h.system())).find((t) => t.name === 'Entra ID')!;
    const rotated = await admin.post(`/admin/scim-tokens/${token.id}/rotate`);
    expect(rotated.status).to.equal(200);
    expect(rotated.text).to.include('rotated: the old secret no longer works');
    const fresh = secretOf(rotated.text);
    expect((await request(h.app).get(`/scim/v2/Users/${userId}`).set('Authorization', `Bearer ${first}`)).status).to.equal(401);
    const seen = await request(h.app).get(`/scim/v2/Users/${userId}`).set('Authorization', `Bearer ${fresh}`);
    expect(JSON.parse(seen.text).externalId).to.equal('AAD-77');

    const detail = await admin.get(`/admin/users/${userId}`);
    expect(detail.text).to.include('<code>AAD-77</code> <span class="muted">(Contoso Entra)</span>');
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

  it('offers only the permissions the creator holds, seats and billing unticked, and creates a token with the chosen set', async () => {
    const owner = await asBuiltIn(h, 'owner');
    const boxes = permissionBoxes((await owner.get('/admin/scim-tokens')).text);
    expect(boxes).to.deep.include(['seats.manage', false]);
    expect(boxes).to.deep.include(['billing.manage', false]);
    expect(boxes).to.deep.include(['users.manage', true]);
    const admin = await asBuiltIn(h, 'admin');
    const adminBoxes = permissionBoxes((await admin.get('/admin/scim-tokens')).text);
    expect(adminBoxes.map(([p]) => p)).not.to.include('seats.manage');
    expect(adminBoxes.every(([, checked]) => checked)).to.equal(true);

    const created = await admin.post('/admin/scim-tokens', { name: 'Okta', choosePermissions: '1', permissions: ['users.view', 'users.manage'] });
    expect(created.status).to.equal(200);
    const token = (await h.services.scimTokens.list(h.system())).find((t) => t.name === 'Okta')!;
    expect(token.permissions).to.deep.equal(['users.manage', 'users.view']);
    expect(created.text).to.contain('users.manage, users.view');

    const over = await admin.post('/admin/scim-tokens', { name: 'Greedy', choosePermissions: '1', permissions: ['users.view', 'seats.manage'] });
    expect(over.status).to.equal(403);
    expect(fieldError(over.text, 'permissions')).to.contain('seats.manage');
    const none = await admin.post('/admin/scim-tokens', { name: 'Empty', choosePermissions: '1' });
    expect(none.status).to.equal(400);
    expectFieldError(none.text, 'permissions', 'at least one');
    expect((await h.services.scimTokens.list(h.system())).map((t) => t.name)).to.deep.equal(['Okta']);
  });

  it('shows a stopped token with an Adopt button, and a migrated set with a review form', async () => {
    const owner = await asBuiltIn(h, 'owner');
    const leaver = await addBuiltIn(h, 'admin');
    const { token, view } = await h.services.scimTokens.create(await h.as(leaver), 'Entra ID');
    await h.services.users.deactivate(await h.as(owner.user!), leaver.id);
    const page = (await owner.get('/admin/scim-tokens')).text;
    expect(page).to.contain(`its creator ${leaver.username} is deactivated`);
    expect(page).to.contain(`action="/admin/scim-tokens/${view.id}/adopt"`);

    const heir = await signIn(h, await addBuiltIn(h, 'admin'));
    expect((await heir.post(`/admin/scim-tokens/${view.id}/adopt`)).status).to.equal(303);
    await request(h.app).get('/scim/v2/Users').set('Authorization', `Bearer ${token}`).expect(200);
    const after = (await heir.get('/admin/scim-tokens?done=adopted')).text;
    expect(after).to.contain('Token adopted');
    expect(after).not.to.contain(`/admin/scim-tokens/${view.id}/adopt`);
    // Adopting an active token is refused on the page, not with an error page.
    const again = await heir.post(`/admin/scim-tokens/${view.id}/adopt`);
    expect(again.status).to.equal(409);
    expect(again.text).to.contain('is not orphaned');

    await h.db.sequelize.query(`UPDATE scim_tokens SET needs_review = 1 WHERE id = '${view.id}'`);
    const review = (await heir.get('/admin/scim-tokens')).text;
    expect(review).to.contain('(review)');
    expect(review).to.contain(`action="/admin/scim-tokens/${view.id}/review"`);
    expect((await heir.post(`/admin/scim-tokens/${view.id}/review`, { permissions: ['users.view', 'users.manage'] })).status).to.equal(303);
    expect((await h.services.scimTokens.list(h.system()))[0]).to.deep.include({ needsReview: false, permissions: ['users.manage', 'users.view'] });
  });
});
