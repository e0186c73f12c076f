// Bad input on every management API endpoint answers 4xx problem+json, never 5xx, and
// changes nothing: unknown fields, wrong types, malformed JSON, a wrong content type, huge
// bodies, unknown or repeated query parameters, malformed ids and made-up cursors.
import { expect } from 'chai';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { addOwner } from '../accounts/account-fixtures.js';
import { OPERATIONS } from '../../src/api/operations.js';
import { apiClient, registerMachine, tokenFor, urlOf, type ApiClient } from './api-kit.js';

const PROBLEM = 'application/problem+json';

async function ownerApi(h: Harness): Promise<ApiClient> {
  const owner = await addOwner(h);
  return apiClient(h, await tokenFor(h, await registerMachine(h, await h.as(owner))));
}

function expectProblem(res: { status: number; get(name: string): string | undefined; body: { type?: string } }, status: number, label: string, type?: string) {
  expect(res.status, label).to.equal(status);
  expect(res.get('content-type'), label).to.include(PROBLEM);
  if (type) expect(res.body.type, label).to.equal(`/api/docs#problem-${type}`);
}

describeEachDatabase('management API: bad input', (h) => {
  it('refuses malformed bodies on every endpoint that takes one', async () => {
    const api = await ownerApi(h);
    const usersBefore = await h.services.models.User.count();
    const huge = JSON.stringify({ rows: [{ addresses: ['x'.repeat(2 * 1024 * 1024)] }] });
    for (const op of OPERATIONS.filter((o) => o.body)) {
      const url = urlOf(op);
      const label = `${op.method.toUpperCase()} ${op.path}`;
      const send = (build: (r: import('supertest').Test) => import('supertest').Test) => api.raw(op.method, url, build);
      expectProblem(await send((r) => r.send({ surely_not_a_field: 1 })), 400, `${label} unknown field`, 'validation_failed');
      expectProblem(await send((r) => r.type('json').send('[1, 2]')), 400, `${label} an array`, 'validation_failed');
      expectProblem(await send((r) => r.type('json').send('{"a": ')), 400, `${label} malformed JSON`, 'bad_request');
      expectProblem(await send((r) => r.type('text/plain').send('hello')), 415, `${label} text`, 'unsupported_media_type');
      expectProblem(await send((r) => r.type('json').send(huge)), 413, `${label} huge`, 'payload_too_large');
      // Every declared field with a value of the wrong type.
      const props = Object.keys((op.body!.properties ?? {}) as object);
      if (props.length) expectProblem(await send((r) => r.send(Object.fromEntries(props.map((p) => [p, { nested: true }])))), 400, `${label} wrong types`, 'validation_failed');
    }
    expect(await h.services.models.User.count()).to.equal(usersBefore);
  });

  it('refuses unknown, repeated and mistyped query parameters, bad ids and bodies where none belongs', async () => {
    const api = await ownerApi(h);
    for (const op of OPERATIONS) {
      const label = `${op.method.toUpperCase()} ${op.path}`;
      expectProblem(await api.raw(op.method, `${urlOf(op)}?surely_not_a_parameter=1`, (r) => (op.body ? r.send({}) : r)), 400, `${label} unknown parameter`, 'validation_failed');
      if (op.params) {
        const bad = `/api/v1${op.path.replace(/\{\w+\}/g, 'no%20such%3Bid')}`;
        expectProblem(await api.raw(op.method, bad, (r) => (op.body ? r.send({}) : r)), 400, `${label} malformed id`, 'validation_failed');
      }
      if (!op.body && op.method !== 'get') expectProblem(await api.raw(op.method, urlOf(op), (r) => r.send({ a: 1 })), 400, `${label} unexpected body`, 'validation_failed');
      const props = (op.query?.properties ?? {}) as Record<string, { type?: string }>;
      if (props.limit) {
        expectProblem(await api.get(`${urlOf(op)}?limit=abc`), 400, `${label} limit abc`, 'validation_failed');
        expectProblem(await api.get(`${urlOf(op)}?limit=0`), 400, `${label} limit 0`, 'validation_failed');
        expectProblem(await api.get(`${urlOf(op)}?limit=1&limit=2`), 400, `${label} limit twice`, 'validation_failed');
      }
      if (props.cursor) {
        expectProblem(await api.get(`${urlOf(op)}?cursor=bm90LWEtY3Vyc29y`), 400, `${label} made-up cursor`, 'bad_cursor');
        expectProblem(await api.get(`${urlOf(op)}?cursor=${encodeURIComponent('%%%')}`), 400, `${label} garbage cursor`, 'bad_cursor');
      }
    }
  });

  it('refuses a cursor replayed with other filters, and answers unknown paths as problems', async () => {
    const api = await ownerApi(h);
    for (let i = 0; i < 3; i += 1) await api.post('/api/v1/invitations', { rows: [{ addresses: [`p${i}@example.com`] }] });
    const otherFilters = { '/api/v1/invitations': 'status=pending', '/api/v1/people': 'sort=email', '/api/v1/audit': 'actor=Portal' };
    for (const [path, other] of Object.entries(otherFilters)) {
      const first = await api.get(`${path}?limit=1`);
      expect(first.body.next, path).to.be.a('string');
      expect((await api.get(`${path}?limit=1&cursor=${first.body.next}`)).status, path).to.equal(200);
      expectProblem(await api.get(`${path}?limit=1&${other}&cursor=${first.body.next}`), 400, `${path} other filters`, 'bad_cursor');
    }
    expectProblem(await api.get('/api/v1/nothing-here'), 404, 'unknown path', 'not_found');
    expectProblem(await api.get('/api/v1/people/00000000-0000-4000-8000-000000000000'), 404, 'unknown person', 'not_found');
  });

  it('reports per-field problems the way the forms do, and seat refusals with pool, used and limit', async () => {
    const api = await ownerApi(h);
    const bad = await api.post('/api/v1/people', { email: 'not-an-address', username: '.dot' });
    expectProblem(bad, 400, 'person', 'validation_failed');
    expect(bad.body.errors.map((e: { field: string }) => e.field)).to.include.members(['email', 'username']);
    expect((await api.put('/api/v1/seats/user', { limit: (await h.services.seats.usage('user')).used })).status).to.equal(200);
    const full = await api.post('/api/v1/people', { email: 'new@example.com', username: 'newbie' });
    expectProblem(full, 403, 'full pool', 'seat_limit_reached');
    expect(full.body).to.include({ pool: 'user', used: 1, limit: 1 });
    const dup = await api.post('/api/v1/invitations', { rows: [{ addresses: ['a@example.com', 'A@example.com', 'bad'] }] });
    expect(dup.body.outcomes.map((o: { status: string }) => o.status)).to.deep.equal(['seat_limit_reached', 'duplicate', 'invalid_address']);
  });
});
