// The SCIM User (RFC 7643 §4.1) and its enterprise extension (§4.3) as Gatehouse keeps it:
// each attribute's characteristics and its place. Single-valued attributes are columns of
// users (`field` names the account field); multi-valued ones are rows of user_values, one
// per value, except groups, which are the account's roles. `userType` is the seat pool.
import { MULTI_VALUED } from '../../src/users/user-values.js';
import type { MultiAttr } from '../filter/attribute-map.js';
import { attribute, idAttribute, metaAttribute, type AttributeDef, type SchemaDef } from '../schema/attribute-def.js';
import { ENTERPRISE_URN, USER_URN } from '../urns.js';
import { EXTERNAL_ID } from './external-id.js';

const column = (name: string, field: string, description: string, extra: Partial<AttributeDef> = {}) =>
  attribute(name, 'string', description, { sql: { column: `u.${field.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase())}` }, field, ...extra });

/** The values of one multi-valued attribute, in user_values; sorting takes the primary, else the first. */
function valuesScope(name: string): MultiAttr['scope'] {
  return { type: 'exists', from: 'user_values v', link: `v.user_id = u.id AND v.attribute = '${name}'`, order: 'COALESCE(v.is_primary, 0) DESC, v.position ASC' };
}

const PRIMARY = attribute('primary', 'boolean', "A Boolean value indicating the 'primary' or preferred value of this attribute; true for at most one value.", { sql: { whenTrue: 'COALESCE(v.is_primary, 0) = 1' } });
const DISPLAY = attribute('display', 'string', 'A human-readable name, primarily used for display purposes.', { sql: { column: 'v.display' } });
const typeOf = (canonicalValues?: string[]) => attribute('type', 'string', "A label indicating the attribute's function.", { sql: { column: 'v.type' }, ...(canonicalValues ? { canonicalValues } : {}) });
const valueOf = (type: 'string' | 'reference' | 'binary', description: string, extra: Partial<AttributeDef> = {}) =>
  attribute('value', type, description, { sql: { column: 'v.value', normalized: 'v.value_normalized', indexKey: 'v.value_key' }, ...extra });

function multi(name: string, description: string, subAttributes: AttributeDef[]): AttributeDef {
  return attribute(name, 'complex', description, { multiValued: true, subAttributes, sql: { scope: valuesScope(name) } });
}

const addressPart = (name: string, columnName: string, description: string) => attribute(name, 'string', description, { sql: { column: `v.${columnName}` } });

const VALUES: Record<(typeof MULTI_VALUED)[number], AttributeDef> = {
  emails: multi('emails', "Email addresses for the User. The account's email is the primary one, else the first of type work, else the first.", [
    valueOf('string', 'An email address for the User.'), DISPLAY, typeOf(['work', 'home', 'other']), PRIMARY,
  ]),
  phoneNumbers: multi('phoneNumbers', "Phone numbers for the User, kept as sent. The account's phone is the primary one, else the first of type work, then mobile, else the first.", [
    valueOf('string', 'A phone number of the User.'), DISPLAY, typeOf(['work', 'home', 'mobile', 'fax', 'pager', 'other']), PRIMARY,
  ]),
  ims: multi('ims', 'Instant messaging addresses for the User.', [
    valueOf('string', 'An instant messaging address for the User.'), DISPLAY, typeOf(['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo']), PRIMARY,
  ]),
  photos: multi('photos', 'URLs of photos of the User.', [
    valueOf('reference', 'The URL of a photo of the User.', { referenceTypes: ['external'] }), DISPLAY, typeOf(['photo', 'thumbnail']), PRIMARY,
  ]),
  addresses: multi('addresses', 'Physical mailing addresses for the User.', [
    addressPart('formatted', 'formatted', 'The full mailing address, formatted for display or use with a mailing label; may contain line breaks.'),
    addressPart('streetAddress', 'street_address', 'The full street address component; may contain line breaks.'),
    addressPart('locality', 'locality', 'The city or locality component.'),
    addressPart('region', 'region', 'The state or region component.'),
    addressPart('postalCode', 'postal_code', 'The zip code or postal code component.'),
    addressPart('country', 'country', 'The country name component.'),
    typeOf(['work', 'home', 'other']),
    PRIMARY,
  ]),
  entitlements: multi('entitlements', 'Entitlements of the User, kept as data: they grant nothing in Gatehouse.', [valueOf('string', 'The value of an entitlement.'), DISPLAY, typeOf(), PRIMARY]),
  roles: multi('roles', "Roles of the User, kept as data: they grant nothing in Gatehouse (Groups are Gatehouse's roles).", [valueOf('string', 'The value of a role.'), DISPLAY, typeOf(), PRIMARY]),
  x509Certificates: multi('x509Certificates', 'Certificates issued to the User.', [
    valueOf('binary', 'The value of an X.509 certificate (base64 DER).', { caseExact: true }), DISPLAY, typeOf(), PRIMARY,
  ]),
};

export const USER_SCHEMA: SchemaDef = {
  id: USER_URN,
  name: 'User',
  description: 'User Account',
  attributes: [
    idAttribute('User', 'u.id'),
    EXTERNAL_ID,
    attribute('userName', 'string', 'Unique identifier for the User, typically used by the user to sign in. Unique ignoring case.', {
      required: true, uniqueness: 'server', field: 'username', sql: { column: 'u.username', normalized: 'u.username_normalized', nullable: false },
    }),
    attribute('name', 'complex', "The components of the user's real name, each kept as sent.", {
      subAttributes: [
        column('formatted', 'nameFormatted', 'The full name, formatted for display (kept as sent, never rebuilt from the parts).'),
        column('familyName', 'familyName', 'The family name of the User.'),
        column('givenName', 'givenName', 'The given name of the User.'),
        column('middleName', 'middleName', 'The middle name(s) of the User.'),
        column('honorificPrefix', 'honorificPrefix', 'The honorific prefix(es) of the User.'),
        column('honorificSuffix', 'honorificSuffix', 'The honorific suffix(es) of the User.'),
      ],
    }),
    column('displayName', 'displayName', 'The name of the User, suitable for display to end-users.'),
    column('nickName', 'nickName', 'The casual way to address the user in real life.'),
    column('profileUrl', 'profileUrl', "A fully qualified URL pointing to a page representing the User's online profile.", { type: 'reference', referenceTypes: ['external'] }),
    column('title', 'title', "The user's title, such as 'Vice President'."),
    attribute('userType', 'string', 'The licence seat pool the account belongs to.', { canonicalValues: ['user', 'requester'], sql: { column: 'u.kind', nullable: false } }),
    column('preferredLanguage', 'preferredLanguage', "The User's preferred written or spoken language, e.g. 'en-US'."),
    column('locale', 'locale', "The User's default location for localizing items such as currency and dates, e.g. 'en-US'."),
    column('timezone', 'timezone', "The User's time zone in the IANA format, e.g. 'America/Los_Angeles'."),
    attribute('active', 'boolean', "The User's administrative status: false deactivates the account and ends its sessions.", { sql: { whenTrue: "u.status = 'active'" } }),
    attribute('password', 'string', "The User's cleartext password; used only when provisioned accounts sign in with a SCIM password.", { mutability: 'writeOnly', returned: 'never' }),
    VALUES.emails,
    VALUES.phoneNumbers,
    VALUES.ims,
    VALUES.photos,
    VALUES.addresses,
    attribute('groups', 'complex', "The Groups (Gatehouse roles) the User holds; changed through the Group's members.", {
      multiValued: true,
      mutability: 'readOnly',
      sql: { scope: { type: 'exists', from: 'user_roles gur JOIN roles gr ON gr.id = gur.role_id', link: 'gur.user_id = u.id', order: 'gr.name_normalized ASC' } },
      subAttributes: [
        attribute('value', 'string', "The identifier of the User's group.", { caseExact: true, mutability: 'readOnly', sql: { column: 'gur.role_id', nullable: false } }),
        attribute('$ref', 'reference', "The URI of the corresponding 'Group' resource.", { referenceTypes: ['Group'], mutability: 'readOnly' }),
        attribute('display', 'string', "The group's displayName.", { mutability: 'readOnly', sql: { column: 'gr.name', normalized: 'gr.name_normalized', nullable: false } }),
        attribute('type', 'string', 'How the User belongs to the group: always direct.', { canonicalValues: ['direct'], mutability: 'readOnly', sql: { constant: 'direct' } }),
      ],
    }),
    VALUES.entitlements,
    VALUES.roles,
    VALUES.x509Certificates,
    metaAttribute('User', 'u'),
  ],
};

const enterpriseColumn = (name: string, field: string, description: string, extra: Partial<AttributeDef> = {}) => column(name, field, description, extra);

export const ENTERPRISE_SCHEMA: SchemaDef = {
  id: ENTERPRISE_URN,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    enterpriseColumn('employeeNumber', 'employeeNumber', 'Identifier assigned to a person, typically based on order of hire or association with an organization.'),
    enterpriseColumn('costCenter', 'costCenter', 'Identifies the name of a cost center.'),
    enterpriseColumn('organization', 'organization', 'Identifies the name of an organization.'),
    enterpriseColumn('division', 'division', 'Identifies the name of a division.'),
    enterpriseColumn('department', 'department', 'Identifies the name of a department.'),
    attribute('manager', 'complex', "The User's manager, kept as sent.", {
      subAttributes: [
        attribute('value', 'string', "The id of the SCIM resource representing the User's manager.", { field: 'manager', sql: { column: 'u.manager' } }),
        attribute('$ref', 'reference', "The URI of the SCIM resource representing the User's manager.", { referenceTypes: ['User'], field: 'managerRef', sql: { column: 'u.manager_ref' } }),
        attribute('displayName', 'string', "The displayName of the User's manager.", { field: 'managerDisplayName', sql: { column: 'u.manager_display_name' } }),
      ],
    }),
  ],
};
