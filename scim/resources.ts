// The two resource types and their handlers, so the HTTP routes and Bulk operations call
// exactly the same code.
import type { ScimCall } from './context.js';
import type { ResourceResult } from './http/responses.js';
import type { AttributeParams, ListParams } from './list/list-params.js';
import { createUser, deleteUser, getUser, listUsers, patchUser, replaceUser } from './users/user-handlers.js';
import { createGroup, deleteGroup, getGroup, listGroups, patchGroup, replaceGroup } from './groups/group-handlers.js';

export interface ResourceHandlers {
  endpoint: '/Users' | '/Groups';
  list(call: ScimCall, params: ListParams): Promise<ResourceResult>;
  get(call: ScimCall, id: string, attrs: AttributeParams, ifNoneMatch?: string): Promise<ResourceResult>;
  create(call: ScimCall, body: unknown, attrs: AttributeParams): Promise<ResourceResult>;
  replace(call: ScimCall, id: string, body: unknown, ifMatch: string | undefined, attrs: AttributeParams): Promise<ResourceResult>;
  patch(call: ScimCall, id: string, body: unknown, ifMatch: string | undefined, attrs: AttributeParams): Promise<ResourceResult>;
  remove(call: ScimCall, id: string, ifMatch: string | undefined): Promise<ResourceResult>;
}

export const RESOURCE_TYPES: readonly ResourceHandlers[] = [
  { endpoint: '/Users', list: listUsers, get: getUser, create: createUser, replace: replaceUser, patch: patchUser, remove: deleteUser },
  { endpoint: '/Groups', list: listGroups, get: getGroup, create: createGroup, replace: replaceGroup, patch: patchGroup, remove: deleteGroup },
];
