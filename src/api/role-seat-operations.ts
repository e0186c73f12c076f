// /roles and a person's roles, and /seats: the RoleService and SeatService calls the Roles,
// user and Seats pages make (setting a person's roles follows the dominance rule there).
import { authorize } from '../roles/authorize.js';
import { KINDS, type Kind } from '../users/user-model.js';
import { idSchema, roleSchema, seatPoolSchema } from './api-schemas.js';
import { presentRole, presentSeatPool } from './api-presenters.js';
import type { JsonSchema, Operation } from './operation.js';

const reason: JsonSchema = { type: 'string', maxLength: 500 };
const rolesAnswer = { description: 'The person\'s roles now', schema: { type: 'object', additionalProperties: false, required: ['roles'], properties: { roles: { type: 'array', items: roleSchema } } } };

export const roleOperations: Operation[] = [
  {
    method: 'get', path: '/roles', operationId: 'listRoles', tag: 'Roles', scope: 'api:roles', summary: 'List roles with their permissions and holder counts',
    responses: { 200: { description: 'Every role', schema: { type: 'object', additionalProperties: false, required: ['items'], properties: { items: { type: 'array', items: roleSchema } } } } },
    async handler({ services, ctx }) {
      authorize(ctx.actor, 'users.view');
      return { status: 200, body: { items: (await services.roles.list(ctx)).map(presentRole) } };
    },
  },
  {
    method: 'put', path: '/people/{id}/roles', operationId: 'setPersonRoles', tag: 'Roles', scope: 'api:roles',
    summary: 'Set a person\'s roles', description: 'Replaces the person\'s roles. Only roles whose permissions the application holds can be given, only to someone it dominates.',
    params: { id: idSchema },
    body: { type: 'object', additionalProperties: false, required: ['roleIds'], properties: { roleIds: { type: 'array', maxItems: 100, uniqueItems: true, items: idSchema }, reason } },
    responses: { 200: rolesAnswer },
    async handler({ services, ctx, params, body }) {
      const b = body as { roleIds: string[]; reason?: string };
      return { status: 200, body: { roles: (await services.roles.setUserRoles(ctx, params.id!, b.roleIds, b.reason ?? null)).map(presentRole) } };
    },
  },
  {
    method: 'post', path: '/people/{id}/roles', operationId: 'grantPersonRole', tag: 'Roles', scope: 'api:roles', summary: 'Grant one role',
    params: { id: idSchema },
    body: { type: 'object', additionalProperties: false, required: ['roleId'], properties: { roleId: idSchema, reason } },
    responses: { 200: rolesAnswer },
    async handler({ services, ctx, params, body }) {
      const b = body as { roleId: string; reason?: string };
      const current = (await services.roles.rolesOf(params.id!, ctx)).map((r) => r.id);
      return { status: 200, body: { roles: (await services.roles.setUserRoles(ctx, params.id!, [...current, b.roleId], b.reason ?? null)).map(presentRole) } };
    },
  },
  {
    method: 'delete', path: '/people/{id}/roles/{roleId}', operationId: 'revokePersonRole', tag: 'Roles', scope: 'api:roles', summary: 'Revoke one role',
    params: { id: idSchema, roleId: idSchema },
    responses: { 200: rolesAnswer },
    async handler({ services, ctx, params }) {
      const current = (await services.roles.rolesOf(params.id!, ctx)).map((r) => r.id);
      return { status: 200, body: { roles: (await services.roles.setUserRoles(ctx, params.id!, current.filter((id) => id !== params.roleId), null)).map(presentRole) } };
    },
  },
];

export const seatOperations: Operation[] = [
  {
    method: 'get', path: '/seats', operationId: 'listSeatPools', tag: 'Seats', scope: 'api:seats.read', summary: 'Seat usage per pool',
    responses: { 200: { description: 'Every pool', schema: { type: 'object', additionalProperties: false, required: ['items'], properties: { items: { type: 'array', items: seatPoolSchema } } } } },
    async handler({ services, ctx }) {
      authorize(ctx.actor, 'users.view');
      return { status: 200, body: { items: (await services.seats.allUsage()).map(presentSeatPool) } };
    },
  },
  {
    method: 'put', path: '/seats/{pool}', operationId: 'setSeatLimit', tag: 'Seats', scope: 'api:seats.manage',
    summary: 'Set a pool\'s limit', description: 'Needs seats.manage. null: unlimited. Lowering below use removes nobody; it blocks new seats. Refused while configuration fixes the limit.',
    params: { pool: { type: 'string', enum: [...KINDS] } },
    body: { type: 'object', additionalProperties: false, required: ['limit'], properties: { limit: { type: ['integer', 'null'], minimum: 0, maximum: 1_000_000_000 } } },
    responses: { 200: { description: 'The pool now', schema: seatPoolSchema } },
    async handler({ services, ctx, params, body }) {
      const pool = params.pool as Kind;
      await services.seats.setLimit(ctx, pool, (body as { limit: number | null }).limit);
      return { status: 200, body: presentSeatPool(await services.seats.usage(pool)) };
    },
  },
];
