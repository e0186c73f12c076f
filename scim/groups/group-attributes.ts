// Where each SCIM Group attribute lives, for filters and sorting: derived from the Group's
// attribute declarations (group-schema.ts).
import { GROUP_URN } from '../urns.js';
import type { ResourceAttributes } from '../filter/attribute-map.js';
import { filterTable } from '../schema/attribute-def.js';
import { GROUP_SCHEMA } from './group-schema.js';

export const GROUP_ATTRIBUTES: ResourceAttributes = {
  resourceType: 'Group',
  coreUri: GROUP_URN,
  from: 'roles r LEFT JOIN group_external_ids gx ON gx.role_id = r.id AND gx.connection_id = :connectionId',
  idColumn: 'r.id',
  defaultOrder: 'r.created_at ASC, r.id ASC',
  core: filterTable(GROUP_SCHEMA.attributes),
  extensions: {},
};
