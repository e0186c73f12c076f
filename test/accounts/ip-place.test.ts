// The place shown beside a session's address: a country for a public IPv4 address,
// "private network" for addresses inside a site, "unknown" for anything else.
import { expect } from 'chai';
import { placeOf } from '../../src/web/account/ip-place.js';

describe('the place of a session\'s address', () => {
  it('names the country of a public IPv4 address, also when written as IPv6', () => {
    expect(placeOf('8.8.8.8')).to.equal('United States');
    expect(placeOf('81.2.69.142')).to.equal('United Kingdom');
    expect(placeOf('::ffff:193.0.6.139')).to.equal('Netherlands');
  });

  it('says "private network" for loopback, private, link-local and unique-local addresses', () => {
    for (const ip of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.0.9', '169.254.1.1', '100.64.0.1', '::1', 'fd12:3456::1', 'fe80::1', '::ffff:10.0.0.1']) {
      expect(placeOf(ip), ip).to.equal('private network');
    }
  });

  it('says "unknown" for public IPv6, unlisted ranges, nothing and text that is no address', () => {
    for (const ip of ['2001:db8::1', '203.0.113.7', '', null, undefined, 'not-an-ip', '999.1.1.1']) {
      expect(placeOf(ip), String(ip)).to.equal('unknown');
    }
  });
});
