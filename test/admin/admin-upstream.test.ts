// /admin/upstream: sign-in providers are added with validation and removed.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { asBuiltIn, expectFieldError, inputValue } from './admin-kit.js';

describeEachDatabase('admin pages: upstream sign-in providers', (h) => {
  it('adds a provider with its secret sealed, then removes it', async () => {
    const admin = await asBuiltIn(h, 'admin');
    const res = await admin.post('/admin/upstream', { label: 'Sign in with Contoso', issuer: 'https://login.contoso.example/v2.0', clientId: 'abc', clientSecret: 's3cret', scopes: 'openid email', emailClaim: 'email', createAccounts: 'on' });
    expect(res.status).to.equal(303);
    const [provider] = await h.services.upstream.list();
    expect(provider).to.include({ label: 'Sign in with Contoso', createAccounts: true, hasClientSecret: true });
    const row = await h.services.models.UpstreamProvider.findByPk(provider!.id);
    expect(row!.clientSecret).to.not.include('s3cret');
    expect((await admin.get('/admin/upstream')).text).to.include('Sign in with Contoso');
    expect((await admin.post(`/admin/upstream/${provider!.id}/remove`)).status).to.equal(303);
    expect(await h.services.upstream.list()).to.have.length(0);
  });

  it('explains each bad field and keeps the values', async () => {
    const admin = await asBuiltIn(h, 'admin');
    const res = await admin.post('/admin/upstream', { label: 'Contoso', issuer: 'http://login.contoso.example', clientId: '', scopes: 'email' });
    expect(res.status).to.equal(400);
    expectFieldError(res.text, 'issuer', 'https');
    expectFieldError(res.text, 'clientId', 'required');
    expectFieldError(res.text, 'scopes', 'openid');
    expect(inputValue(res.text, 'label')).to.equal('Contoso');
  });

  it('is refused to roles without settings.manage', async () => {
    const member = await asBuiltIn(h, 'member');
    expect((await member.get('/admin/upstream')).status).to.equal(403);
  });
});
