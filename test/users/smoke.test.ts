import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';

describeEachDatabase('harness smoke', (h) => {
  it('creates a user through the service', async () => {
    const u = await h.services.users.create(h.system(), { email: 'A@Example.com' }, { source: 'admin', origin: 'page' });
    expect(u.email).to.equal('A@Example.com');
    expect(u.status).to.equal('active');
  });
  it('starts each test empty', async () => {
    expect(await h.services.users.list()).to.have.length(0);
  });
});
