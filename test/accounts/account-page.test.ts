// The account page shows the person's roles with their permissions, a welcome after an
// accepted invitation, a prompt while two-step verification is off, and where they are
// signed in and which applications they gave access, each of which they can end.
import { expect } from 'chai';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { addWithRole, auditEvents } from './account-fixtures.js';
import { clientFor } from '../admin/admin-kit.js';
import { hashToken } from '../../src/ids.js';
import { textOf } from '../invitations/invite-kit.js';

async function storePayload(h: Harness, row: { model: string; id: string; accountId: string; grantId?: string; payload: object }): Promise<void> {
  await h.services.models.sql.write('INSERT INTO oidc_payloads (model, id, payload, account_id, grant_id, expires_at) VALUES (?, ?, ?, ?, ?, ?)', [
    row.model, row.id, JSON.stringify(row.payload), row.accountId, row.grantId ?? null, new Date(h.clock.now().getTime() + 3_600_000),
  ]);
}

describeEachDatabase('the account page', (h) => {
  it('shows roles with their permissions, the welcome after accepting, and a prompt to turn on two-step verification', async () => {
    const member = await addWithRole(h, 'member');
    const page = await clientFor(h, member, await h.services.webSessions.create(member.id, null)).get('/account?done=welcome');
    expect(page.status).to.equal(200);
    const text = textOf(page.text);
    expect(text).to.include('Welcome! Your account is ready.');
    expect(page.text).to.match(/<li><strong>Member<\/strong>: [^<]*users\.view/);
    expect(text).to.include('Two-step verification is off');
    expect(page.text).to.include('href="#two-step"');
  });

  it('lists the person\'s sessions and ends another one; never someone else\'s', async () => {
    const member = await addWithRole(h, 'member');
    const other = await addWithRole(h, 'member');
    const here = await h.services.webSessions.create(member.id, null);
    const elsewhere = await h.services.webSessions.create(member.id, null);
    const theirs = await h.services.webSessions.create(other.id, null);
    const browser = clientFor(h, member, here);
    const page = await browser.get('/account');
    expect(page.text).to.include('This browser');
    const refs = [...page.text.matchAll(/name="ref" value="([0-9a-f]+)"/g)].map((m) => m[1]);
    expect(refs, 'only the other session has a Sign out button').to.deep.equal([hashToken(elsewhere).slice(0, 16)]);
    expect((await browser.post('/account/sessions/end', { ref: hashToken(theirs).slice(0, 16) })).headers.location).to.equal('/account?done=nothing');
    expect(await h.services.webSessions.find(theirs)).to.not.equal(null);
    const res = await browser.post('/account/sessions/end', { ref: refs[0]! });
    expect(res.headers.location).to.equal('/account?done=session');
    expect(await h.services.webSessions.find(elsewhere)).to.equal(null);
    expect(await h.services.webSessions.find(here)).to.not.equal(null);
    expect(await auditEvents(h, { action: 'session.ended' })).to.have.length(1);
  });

  it('names each session\'s device, address and its country in words, with its last use in the organization\'s time zone', async () => {
    const member = await addWithRole(h, 'member');
    await h.services.settings.set(h.system(), 'timeZone', 'Europe/Berlin');
    const here = await h.services.webSessions.create(member.id, null, {
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
      ip: '81.2.69.142',
    });
    await h.services.webSessions.create(member.id, null, { userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1', ip: '2001:db8::1' });
    // Whatever a client sends is capped and kept printable; nothing sent is shown as unknown.
    await h.services.webSessions.create(member.id, null, { userAgent: 'curl/8.5.0', ip: '192.168.1.20' });
    const odd = await h.services.webSessions.create(member.id, null, { userAgent: `Evil\u0000\n${'x'.repeat(400)}`, ip: null });
    const stored = await h.services.models.WebSession.findByPk(hashToken(odd));
    expect(stored!.userAgent).to.have.length(255);
    expect(stored!.userAgent).to.match(/^Evilx+$/);
    const text = textOf((await clientFor(h, member, here).get('/account')).text);
    expect(text).to.match(/Chrome on Linux · This browser\s+United Kingdom 81\.2\.69\.142\s+1 Jan 2030, 10:00 Europe\/Berlin\s+1 Jan 2030, 10:00 Europe\/Berlin/);
    expect(text).to.match(/Safari on iPhone\s+unknown 2001:db8::1/);
    expect(text).to.match(/curl\s+private network 192\.168\.1\.20/);
    expect(text).to.match(/Unknown browser\s+unknown/);
  });

  it('lists the applications given access and removes one with every token under it', async () => {
    const member = await addWithRole(h, 'member');
    const { client } = await h.services.clients.add(h.system(), { name: 'Timesheets', type: 'web', redirectUris: ['http://127.0.0.1:9/cb'] });
    await storePayload(h, { model: 'Grant', id: 'g-1', accountId: member.id, payload: { jti: 'g-1', accountId: member.id, clientId: client.clientId, openid: { scope: 'openid email' } } });
    await storePayload(h, { model: 'RefreshToken', id: 'rt-1', accountId: member.id, grantId: 'g-1', payload: { jti: 'rt-1', grantId: 'g-1' } });
    const browser = clientFor(h, member, await h.services.webSessions.create(member.id, null));
    const page = await browser.get('/account');
    expect(textOf(page.text)).to.match(/Timesheets\s+openid email/);
    const res = await browser.post('/account/apps/revoke', { grant: 'g-1' });
    expect(res.headers.location).to.equal('/account?done=app');
    expect(await h.services.models.sql.select('SELECT id FROM oidc_payloads WHERE account_id = ?', [member.id])).to.deep.equal([]);
    const [event] = await auditEvents(h, { action: 'grant.revoked' });
    expect(event!.details).to.deep.equal({ client: 'Timesheets' });
    expect(textOf((await browser.get('/account')).text)).to.include('None yet.');
  });
});
