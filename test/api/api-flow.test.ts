// A product's back end driving Gatehouse through the management API with a machine
// application's token: sets a seat limit, invites 50 addresses into 20 seats (an outcome
// per address), lists invitees by status page by page, changes a role, deactivates a
// person (whose OIDC refresh token then fails) and reads what it did in the audit log.
import { expect } from 'chai';
import * as oidc from 'openid-client';
import { describeEachDatabase } from '../helpers/harness.js';
import { registerClient, seedUser, tokensFor } from '../helpers/relying-party.js';
import { addOwner } from '../accounts/account-fixtures.js';
import { apiClient, registerMachine, tokenFor } from './api-kit.js';

describeEachDatabase(
  'management API: a portal back end at work',
  (h) => {
    it('invites 50 into 20 seats, lists by status, changes a role, deactivates and reads the audit log', async () => {
      const owner = await addOwner(h);
      const machine = await registerMachine(h, await h.as(owner), { name: 'Helpdesk portal' });
      const api = apiClient(h, await tokenFor(h, machine));
      // A person signed in to an application with a refresh token.
      const alice = await seedUser(h, 'alice', ['Member']);
      const { config } = await registerClient(h);
      const { tokens } = await tokensFor(h, config);

      const limit = await api.put('/api/v1/seats/user', { limit: 20 });
      expect(limit.status, limit.text).to.equal(200);
      const usedBefore = limit.body.used as number;
      expect(limit.body).to.include({ pool: 'user', limit: 20 });

      const addresses = Array.from({ length: 50 }, (_, i) => `invitee${i}@example.com`);
      const invited = await api.post('/api/v1/invitations', { rows: [{ addresses, kind: 'user' }] });
      expect(invited.status, invited.text).to.equal(200);
      const outcomes = invited.body.outcomes as Array<{ address: string; status: string; message: string }>;
      expect(outcomes.map((o) => o.address)).to.deep.equal(addresses);
      const free = 20 - usedBefore;
      expect(outcomes.slice(0, free).every((o) => o.status === 'sent')).to.equal(true);
      expect(outcomes.slice(free).every((o) => o.status === 'seat_limit_reached')).to.equal(true);
      expect(outcomes[free]!.message).to.equal('Seat limit reached: 20 of 20 user seats in use');

      const seats = await api.get('/api/v1/seats');
      expect(seats.body.items.find((p: { pool: string }) => p.pool === 'user')).to.include({ used: 20, limit: 20 });

      // Invitations by status, page by page.
      const first = await api.get('/api/v1/invitations?status=pending&limit=10');
      expect(first.body.total).to.equal(free);
      expect(first.body.items).to.have.length(10);
      const second = await api.get(`/api/v1/invitations?status=pending&limit=10&cursor=${first.body.next}`);
      expect(second.body.items).to.have.length(free - 10);
      expect(second.body.next).to.equal(null);
      const seen = new Set([...first.body.items, ...second.body.items].map((i: { email: string }) => i.email));
      expect(seen.size).to.equal(free);
      // The same invitees in the people list, as Pending.
      const pending = await api.get('/api/v1/people?status=pending&limit=100');
      expect(pending.body.total).to.equal(free);
      expect(pending.body.items.every((p: { type: string }) => p.type === 'invitee')).to.equal(true);

      const viewer = (await h.services.roles.builtin('viewer')).id;
      const roles = await api.put(`/api/v1/people/${alice.id}/roles`, { roleIds: [viewer], reason: 'moved to read-only' });
      expect(roles.status, roles.text).to.equal(200);
      expect(roles.body.roles.map((r: { name: string }) => r.name)).to.deep.equal(['Viewer']);

      const off = await api.post(`/api/v1/people/${alice.id}/deactivate`, { reason: 'left the company' });
      expect(off.status, off.text).to.equal(200);
      expect(off.body).to.include({ status: 'inactive', deactivationReason: 'left the company' });
      const refused = await oidc.refreshTokenGrant(config, tokens.refresh_token!).catch((e: unknown) => e as { error?: string });
      expect((refused as { error?: string }).error).to.equal('invalid_grant');

      const audit = await api.get(`/api/v1/audit?target=${alice.id}&limit=10`);
      expect(audit.status, audit.text).to.equal(200);
      const actions = audit.body.items.map((e: { action: string }) => e.action);
      expect(actions).to.include.members(['user.deactivated', 'user.roles_changed']);
      const deactivated = audit.body.items.find((e: { action: string }) => e.action === 'user.deactivated');
      expect(deactivated.actor).to.deep.equal({ id: null, label: 'Helpdesk portal' });
      expect(deactivated.source).to.equal('api');
      const refusals = await api.get('/api/v1/audit?action=seats.limit_reached&limit=2');
      expect(refusals.body.items).to.have.length(2);
      expect(refusals.body.next).to.be.a('string');
      const older = await api.get(`/api/v1/audit?action=seats.limit_reached&limit=2&cursor=${refusals.body.next}`);
      expect(older.body.items[0].id).to.be.below(refusals.body.items[1].id);
    });
  },
  { serve: true },
);
