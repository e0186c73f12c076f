// The guard against server-side request forgery: URLs must be https (plain http only to
// loopback when private addresses are allowed), every resolved address must be public, the
// connection goes to the checked address, redirects are not followed, a silent receiver
// times out and a huge answer is not read to its end.
import { expect } from 'chai';
import { addressProblem, checkWebhookUrl, resolveWebhookAddress, type Resolver } from '../../src/webhooks/address-guard.js';
import { createWebhookSender } from '../../src/webhooks/webhook-sender.js';
import { ValidationError } from '../../src/errors.js';
import { rejection } from '../accounts/account-fixtures.js';
import { suiteReceiver } from './webhook-receiver.js';

const strict = { allowPrivate: false };
const lenient = { allowPrivate: true };

describe('Webhook address guard', () => {
  const receiver = suiteReceiver();

  it('refuses every non-public address range, IPv4-mapped IPv6 included', () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '224.0.0.1', '255.255.255.255']) {
      expect(addressProblem(address), address).to.be.a('string');
    }
    for (const address of ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946', '8.8.8.8']) expect(addressProblem(address), address).to.equal(null);
  });

  it('accepts https URLs, and plain http only to loopback and written private addresses only when private addresses are allowed', () => {
    expect(checkWebhookUrl('https://crm.example.com/hooks', strict).host).to.equal('crm.example.com');
    expect(checkWebhookUrl('http://127.0.0.1:9000/hooks', lenient).port).to.equal('9000');
    expect(checkWebhookUrl('http://localhost:9000/hooks', lenient).hostname).to.equal('localhost');
    expect(checkWebhookUrl('https://10.0.0.5/hooks', lenient).hostname).to.equal('10.0.0.5');
    for (const [url, policy] of [['http://crm.example.com/hooks', lenient], ['http://127.0.0.1/hooks', strict], ['ftp://crm.example.com/', lenient], ['https://user:pw@crm.example.com/', strict], ['not a url', strict], ['https://crm.example.com/#x', strict], ['https://10.0.0.5/hooks', strict], ['https://[::1]/', strict], ['https://localhost/', strict]] as const) {
      expect(() => checkWebhookUrl(url, policy), url).to.throw(ValidationError);
    }
  });

  it('refuses a host name resolving to any private address, and pins the checked one', async () => {
    const dns = (answers: Record<string, string[]>): Resolver => async (host) => (answers[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    const resolver = dns({ 'public.example': ['93.184.216.34'], 'mixed.example': ['93.184.216.34', '10.0.0.5'], 'meta.example': ['169.254.169.254'], 'gone.example': [] });
    expect(await resolveWebhookAddress(new URL('https://public.example/'), strict, resolver)).to.deep.equal({ address: '93.184.216.34', family: 4 });
    for (const host of ['mixed.example', 'meta.example', 'gone.example']) {
      expect((await rejection(resolveWebhookAddress(new URL(`https://${host}/`), strict, resolver), Error)).message, host).to.match(/refused|does not resolve/);
    }
    expect((await rejection(resolveWebhookAddress(new URL('https://[::1]/'), strict, resolver), Error)).message).to.include('loopback');
    // With private addresses allowed (tests, development) the answer is used as it is.
    expect(await resolveWebhookAddress(new URL('https://meta.example/'), lenient, resolver)).to.deep.equal({ address: '169.254.169.254', family: 4 });
  });

  it('the sender never connects to a refused address', async () => {
    const send = createWebhookSender({ ...strict, timeoutMs: 1000, maxResponseBytes: 1024 });
    const outcome = await send({ url: `https://127.0.0.1:${receiver.port}/hooks`, headers: {}, body: '{}' });
    expect(outcome).to.include({ ok: false, statusCode: null });
    expect(outcome.error).to.include('loopback');
    // A name whose look-up answers with loopback is refused the same way.
    const rebinding = createWebhookSender({ ...strict, timeoutMs: 1000, maxResponseBytes: 1024, resolve: async () => [{ address: '127.0.0.1', family: 4 }] });
    expect((await rebinding({ url: `https://hooks.example:${receiver.port}/`, headers: {}, body: '{}' })).error).to.include('loopback');
    expect(receiver.received).to.have.length(0);
  });

  it('connects to the address the guard resolved, not to a second look-up', async () => {
    let lookups = 0;
    const send = createWebhookSender({ ...lenient, timeoutMs: 1000, maxResponseBytes: 1024, resolve: async () => (lookups++, [{ address: '127.0.0.1', family: 4 }]) });
    // `.invalid` never resolves (RFC 6761): only the pinned address can reach the receiver.
    const outcome = await send({ url: `http://hooks.invalid:${receiver.port}/hooks`, headers: { 'webhook-id': 'msg_1' }, body: '{"a":1}' });
    expect(outcome).to.include({ ok: true, statusCode: 204 });
    expect(lookups).to.equal(1);
  });

  it('follows no redirect, times out a silent receiver and stops reading a huge answer', async () => {
    const send = createWebhookSender({ ...lenient, timeoutMs: 300, maxResponseBytes: 4096 });
    receiver.behaviour = 'redirect';
    expect(await send({ url: receiver.url, headers: {}, body: '{}' })).to.include({ ok: false, statusCode: 302 });
    expect(receiver.received).to.have.length(1);
    receiver.behaviour = 'silent';
    const silent = await send({ url: receiver.url, headers: {}, body: '{}' });
    expect(silent.ok).to.equal(false);
    expect(silent.error).to.include('no answer within 300 ms');
    receiver.behaviour = 'huge';
    const huge = await send({ url: receiver.url, headers: {}, body: '{}' });
    expect(huge).to.include({ ok: true, statusCode: 200 });
  });
});
