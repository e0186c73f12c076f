// Idempotency-Key on the management API's creations: a retried invitation of 50 addresses
// into 20 seats invites nobody twice; a retried account creation creates one account; the
// same key on another body is refused (422), a duplicate while the first still runs is
// refused (409), and keys expire after a day and are cleaned up.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { addOwner, auditEvents } from '../accounts/account-fixtures.js';
import { apiClient, registerMachine, tokenFor } from './api-kit.js';
import { IdempotencyKeys, KEY_TTL_MS, requestFingerprint } from '../../src/api/idempotency-keys.js';

describeEachDatabase('management API: idempotency keys', (h) => {
  async function machineApi(name = 'Portal') {
    const owner = await addOwner(h);
    const machine = await registerMachine(h, await h.as(owner), { name });
    return { machine, api: apiClient(h, await tokenFor(h, machine)) };
  }
  const withKey = (key: string, body: object) => (r: import('supertest').Test) => r.set('Idempotency-Key', key).send(body);

  it('answers a retried invitation of 50 addresses into 20 seats with the first answer, inviting nobody twice', async () => {
    const { api } = await machineApi();
    expect((await api.put('/api/v1/seats/user', { limit: 20 })).status).to.equal(200);
    const body = { rows: [{ addresses: Array.from({ length: 50 }, (_, i) => `invitee${i}@example.com`), kind: 'user' }] };
    const first = await api.raw('post', '/api/v1/invitations', withKey('invite-batch-1', body));
    expect(first.status, first.text).to.equal(200);
    const sent = (first.body.outcomes as Array<{ status: string }>).filter((o) => o.status === 'sent').length;
    expect(sent).to.be.greaterThan(0);
    const mailsAfterFirst = h.mail.sent.length;
    const created = (await auditEvents(h, { action: 'invitation.created' })).length;

    const retry = await api.raw('post', '/api/v1/invitations', withKey('invite-batch-1', body));
    expect(retry.status).to.equal(200);
    expect(retry.get('idempotent-replayed')).to.equal('true');
    expect(retry.body).to.deep.equal(first.body);
    expect(h.mail.sent.length).to.equal(mailsAfterFirst);
    expect((await auditEvents(h, { action: 'invitation.created' })).length).to.equal(created);
    expect((await api.get('/api/v1/invitations?status=pending&limit=100')).body.total).to.equal(sent);
    expect((await api.get('/api/v1/seats')).body.items.find((p: { pool: string }) => p.pool === 'user')).to.include({ used: 20, limit: 20 });
  });

  it('creates one account for a retried creation and hands back the same generated password', async () => {
    const { api } = await machineApi();
    const body = { email: 'dana@example.com', username: 'dana' };
    const first = await api.raw('post', '/api/v1/people', withKey('"person-dana"', body));
    expect(first.status, first.text).to.equal(201);
    // The same request with its fields in another order is the same request.
    const retry = await api.raw('post', '/api/v1/people', withKey('"person-dana"', { username: 'dana', email: 'dana@example.com' }));
    expect(retry.status).to.equal(201);
    expect(retry.body).to.deep.equal(first.body);
    expect(retry.get('location')).to.equal(first.get('location'));
    expect((await api.get('/api/v1/people?search=dana')).body.total).to.equal(1);
    // Stored sealed: the generated password is not readable in the table.
    const rows = await h.services.models.sql.select<{ answer: string }>('SELECT answer FROM api_idempotency_keys', []);
    expect(rows.map((r) => r.answer).join()).to.not.include(first.body.generatedPassword as string);
  });

  it('refuses the same key on another body (422) and a bad key (400), changing nothing', async () => {
    const { api } = await machineApi();
    expect((await api.raw('post', '/api/v1/people', withKey('k1', { email: 'erin@example.com' }))).status).to.equal(201);
    const reused = await api.raw('post', '/api/v1/people', withKey('k1', { email: 'finn@example.com' }));
    expect(reused.status).to.equal(422);
    expect(reused.get('content-type')).to.include('application/problem+json');
    expect(reused.body.type).to.equal('/api/docs#problem-idempotency_key_reused');
    const otherPath = await api.raw('post', '/api/v1/invitations', withKey('k1', { rows: [{ addresses: ['finn@example.com'] }] }));
    expect(otherPath.status).to.equal(422);
    const bad = await api.raw('post', '/api/v1/people', withKey('x'.repeat(256), { email: 'finn@example.com' }));
    expect(bad.status).to.equal(400);
    expect(bad.body.type).to.equal('/api/docs#problem-idempotency_key_invalid');
    expect((await api.get('/api/v1/people?search=finn')).body.total).to.equal(0);
  });

  it('refuses a duplicate while the first request runs (409); concurrent duplicates create one account', async () => {
    const { machine, api } = await machineApi();
    const keys = new IdempotencyKeys(h.services.models, h.clock, h.services.secrets);
    const body = { email: 'gus@example.com' };
    expect((await keys.claim(machine.clientId, 'running', requestFingerprint('POST', '/api/v1/people', body))).state).to.equal('claimed');
    const busy = await api.raw('post', '/api/v1/people', withKey('running', body));
    expect(busy.status).to.equal(409);
    expect(busy.body.type).to.equal('/api/docs#problem-idempotency_key_in_progress');
    expect((await api.get('/api/v1/people?search=gus')).body.total).to.equal(0);

    const both = await Promise.all([1, 2].map(() => api.raw('post', '/api/v1/people', withKey('together', { email: 'hana@example.com' }))));
    const statuses = both.map((r) => r.status).sort();
    expect(statuses[0]).to.equal(201);
    expect([201, 409]).to.include(statuses[1]);
    expect((await api.get('/api/v1/people?search=hana')).body.total).to.equal(1);
  });

  it('releases the key of a failed request, and forgets keys after a day', async () => {
    const { machine, api } = await machineApi();
    const viewer = (await h.services.roles.builtin('viewer')).id;
    const bad = await api.raw('post', '/api/v1/people', withKey('retry-me', { email: 'ivy@example.com', roleIds: ['no-such-role'] }));
    expect(bad.status).to.be.within(400, 499);
    expect((await api.raw('post', '/api/v1/people', withKey('retry-me', { email: 'ivy@example.com', roleIds: [viewer] }))).status).to.equal(201);

    const keys = new IdempotencyKeys(h.services.models, h.clock, h.services.secrets);
    const fingerprint = requestFingerprint('POST', '/api/v1/people', { email: 'jo@example.com' });
    expect((await keys.claim(machine.clientId, 'old', fingerprint)).state).to.equal('claimed');
    await keys.finish(machine.clientId, 'old', { status: 201, body: { done: true } });
    expect((await keys.claim(machine.clientId, 'old', fingerprint)).state).to.equal('replay');
    h.clock.advance(KEY_TTL_MS + 1);
    expect((await keys.claim(machine.clientId, 'old', fingerprint)).state).to.equal('claimed');
    h.clock.advance(KEY_TTL_MS + 1);
    expect(await keys.deleteExpired()).to.be.at.least(1);
    expect(await h.services.models.sql.select('SELECT client_id FROM api_idempotency_keys', [])).to.deep.equal([]);
  });
});
