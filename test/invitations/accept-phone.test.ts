// The accept page and the phone at acceptance setting: not asked, optional, or required
// and proven by a code sent by SMS; with a verified phone nothing is created before the
// right code, a wrong code is counted and the account carries the phone as verified.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { auditEvents, userCount } from '../accounts/account-fixtures.js';
import { addAdmin, FormClient, GOOD_PASSWORD, hiddenFields, lastMailTo, linkTo, pathOf, roleId, textOf } from './invite-kit.js';
import { codeSentTo, deliverSms, wrongCode } from '../phones/phone-kit.js';
import { expectFieldError } from '../admin/admin-kit.js';

const MOBILE = { phoneCountry: '+44', phoneNumber: '07400 123456' };
const E164 = '+447400123456';

describeEachDatabase('invitations: a phone proven by a code on acceptance', (h) => {
  async function invite(email: string) {
    const inviter = await addAdmin(h);
    const [o] = await h.services.invitations.invite(inviter.ctx, [{ addresses: email, roleIds: [await roleId(h, 'member')] }]);
    return { id: o!.invitationId!, path: pathOf(linkTo((await lastMailTo(h, email)).text, '/invitations/accept')) };
  }

  /** Posts the accept form (both buttons post the same fields) from the page's hidden inputs. */
  async function post(client: FormClient, path: string, action: string, fields: Record<string, string>) {
    const page = await client.get(path);
    return client.agent.post(action).type('form').set('Accept', 'text/html').send({ ...hiddenFields(page.text), givenName: 'Nia', familyName: 'Hire', ...fields });
  }

  const accept = (client: FormClient, path: string, fields: Record<string, string>) =>
    post(client, path, '/invitations/accept', { password: GOOD_PASSWORD, passwordConfirmation: GOOD_PASSWORD, ...fields });

  it('required and verified: no account before the right code; then the phone is verified', async () => {
    await h.services.settings.set(h.system(), 'phoneAtAcceptance', 'verified');
    const { id, path } = await invite('nia@example.com');
    const client = new FormClient(h.app);
    const form = textOf((await client.get(path)).text);
    expect(form).to.include('Your mobile number').and.include('Send code');
    const before = await userCount(h);

    // Without a code, with a number no plan has, with a wrong code: refused, nothing created.
    expectFieldError((await accept(client, path, MOBILE)).text, 'phoneCode', 'no current code');
    expectFieldError((await post(client, path, '/invitations/accept/phone-code', { phoneCountry: '+44', phoneNumber: '123' })).text, 'phoneNumber', 'Enter a mobile number that exists');
    const sent = await post(client, path, '/invitations/accept/phone-code', MOBILE);
    expect(sent.status).to.equal(200);
    expect(textOf(sent.text)).to.include(`We sent a code to ${E164}`);
    const code = await codeSentTo(h, E164);
    const wrong = await accept(client, path, { ...MOBILE, phoneCode: wrongCode(code) });
    expect(wrong.status).to.equal(400);
    expectFieldError(wrong.text, 'phoneCode', 'That code is not right: 4 tries left.');
    // A refusal not about the code costs no try and uses nothing.
    const mismatch = await accept(client, path, { ...MOBILE, phoneCode: code, passwordConfirmation: 'something else entirely' });
    expect(mismatch.status).to.equal(400);
    expect((await h.services.models.PhoneCode.findAll())[0]!.attempts).to.equal(1);
    expect(await userCount(h)).to.equal(before);
    expect((await h.services.invitations.get((await addAdmin(h, { email: 'other.admin@example.com' })).ctx, id)).status).to.equal('pending');

    const ok = await accept(client, path, { ...MOBILE, phoneCode: code });
    expect(ok.status, ok.text.slice(0, 300)).to.equal(303);
    const user = (await h.services.users.findByLogin('nia@example.com'))!;
    expect(user).to.deep.include({ phone: E164, phoneVerified: true });
    expect((await auditEvents(h, { action: 'invitation.accepted' }))[0]!.details).to.deep.include({ phoneVerified: true });
    // The code is spent: the second device of the same person cannot reuse it.
    expect((await h.services.models.PhoneCode.findAll())[0]!.consumedAt).to.not.equal(null);
  });

  it('an invitation allows 5 codes a day whatever the number', async () => {
    await h.services.settings.set(h.system(), 'phoneAtAcceptance', 'verified');
    const { path } = await invite('otto@example.com');
    const client = new FormClient(h.app);
    for (let i = 0; i < 5; i++) {
      const res = await post(client, path, '/invitations/accept/phone-code', { phoneCountry: '+44', phoneNumber: `07400 12300${i}` });
      expect(res.status).to.equal(200);
      h.clock.advance(60_000);
    }
    const refused = await post(client, path, '/invitations/accept/phone-code', { phoneCountry: '+44', phoneNumber: '07400 123009' });
    expect(refused.status).to.equal(429);
    expect(textOf(refused.text)).to.include('Too many codes were sent. Try again in');
    expect(await deliverSms(h)).to.have.length(5);
  });

  it('off: the page asks no phone and keeps none; optional: the phone is kept, unverified', async () => {
    await h.services.settings.set(h.system(), 'phoneAtAcceptance', 'off');
    const off = await invite('kai@example.com');
    const client = new FormClient(h.app);
    expect(textOf((await client.get(off.path)).text)).to.not.include('Phone');
    expect((await accept(client, off.path, MOBILE)).status).to.equal(303);
    expect((await h.services.users.findByLogin('kai@example.com'))!.phone).to.equal(null);

    await h.services.settings.set(h.system(), 'phoneAtAcceptance', 'optional');
    const optional = await invite('lea@example.com');
    expect((await accept(new FormClient(h.app), optional.path, MOBILE)).status).to.equal(303);
    expect(await h.services.users.findByLogin('lea@example.com')).to.deep.include({ phone: E164, phoneVerified: false });
    // The send-code button belongs to the verified setting only.
    const other = await invite('max@example.com');
    expect((await post(new FormClient(h.app), other.path, '/invitations/accept/phone-code', MOBILE)).status).to.equal(400);
    expect(await deliverSms(h)).to.have.length(0);
  });
});
