// Where each SCIM User attribute lives, for filters and sorting: derived from the User's
// attribute declarations (user-schema.ts), so what /Schemas lists is what filters reach.
import { ENTERPRISE_URN, GATEHOUSE_USER_URN, USER_URN } from '../urns.js';
import { GATEHOUSE_SCHEMA } from './gatehouse-extension.js';
import type { ResourceAttributes } from '../filter/attribute-map.js';
import { filterTable } from '../schema/attribute-def.js';
import { ENTERPRISE_SCHEMA, USER_SCHEMA } from './user-schema.js';

export const USER_ATTRIBUTES: ResourceAttributes = {
  resourceType: 'User',
  coreUri: USER_URN,
  // The calling connection's externalId only (RFC 7643 §3.1: scoped to the provisioning
  // domain); at most one row per account, as (connection, account) is the key.
  from: 'users u LEFT JOIN user_external_ids ux ON ux.user_id = u.id AND ux.connection_id = :connectionId',
  idColumn: 'u.id',
  defaultOrder: 'u.created_at ASC, u.id ASC',
  core: filterTable(USER_SCHEMA.attributes),
  extensions: { [ENTERPRISE_URN.toLowerCase()]: filterTable(ENTERPRISE_SCHEMA.attributes), [GATEHOUSE_USER_URN.toLowerCase()]: filterTable(GATEHOUSE_SCHEMA.attributes) },
};
