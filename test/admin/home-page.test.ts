// The start page ("/"), where error pages, the signed-out page and the owner's welcome mail
// lead: the organization's name, sign-in for visitors, and for a signed-in person their
// account page and exactly the admin pages they may open.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { addOwner } from '../accounts/account-fixtures.js';
import { asBuiltIn, asCustom, signedOut } from './admin-kit.js';

const links = (body: string) => [...body.matchAll(/<a (?:class="[^"]*" )?href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));

describeEachDatabase('the start page', (h) => {
  it('names the organization and offers sign-in to a visitor', async () => {
    await addOwner(h);
    await h.services.settings.update(h.system(), { organizationName: 'Fluxera Labs' });
    const res = await signedOut(h).get('/');
    expect(res.status).to.equal(200);
    expect(res.text).to.include('<h1>Fluxera Labs</h1>');
    expect(links(res.text)).to.include.members(['/auth/login?returnTo=%2F', '/password/forgot']);
    expect(links(res.text)).to.not.include('/register');
    await h.services.settings.update(h.system(), { registrationMode: 'open' });
    expect(links((await signedOut(h).get('/')).text)).to.include('/register');
  });

  it('links a signed-in person to their account and to the admin pages they may open, no others', async () => {
    await addOwner(h);
    const admin = await asBuiltIn(h, 'admin');
    let body = (await admin.get('/')).text;
    expect(body).to.include('Signed in as');
    expect(links(body)).to.include.members(['/account', '/admin', '/admin/users', '/admin/invitations', '/admin/roles', '/admin/settings', '/admin/audit']);
    expect(links(body)).to.not.include('/auth/login?returnTo=%2F');

    const viewer = await asBuiltIn(h, 'viewer');
    body = (await viewer.get('/')).text;
    expect(links(body)).to.include.members(['/account', '/admin', '/admin/users', '/admin/seats']);
    expect(links(body)).to.not.include.members(['/admin/settings']);
    expect(links(body)).to.not.include('/admin/audit');

    const assetsOnly = await asCustom(h, ['assets.view'], 'Asset readers');
    body = (await assetsOnly.get('/')).text;
    expect(links(body)).to.include('/account');
    expect(body).to.not.include('Administration');
  });
});
