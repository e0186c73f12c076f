// Where each SCIM User attribute lives, for filters and sorting: derived from the User's
// attribute declarations (user-schema.ts), so what /Schemas lists is what filters reach.
import { ENTERPRISE_URN, USER_URN } from '../urns.js';
import type { ResourceAttributes } from '../filter/attribute-map.js';
import { filterTable } from '../schema/attribute-def.js';
import { ENTERPRISE_SCHEMA, USER_SCHEMA } from './user-schema.js';

export const USER_ATTRIBUTES: ResourceAttributes = {
  resourceType: 'User',
  coreUri: USER_URN,
  from: 'users u',
  idColumn: 'u.id',
  defaultOrder: 'u.created_at ASC, u.id ASC',
  core: filterTable(USER_SCHEMA.attributes),
  extensions: { [ENTERPRISE_URN.toLowerCase()]: filterTable(ENTERPRISE_SCHEMA.attributes) },
};
