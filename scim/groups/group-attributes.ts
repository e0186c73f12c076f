// Where each SCIM Group attribute (RFC 7643 §4.2) lives: groups are roles, members are the
// role's holders. Gatehouse keeps no externalId for groups, so that attribute is absent on
// every group (filters on it match nothing, `not` matches everything).
import { GROUP_URN } from '../urns.js';
import { constant, dateTime, text, type ResourceAttributes } from '../filter/attribute-map.js';

export const GROUP_ATTRIBUTES: ResourceAttributes = {
  resourceType: 'Group',
  coreUri: GROUP_URN,
  from: 'roles r',
  idColumn: 'r.id',
  defaultOrder: 'r.created_at ASC, r.id ASC',
  core: {
    id: text('r.id', { caseExact: true, nullable: false }),
    displayname: text('r.name', { normalized: 'r.name_normalized', nullable: false }),
    externalid: constant(null),
    members: {
      kind: 'multi',
      scope: { type: 'exists', from: 'user_roles mur JOIN users mu ON mu.id = mur.user_id', link: 'mur.role_id = r.id' },
      subs: {
        value: text('mur.user_id', { caseExact: true, nullable: false }),
        display: text('mu.username', { normalized: 'mu.username_normalized', nullable: false }),
        type: constant('User'),
      },
    },
    meta: { kind: 'complex', subs: { created: dateTime('r.created_at'), lastmodified: dateTime('r.updated_at'), resourcetype: constant('Group') } },
  },
  extensions: {},
};
