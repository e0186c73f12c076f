// The SCIM Group (RFC 7643 §4.2) as Gatehouse keeps it: a group is a role, its members the
// role's holders (users only: groups do not nest). A group's externalId is kept per
// provisioning connection, like a User's: a client sees and filters its own value only. A member's
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
    attribute('externalId', 'string', 'An identifier for the group as defined by the provisioning client, kept per provisioning connection.', {
      caseExact: true,
      listed: false,
      sql: { column: 'gx.external_id', normalized: 'gx.external_id_normalized' },
    }),
    attribute('displayName', 'string', "The role's name, unique ignoring case.", { required: true, uniqueness: 'server', sql: { column: 'r.name', normalized: 'r.name_normalized', nullable: false } }),
    attribute('members', 'complex', "The role's holders.", {
      multiValued: true,
      sql: { scope: { type: 'exists', from: 'user_roles mur JOIN users mu ON mu.id = mur.user_id', link: 'mur.role_id = r.id', order: 'mu.username_normalized ASC' } },
      subAttributes: [
        attribute('value', 'string', "The member's User id.", { required: true, caseExact: true, mutability: 'immutable', sql: { column: 'mur.user_id', nullable: false } }),
        // Filtered as returned: the User's location (:usersLocation, the list query's base URL + "/Users/") and its id.
        attribute('$ref', 'reference', "The URI of the member's User resource.", { referenceTypes: ['User'], mutability: 'immutable', caseExact: true, sql: { column: 'CONCAT(:usersLocation, mur.user_id)', nullable: false } }),
        attribute('display', 'string', "The member's userName, kept by the server.", { mutability: 'readOnly', sql: { column: 'mu.username', normalized: 'mu.username_normalized', nullable: false } }),
        attribute('type', 'string', 'The kind of member: always User.', { canonicalValues: ['User'], mutability: 'immutable', sql: { constant: 'User' } }),
      ],
    }),
    metaAttribute('Group', 'r'),
  ],
};
