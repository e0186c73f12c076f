// The example Users of RFC 7643 §8.2 (full core User) and §8.3 (enterprise User), as a
// directory would send them. userType names Gatehouse's seat pool, so it is "user" here
// where the RFC writes "Employee"; the certificate is a long base64 value like the RFC's.
import { ENTERPRISE_URN, USER_URN } from './scim-fixtures.js';

export const CERTIFICATE = Buffer.from('x509 certificate bytes '.repeat(90)).toString('base64');

export function fullUser(userName = 'bjensen'): Record<string, any> {
  return {
    schemas: [USER_URN],
    externalId: userName,
    userName,
    name: { formatted: 'Ms. Barbara J Jensen, III', familyName: 'Jensen', givenName: 'Barbara', middleName: 'Jane', honorificPrefix: 'Ms.', honorificSuffix: 'III' },
    displayName: 'Babs Jensen',
    nickName: 'Babs',
    profileUrl: `https://login.example.com/${userName}`,
    emails: [
      { value: `${userName}@example.com`, type: 'work', primary: true },
      { value: `babs.${userName}@jensen.org`, type: 'home' },
    ],
    addresses: [
      { type: 'work', streetAddress: '100 Universal City Plaza', locality: 'Hollywood', region: 'CA', postalCode: '91608', country: 'USA', formatted: '100 Universal City Plaza\nHollywood, CA 91608 USA', primary: true },
      { type: 'home', streetAddress: '456 Hollywood Blvd', locality: 'Hollywood', region: 'CA', postalCode: '91608', country: 'USA', formatted: '456 Hollywood Blvd\nHollywood, CA 91608 USA' },
    ],
    phoneNumbers: [
      { value: '555-555-5555', type: 'work' },
      { value: '555-555-4444', type: 'mobile' },
    ],
    ims: [{ value: 'someaimhandle', type: 'aim' }],
    photos: [
      { value: 'https://photos.example.com/profilephoto/72930000000Ccne/F', type: 'photo' },
      { value: 'https://photos.example.com/profilephoto/72930000000Ccne/T', type: 'thumbnail' },
    ],
    userType: 'user',
    title: 'Tour Guide',
    preferredLanguage: 'en-US',
    locale: 'en-US',
    timezone: 'America/Los_Angeles',
    active: true,
    password: 't1meMa$heen',
    entitlements: [{ value: 'tour-bus', display: 'Tour bus', type: 'vehicle', primary: true }],
    roles: [{ value: 'guide', display: 'Guide', type: 'job' }],
    x509Certificates: [{ value: CERTIFICATE }],
  };
}

export function enterpriseUser(userName = 'bjensen'): Record<string, any> {
  return {
    ...fullUser(userName),
    schemas: [USER_URN, ENTERPRISE_URN],
    [ENTERPRISE_URN]: {
      employeeNumber: '701984',
      costCenter: '4130',
      organization: 'Universal Studios',
      division: 'Theme Park',
      department: 'Tour Operations',
      manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d', $ref: '../Users/26118915-6090-4610-87e4-49d8ca9f808d', displayName: 'John Smith' },
    },
  };
}

/** A resource as a round trip compares it: without what the server assigns (id, meta, groups) or never returns (password). */
export function comparable(resource: Record<string, any>): Record<string, any> {
  const { id: _id, meta: _meta, password: _password, groups: _groups, ...rest } = resource;
  return rest;
}
