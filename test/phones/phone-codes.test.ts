// One-time codes proving a phone: random, stored hashed, 10 minutes, single use, 5 tries;
// at most 3 sends per number per 15 minutes, 10 per client address per hour and 5 per
// account or invitation per day; the country allow-list; the same answer whoever holds the
// number. The account page's verify flow and the OIDC claim it changes.
import { expect } from 'chai';
import { MINUTE_MS, HOUR_MS } from '../../src/clock.js';
import { ValidationError } from '../../src/errors.js';
import { TooManyPhoneCodes } from '../../src/phones/phone-codes.js';
import { findAccount } from '../../oidc/account-claims.js';
import { describeEachDatabase } from '../helpers/harness.js';
import { addWithRole, auditEvents, rejection } from '../accounts/account-fixtures.js';
import { clientFor } from '../admin/admin-kit.js';
import { textOf } from '../invitations/invite-kit.js';
import { codeSentTo, deliverSms, fromAddress, phone, wrongCode } from './phone-kit.js';

const UK = '+447400123123';
const US = '+14155550123';

describeEachDatabase('phone codes', (h) => {
  async function member() {
    const user = await addWithRole(h, 'member');
    return { user, ctx: fromAddress(await h.as(user), '192.0.2.1') };
  }

  async function claimsOf(userId: string) {
    const account = await findAccount(h.services, userId);
    return (await account!.claims('userinfo', 'openid phone', {}, [])) as Record<string, unknown>;
  }

  it('verifies a phone with the code sent to it; the OIDC claim says verified until the phone changes', async () => {
    const { user, ctx } = await member();
    await h.services.accountPhone.sendCode(ctx, user.id, phone(UK));
    const code = await codeSentTo(h, UK);
    expect(code).to.match(/^\d{6}$/);
    // Stored hashed: the row holds no code, and the sent message no longer does either.
    const [row] = await h.services.models.PhoneCode.findAll();
    expect(JSON.stringify(row!.get({ plain: true }))).to.not.include(code);
    expect(row!.codeHash).to.match(/^[0-9a-f]{64}$/);
    expect((await h.services.models.SmsOutbox.findAll())[0]!.body).to.not.include(code);

    const verified = await h.services.accountPhone.verify(ctx, user.id, phone(UK), code);
    expect(verified).to.deep.include({ phone: UK, phoneVerified: true });
    expect(await claimsOf(user.id)).to.deep.include({ phone_number: UK, phone_number_verified: true });
    expect(await auditEvents(h, { action: 'phone.verified', targetId: user.id })).to.have.length(1);

    // A phone changed any other way is not proven.
    await h.services.users.update(ctx, user.id, { phone: US }, { origin: 'page' });
    expect(await claimsOf(user.id)).to.deep.include({ phone_number: US, phone_number_verified: false });
  });

  it('a code works once', async () => {
    const { user, ctx } = await member();
    await h.services.accountPhone.sendCode(ctx, user.id, phone(UK));
    const code = await codeSentTo(h, UK);
    await h.services.accountPhone.verify(ctx, user.id, phone(UK), code);
    const again = await rejection(h.services.accountPhone.verify(ctx, user.id, phone(UK), code), ValidationError);
    expect(again.fields.phoneCode).to.include('ask for a new code');
  });

  it('of two uses of one code racing, one wins', async () => {
    const { user, ctx } = await member();
    await h.services.accountPhone.sendCode(ctx, user.id, phone(UK));
    const code = await codeSentTo(h, UK);
    const results = await Promise.allSettled([1, 2, 3].map(() => h.services.accountPhone.verify(ctx, user.id, phone(UK), code)));
    expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
    expect(await auditEvents(h, { action: 'phone.verified' })).to.have.length(1);
  });

  it('after 5 wrong codes even the right one is refused until a new code is sent', async () => {
    const { user, ctx } = await member();
    await h.services.accountPhone.sendCode(ctx, user.id, phone(UK));
    const code = await codeSentTo(h, UK);
    const messages: string[] = [];
    for (let i = 0; i < 5; i++) messages.push((await rejection(h.services.accountPhone.verify(ctx, user.id, phone(UK), wrongCode(code)), ValidationError)).fields.phoneCode!);
    expect(messages[0]).to.equal('That code is not right: 4 tries left.');
    expect(messages[3]).to.equal('That code is not right: 1 try left.');
    expect(messages[4]).to.include('that was the last try');
    const sixth = await rejection(h.services.accountPhone.verify(ctx, user.id, phone(UK), code), ValidationError);
    expect(sixth.fields.phoneCode).to.include('too many times');
    expect((await h.services.users.get(user.id)).phoneVerified).to.equal(false);

    await h.services.accountPhone.sendCode(ctx, user.id, phone(UK));
    const fresh = await codeSentTo(h, UK);
    expect((await h.services.accountPhone.verify(ctx, user.id, phone(UK), fresh)).phoneVerified).to.equal(true);
  });

  it('a code lasts 10 minutes, only the newest one works, and only for the number it was sent to', async () => {
    const { user, ctx } = await member();
    await h.services.accountPhone.sendCode(ctx, user.id, phone(UK));
    const first = await codeSentTo(h, UK);
    await h.services.accountPhone.sendCode(ctx, user.id, phone(UK));
    const second = await codeSentTo(h, UK);
    if (first !== second) await rejection(h.services.accountPhone.verify(ctx, user.id, phone(UK), first), ValidationError);
    await rejection(h.services.accountPhone.verify(ctx, user.id, phone(US), second), ValidationError);
    h.clock.advance(10 * MINUTE_MS + 1);
    const late = await rejection(h.services.accountPhone.verify(ctx, user.id, phone(UK), second), ValidationError);
    expect(late.fields.phoneCode).to.include('no current code');
  });

  it('sends at most 3 codes to one number in 15 minutes, from any account', async () => {
    const people = await Promise.all([1, 2, 3, 4].map(() => member()));
    for (const p of people.slice(0, 3)) await h.services.accountPhone.sendCode(fromAddress(p.ctx, `192.0.2.${people.indexOf(p) + 10}`), p.user.id, phone(UK));
    const refused = await rejection(h.services.accountPhone.sendCode(fromAddress(people[3]!.ctx, '192.0.2.20'), people[3]!.user.id, phone(UK)), TooManyPhoneCodes);
    expect(refused.status).to.equal(429);
    expect(refused.message).to.equal('Too many codes were sent. Try again in 15 minutes.');
    expect(await deliverSms(h)).to.have.length(3);
    h.clock.advance(15 * MINUTE_MS + 1);
    await h.services.accountPhone.sendCode(fromAddress(people[3]!.ctx, '192.0.2.20'), people[3]!.user.id, phone(UK));
  });

  it('sends at most 5 codes a day for one account', async () => {
    const { user, ctx } = await member();
    const numbers = ['+447400123001', '+447400123002', '+447400123003', '+447400123004', '+447400123005', '+447400123006'];
    for (const n of numbers.slice(0, 5)) {
      await h.services.accountPhone.sendCode(ctx, user.id, phone(n));
      h.clock.advance(MINUTE_MS);
    }
    await rejection(h.services.accountPhone.sendCode(ctx, user.id, phone(numbers[5]!)), TooManyPhoneCodes);
    h.clock.advance(24 * HOUR_MS);
    await h.services.accountPhone.sendCode(ctx, user.id, phone(numbers[5]!));
  });

  it('sends at most 10 codes an hour from one client address', async () => {
    const people = await Promise.all(Array.from({ length: 11 }, () => member()));
    for (const [i, p] of people.slice(0, 10).entries()) await h.services.accountPhone.sendCode(p.ctx, p.user.id, phone(`+4474001232${String(i).padStart(2, '0')}`));
    await rejection(h.services.accountPhone.sendCode(people[10]!.ctx, people[10]!.user.id, phone('+447400125299')), TooManyPhoneCodes);
    // Another address is not held back by this one.
    await h.services.accountPhone.sendCode(fromAddress(people[10]!.ctx, '198.51.100.7'), people[10]!.user.id, phone('+447400125299'));
  });

  it('sends only to the countries on the allow-list, when there is one', async () => {
    const admin = await addWithRole(h, 'admin');
    const refusedSetting = await rejection(h.services.settings.update(await h.as(admin), { phoneCodeCountries: ['GB', 'XX'] }), ValidationError);
    expect(refusedSetting.fields.phoneCodeCountries).to.include('"XX"');
    await h.services.settings.update(await h.as(admin), { phoneCodeCountries: ['gb', 'IE'] });
    expect(await h.services.settings.get('phoneCodeCountries')).to.deep.equal(['GB', 'IE']);
    const { user, ctx } = await member();
    const refused = await rejection(h.services.accountPhone.sendCode(ctx, user.id, phone(US)), ValidationError);
    expect(refused.fields.phone).to.include('cannot be sent to phone numbers in that country');
    await h.services.accountPhone.sendCode(ctx, user.id, phone(UK));
    expect((await deliverSms(h)).map((s) => s.to)).to.deep.equal([UK]);
  });

  it('the account page sends the code and verifies; the answer is the same whoever holds the number', async () => {
    const holder = await addWithRole(h, 'member', { phone: UK });
    await h.services.accountPhone.sendCode(fromAddress(await h.as(holder), '203.0.113.9'), holder.id, phone(UK));
    await h.services.accountPhone.verify(await h.as(holder), holder.id, phone(UK), await codeSentTo(h, UK));
    const { user } = await member();
    const browser = clientFor(h, user, await h.services.webSessions.create(user.id, null));
    const answers: string[] = [];
    for (const [country, number] of [['+44', '7400 123123'], ['+44', '7400 124456']] as const) {
      const res = await browser.post('/account/phone/code', { phoneCountry: country, phoneNumber: number });
      expect(res.status).to.equal(200);
      answers.push(textOf(res.text).replace(/\+44\d+/g, 'NUMBER').replace(/value="[^"]*"/g, ''));
    }
    expect(answers[0]).to.equal(answers[1]);
    const code = await codeSentTo(h, '+447400124456');
    const wrong = await browser.post('/account/phone/verify', { phoneCountry: '+44', phoneNumber: '7400 124456', phoneCode: wrongCode(code) });
    expect(wrong.status).to.equal(400);
    expect(textOf(wrong.text)).to.include('That code is not right: 4 tries left.');
    const ok = await browser.post('/account/phone/verify', { phoneCountry: '+44', phoneNumber: '7400 124456', phoneCode: code });
    expect(ok.headers.location).to.equal('/account?done=phone');
    const page = textOf((await browser.get('/account?done=phone')).text);
    expect(page).to.include('Your phone number is verified.');
    expect(page).to.include('Your phone: +447400124456 verified');
    const bad = await browser.post('/account/phone/code', { phoneCountry: '+44', phoneNumber: '12' });
    expect(bad.status).to.equal(400);
    expect(textOf(bad.text)).to.include('Enter a mobile number that exists');
  });
});

