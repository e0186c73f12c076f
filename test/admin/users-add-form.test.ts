// The Add user form's shape: birthday as a date input, one Roles heading, the Password and
// Invitation sections tied to the chosen method (hidden by CSS, so without a script; both
// stay in the page as the fallback), a Cancel link; and the pages' one script, served from
// Gatehouse's own origin as the CSP's script-src 'self' requires.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { asBuiltIn, signedOut } from './admin-kit.js';

describeEachDatabase('admin pages: the Add user form', (h) => {
  it('asks for the birthday with a date input, names Roles once, ties each section to its method and offers Cancel', async () => {
    const admin = await asBuiltIn(h, 'admin');
    const res = await admin.get('/admin/users/new');
    expect(res.status).to.equal(200);
    expect(res.text).to.match(/<input id="f-birthdate" name="birthdate" type="date"/);
    expect(res.text.match(/<(h2|h3|legend)>Roles</g)?.length, 'one Roles heading').to.equal(1);
    expect(res.text).to.include('<section id="create-options">');
    expect(res.text).to.include('<section id="invite-options">');
    expect(res.text).to.include('form:has(#f-mode-invite:checked) #create-options,form:has(#f-mode-create:checked) #invite-options{display:none}');
    expect(res.text).to.include('<a class="button secondary" href="/admin/users">Cancel</a>');
  });

  it('serves the console script from its own origin, as JavaScript, to anyone', async () => {
    const res = await signedOut(h).get('/assets/console.js');
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.match(/^application\/javascript/);
    expect(res.text).to.include("querySelectorAll('time[data-local]')");
    const page = await (await asBuiltIn(h, 'admin')).get('/admin/roles');
    expect(page.text).to.include('<script src="/assets/console.js" defer></script>');
    expect(page.headers['content-security-policy']).to.match(/script-src 'self'/);
  });
});
