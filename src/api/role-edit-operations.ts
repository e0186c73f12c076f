// /roles/{id}: a role read, created, renamed or given other permissions, and deleted — the
// RoleService calls the Roles pages make, so the dominance rule holds as there: nobody
// grants a permission they lack, nor changes a role held by someone more powerful.
import { authorize } from '../roles/authorize.js';
import { PERMISSION_PATTERN } from '../roles/permission-catalogue.js';
import { idSchema, roleSchema } from './api-schemas.js';
import { presentRole } from './api-presenters.js';
import type { ApiCall, JsonSchema, Operation } from './operation.js';

const name: JsonSchema = { type: 'string', minLength: 1, maxLength: 100 };
const permissions: JsonSchema = { type: 'array', maxItems: 200, uniqueItems: true, items: { type: 'string', pattern: PERMISSION_PATTERN.source } };
const idParam = { id: idSchema };

async function currentRole({ services, ctx, params }: ApiCall) {
  authorize(ctx.actor, 'users.view');
  return presentRole(await services.roles.get(params.id!, ctx));
}

export const roleEditOperations: Operation[] = [
  {
    method: 'get', path: '/roles/{id}', operationId: 'getRole', tag: 'Roles', scope: 'api:roles', summary: 'Read a role', params: idParam,
    responses: { 200: { description: 'The role', schema: roleSchema } },
    async handler(call) {
      return { status: 200, body: await currentRole(call) };
    },
  },
  {
    method: 'post', path: '/roles', operationId: 'createRole', tag: 'Roles', scope: 'api:roles',
    summary: 'Create a role', description: 'Only with permissions the application holds.',
    body: { type: 'object', additionalProperties: false, required: ['name'], properties: { name, permissions, description: { type: ['string', 'null'], maxLength: 500 } } },
    responses: { 201: { description: 'Created', schema: roleSchema } },
    async handler({ services, ctx, body }) {
      const b = body as { name: string; permissions?: string[]; description?: string | null };
      const role = await services.roles.create(ctx, { name: b.name, permissions: b.permissions ?? [], description: b.description ?? null });
      return { status: 201, body: presentRole(role), headers: { Location: `/api/v1/roles/${role.id}` } };
    },
  },
  {
    method: 'patch', path: '/roles/{id}', operationId: 'updateRole', tag: 'Roles', scope: 'api:roles',
    summary: 'Rename a role or set its permissions',
    description: 'Built-in roles cannot be changed. permissions replaces the role\'s set: added ones must be held by the application, and the role\'s holders must be ones it dominates.',
    params: idParam, body: { type: 'object', additionalProperties: false, minProperties: 1, properties: { name, permissions } },
    responses: { 200: { description: 'The role as changed', schema: roleSchema } },
    current: currentRole,
    async handler({ services, ctx, params, body }) {
      const b = body as { name?: string; permissions?: string[] };
      let role = b.name === undefined ? null : await services.roles.rename(ctx, params.id!, b.name);
      if (b.permissions !== undefined) role = await services.roles.setPermissions(ctx, params.id!, b.permissions);
      return { status: 200, body: presentRole(role!) };
    },
  },
  {
    method: 'delete', path: '/roles/{id}', operationId: 'deleteRole', tag: 'Roles', scope: 'api:roles',
    summary: 'Delete a custom role', description: 'Refused while people hold it, unless reassignTo names the role they get instead.',
    params: idParam, query: { type: 'object', additionalProperties: false, properties: { reassignTo: idSchema } },
    responses: { 204: { description: 'Deleted' } },
    current: currentRole,
    async handler({ services, ctx, params, query }) {
      await services.roles.delete(ctx, params.id!, { reassignTo: (query as { reassignTo?: string }).reassignTo ?? null });
      return { status: 204 };
    },
  },
];
