// The SCIM Group (RFC 7643 §4.2) as Gatehouse keeps it: a group is a role, its members the
// role's holders (users only: groups do not nest). Gatehouse keeps no externalId for groups,
// so that attribute is absent on every group (filters on it match nothing). A member's
// `display` is its userName, kept by the server: a client's display is ignored like any
// read-only attribute, and it is the name Okta and others send as display anyway.
import { attribute, idAttribute, metaAttribute, type SchemaDef } from '../schema/attribute-def.js';
import { GROUP_URN } from '../urns.js';

export const GROUP_SCHEMA: SchemaDef = {
  id: GROUP_URN,
  name: 'Group',
  description: 'Group (a Gatehouse role)',
  attributes: [
    idAttribute('Group', 'r.id'),
    attribute('externalId', 'string', 'Not kept for groups.', { caseExact: true, listed: false, mutability: 'readOnly', sql: { constant: null } }),
    attribute('displayName', 'string', "The role's name, unique ignoring case.", { required: true, uniqueness: 'server', sql: { column: 'r.name', normalized: 'r.name_normalized', nullable: false } }),
    attribute('members', 'complex', "The role's holders.", {
      multiValued: true,
      sql: { scope: { type: 'exists', from: 'user_roles mur JOIN users mu ON mu.id = mur.user_id', link: 'mur.role_id = r.id', order: 'mu.username_normalized ASC' } },
      subAttributes: [
        attribute('value', 'string', "The member's User id.", { required: true, caseExact: true, mutability: 'immutable', sql: { column: 'mur.user_id', nullable: false } }),
        attribute('$ref', 'reference', "The URI of the member's User resource.", { referenceTypes: ['User'], mutability: 'immutable' }),
        attribute('display', 'string', "The member's userName, kept by the server.", { mutability: 'readOnly', sql: { column: 'mu.username', normalized: 'mu.username_normalized', nullable: false } }),
        attribute('type', 'string', 'The kind of member: always User.', { canonicalValues: ['User'], mutability: 'immutable', sql: { constant: 'User' } }),
      ],
    }),
    metaAttribute('Group', 'r'),
  ],
};
