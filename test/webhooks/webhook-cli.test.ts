// `webhooks add|list|rotate|remove` as a real child process on the suite's database: the
// secret printed once, the same URL guard as the pages, and the webhook usable by the service.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { runCli } from '../helpers/cli-process.js';

describeEachDatabase('Webhooks: CLI', (h) => {
  let varDir = '';
  before(() => {
    varDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cli-'));
  });
  after(() => fs.rmSync(varDir, { recursive: true, force: true }));
  const run = (...args: string[]) => runCli(h.config.database.url, args, { varDir });

  it('adds, lists, rotates and removes a webhook; refuses plain http', async function () {
    this.timeout(120_000);
    const { client } = await h.services.clients.add(h.system(), { name: 'CRM', type: 'web', redirectUris: ['https://crm.example.com/cb'] });
    const refused = await run('webhooks', 'add', client.clientId, '--url', 'http://crm.example.com/hooks', '--events', 'user.created');
    expect(refused.code).not.to.equal(0);
    expect(refused.stderr).to.include('https');

    const added = await run('webhooks', 'add', client.clientId, '--url', 'https://crm.example.com/hooks', '--events', 'user.created,user.deactivated');
    expect(added.stderr).to.equal('');
    expect(added.code).to.equal(0);
    expect(added.stdout).to.match(/^secret: whsec_[A-Za-z0-9+/=]+$/m);
    const [webhook] = await h.services.webhooks.service.listFor(client.clientId);
    expect(webhook).to.include({ url: 'https://crm.example.com/hooks', enabled: true });
    expect(webhook!.events).to.deep.equal(['user.created', 'user.deactivated']);

    const list = await run('webhooks', 'list', client.clientId);
    expect(list.stdout).to.include(webhook!.id).and.to.include('https://crm.example.com/hooks');
    const rotated = await run('webhooks', 'rotate', webhook!.id);
    expect(rotated.code).to.equal(0);
    expect(rotated.stdout).to.match(/^secret: whsec_/m);
    expect((await h.services.webhooks.service.get(webhook!.id)).previousSecretExpiresAt).to.be.instanceOf(Date);
    expect((await run('webhooks', 'remove', webhook!.id)).code).to.equal(0);
    expect(await h.services.webhooks.service.listFor(client.clientId)).to.deep.equal([]);
  });
});
