// Where each SCIM User attribute (RFC 7643 §4.1, §4.3) lives in the accounts table, for
// filters and sorting. caseExact per RFC 7643 §8.7.1: id and externalId are case-exact,
// the rest case-insensitive. Gatehouse keeps one email and one phone, typed "work" and
// primary, so their `type` and `primary` are constants.
import { ENTERPRISE_URN, USER_URN } from '../urns.js';
import { constant, dateTime, text, type ResourceAttributes } from '../filter/attribute-map.js';

export const USER_ATTRIBUTES: ResourceAttributes = {
  resourceType: 'User',
  coreUri: USER_URN,
  from: 'users u',
  idColumn: 'u.id',
  defaultOrder: 'u.created_at ASC, u.id ASC',
  core: {
    id: text('u.id', { caseExact: true, nullable: false }),
    externalid: text('u.external_id', { caseExact: true, normalized: 'u.external_id_normalized' }),
    username: text('u.username', { normalized: 'u.username_normalized', nullable: false }),
    name: { kind: 'complex', subs: { givenname: text('u.given_name'), familyname: text('u.family_name') } },
    displayname: text('u.display_name'),
    title: text('u.title'),
    usertype: text('u.kind', { nullable: false }),
    preferredlanguage: text('u.locale'),
    locale: text('u.locale'),
    active: { kind: 'boolean', whenTrue: "u.status = 'active'" },
    emails: {
      kind: 'multi',
      scope: { type: 'row', presence: 'u.email IS NOT NULL' },
      subs: { value: text('u.email', { normalized: 'u.email_normalized' }), type: constant('work'), primary: constant(true) },
    },
    phonenumbers: {
      kind: 'multi',
      scope: { type: 'row', presence: 'u.phone IS NOT NULL' },
      subs: { value: text('u.phone'), type: constant('work'), primary: constant(true) },
    },
    groups: {
      kind: 'multi',
      scope: { type: 'exists', from: 'user_roles gur JOIN roles gr ON gr.id = gur.role_id', link: 'gur.user_id = u.id' },
      subs: { value: text('gur.role_id', { caseExact: true, nullable: false }), display: text('gr.name', { normalized: 'gr.name_normalized', nullable: false }), type: constant('direct') },
    },
    meta: { kind: 'complex', subs: { created: dateTime('u.created_at'), lastmodified: dateTime('u.updated_at'), resourcetype: constant('User') } },
  },
  extensions: {
    [ENTERPRISE_URN.toLowerCase()]: {
      employeenumber: text('u.employee_number'),
      department: text('u.department'),
      manager: { kind: 'complex', subs: { value: text('u.manager') } },
    },
  },
};
