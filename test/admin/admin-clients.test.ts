// The Applications (OIDC clients) pages over HTTP: add with the secret shown once and
// stored only as its hash, edit
// redirect URIs and the first-party flag, remove after a confirmation, every refusal
// beside its field with the values kept.
import { expect } from 'chai';
import { hashToken } from '../../src/ids.js';
import { describeEachDatabase } from '../helpers/harness.js';
import { auditEvents } from '../accounts/account-fixtures.js';
import { asBuiltIn, expectFieldError, inputValue, selectedValue, textareaValue } from './admin-kit.js';

const WEB = {
  name: 'Asset tracker',
  type: 'web',
  redirectUris: 'https://assets.example.com/callback\nhttp://localhost:3000/callback',
  postLogoutRedirectUris: 'https://assets.example.com/',
  firstParty: 'on',
  backchannelLogoutUri: 'https://assets.example.com/backchannel',
  idTokenSigningAlg: 'RS256',
};

describeEachDatabase('admin pages: applications', (h) => {
  it('adds a web application and shows its secret once, keeping only the hash', async () => {
    const admin = await asBuiltIn(h, 'admin');
    expect((await admin.get('/admin/clients')).text).to.include('No applications are registered yet.');
    expect((await admin.get('/admin/clients/new')).status).to.equal(200);

    const res = await admin.post('/admin/clients', WEB);
    expect(res.status).to.equal(200);
    expect(res.headers['cache-control']).to.equal('no-store');
    const secret = /<code id="client-secret">([^<]+)<\/code>/.exec(res.text)![1]!;
    expect(secret).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(res.text).to.include('it is shown only this once');
    const [client] = await h.services.clients.list();
    expect(client!).to.deep.include({
      name: 'Asset tracker',
      type: 'web',
      redirectUris: ['https://assets.example.com/callback', 'http://localhost:3000/callback'],
      postLogoutRedirectUris: ['https://assets.example.com/'],
      firstParty: true,
      backchannelLogoutUri: 'https://assets.example.com/backchannel',
      idTokenSigningAlg: 'RS256',
    });
    const row = await h.services.models.Client.findByPk(client!.clientId);
    expect(row!.secretHash).to.equal(hashToken(secret));
    expect(res.text).to.include(client!.clientId);

    // Never again: neither the list nor the application's page shows it.
    const list = await admin.get('/admin/clients');
    expect(list.text).to.include('Asset tracker').and.to.include(client!.clientId).and.not.include(secret);
    expect((await admin.get(`/admin/clients/${client!.clientId}`)).text).to.not.include(secret);
    const [event] = await auditEvents(h, { action: 'client.created' });
    expect(event!).to.deep.include({ actorId: admin.user!.id, source: 'admin' });
    expect(JSON.stringify(event)).to.not.include(secret);
  });

  it('adds a public application without a secret, and a machine client without redirect URIs', async () => {
    const admin = await asBuiltIn(h, 'admin');
    let res = await admin.post('/admin/clients', { ...WEB, name: 'Mobile', type: 'public', firstParty: '' });
    expect(res.status).to.equal(200);
    expect(res.text).to.not.include('client-secret');
    expect(res.text).to.include('This application has no secret: it signs in with PKCE.');
    res = await admin.post('/admin/clients', { name: 'Nightly sync', type: 'machine', redirectUris: '', idTokenSigningAlg: 'ES256' });
    expect(res.status).to.equal(200);
    expect(res.text).to.include('client-secret');
    const byName = new Map((await h.services.clients.list()).map((c) => [c.name, c]));
    expect(byName.get('Mobile')!.firstParty).to.equal(false);
    expect(byName.get('Nightly sync')!.redirectUris).to.deep.equal([]);
  });

  it('refuses a missing name and unsafe URIs beside each field, keeping the values', async () => {
    const admin = await asBuiltIn(h, 'admin');
    const res = await admin.post('/admin/clients', {
      name: '',
      type: 'web',
      redirectUris: 'http://assets.example.com/callback',
      postLogoutRedirectUris: 'https://ok.example.com/#done',
      firstParty: 'on',
      backchannelLogoutUri: 'not a url',
      idTokenSigningAlg: 'HS256',
    });
    expect(res.status).to.equal(400);
    expectFieldError(res.text, 'name', 'Name is required.');
    expectFieldError(res.text, 'redirectUris', 'must use https (plain http is only allowed for localhost)');
    expectFieldError(res.text, 'postLogoutRedirectUris', 'must not contain a fragment');
    expectFieldError(res.text, 'backchannelLogoutUri', 'is not an absolute URL');
    expectFieldError(res.text, 'idTokenSigningAlg', 'Signing algorithm must be one of ES256, RS256, EdDSA.');
    expect(textareaValue(res.text, 'redirectUris')).to.equal('http://assets.example.com/callback');
    expect(inputValue(res.text, 'backchannelLogoutUri')).to.equal('not a url');
    expect(res.text).to.match(/<input type="checkbox" id="f-firstParty" name="firstParty" value="on" checked>/);

    const noUris = await admin.post('/admin/clients', { name: 'Web', type: 'web', redirectUris: ' ' });
    expect(noUris.status).to.equal(400);
    expectFieldError(noUris.text, 'redirectUris', 'Add at least one redirect URI.');
    const badType = await admin.post('/admin/clients', { name: 'Web', type: 'desktop' });
    expectFieldError(badType.text, 'type', 'Type must be one of web, public, machine.');
    expect(await h.services.clients.list()).to.have.length(0);
  });

  it('edits redirect URIs and the first-party flag, refusing bad URIs with the values kept', async () => {
    const admin = await asBuiltIn(h, 'admin');
    const { client } = await h.services.clients.add(h.system(), { name: 'Wiki', type: 'web', redirectUris: ['https://wiki.example.com/cb'], firstParty: true });
    const page = await admin.get(`/admin/clients/${client.clientId}`);
    expect(textareaValue(page.text, 'redirectUris')).to.equal('https://wiki.example.com/cb');

    let res = await admin.post(`/admin/clients/${client.clientId}`, { name: 'Wiki', redirectUris: 'https://wiki.example.com/cb\nhttps://wiki2.example.com/cb', postLogoutRedirectUris: '' });
    expect(res.status).to.equal(303);
    const saved = await h.services.clients.get(client.clientId);
    expect(saved.redirectUris).to.deep.equal(['https://wiki.example.com/cb', 'https://wiki2.example.com/cb']);
    expect(saved.firstParty, 'unchecked box turns the flag off').to.equal(false);
    expect((await admin.get(res.headers.location!)).text).to.include('Changes saved.');
    expect((await auditEvents(h, { action: 'client.updated' }))[0]!.details).to.deep.include({ firstParty: false });

    res = await admin.post(`/admin/clients/${client.clientId}`, { name: 'Wiki', redirectUris: 'ftp://wiki.example.com/cb', firstParty: 'on' });
    expect(res.status).to.equal(400);
    expectFieldError(res.text, 'redirectUris', 'must use https');
    expect(textareaValue(res.text, 'redirectUris')).to.equal('ftp://wiki.example.com/cb');
    expect(res.text).to.match(/id="f-firstParty" name="firstParty" value="on" checked/);
    expect((await h.services.clients.get(client.clientId)).redirectUris).to.have.length(2);
  });

  it('removes an application after a confirmation page', async () => {
    const admin = await asBuiltIn(h, 'admin');
    const { client } = await h.services.clients.add(h.system(), { name: 'Old portal', type: 'public', redirectUris: ['https://old.example.com/cb'] });
    const confirm = await admin.get(`/admin/clients/${client.clientId}/remove`);
    expect(confirm.status).to.equal(200);
    expect(confirm.text).to.include('Remove Old portal?').and.include(`action="/admin/clients/${client.clientId}/remove"`);
    expect(await h.services.clients.list()).to.have.length(1);

    const res = await admin.post(`/admin/clients/${client.clientId}/remove`);
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/admin/clients?done=removed');
    expect(await h.services.clients.list()).to.have.length(0);
    expect((await admin.get(`/admin/clients/${client.clientId}`)).status).to.equal(404);
    expect((await auditEvents(h, { action: 'client.removed' }))[0]!.target).to.deep.include({ id: client.clientId, label: 'Old portal' });
  });

  it('keeps the chosen type and algorithm on a refused form', async () => {
    const admin = await asBuiltIn(h, 'admin');
    const res = await admin.post('/admin/clients', { ...WEB, name: '', type: 'public', idTokenSigningAlg: 'EdDSA' });
    expect(res.status).to.equal(400);
    expect(selectedValue(res.text, 'type')).to.equal('public');
    expect(selectedValue(res.text, 'idTokenSigningAlg')).to.equal('EdDSA');
  });
});
