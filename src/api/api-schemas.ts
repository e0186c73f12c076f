// JSON Schemas (2020-12, as OpenAPI 3.1 uses) shared by several operations: the shapes
// the presenters (api-presenters.ts) produce. Request schemas live beside their operations.
import { KINDS } from '../users/user-model.js';
import type { JsonSchema } from './operation.js';

export const nullable = (schema: JsonSchema): JsonSchema => ({ ...schema, type: [schema.type as string, 'null'] });
const str = { type: 'string' };
const nstr = { type: ['string', 'null'] };
const dateTime = { type: 'string', format: 'date-time' };
const ndateTime = { type: ['string', 'null'], format: 'date-time' };
export const idSchema: JsonSchema = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' };
export const kindSchema: JsonSchema = { type: 'string', enum: [...KINDS] };

const roleRef: JsonSchema = { type: 'object', required: ['id', 'name'], additionalProperties: false, properties: { id: str, name: str } };

export const personSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'username', 'email', 'name', 'status', 'kind', 'roles', 'createdAt'],
  properties: {
    id: str, username: str, email: nstr, emailVerified: { type: 'boolean' }, name: str, givenName: nstr, familyName: nstr, displayName: nstr,
    phone: nstr, department: nstr, title: nstr, employeeNumber: nstr, locale: nstr,
    kind: kindSchema, source: str, status: { type: 'string', enum: ['unconfirmed', 'active', 'inactive'] },
    roles: { type: 'array', items: roleRef },
    createdAt: dateTime, updatedAt: dateTime, lastSignInAt: ndateTime, deactivatedAt: ndateTime, deactivationReason: nstr,
  },
};

/** A row of the users list: an account, or an invited address without one. */
export const listedPersonSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'id', 'status', 'kind', 'roles', 'createdAt'],
  properties: {
    type: { type: 'string', enum: ['account', 'invitee'] },
    id: str, username: nstr, name: str, email: nstr, phone: nstr, department: nstr, title: nstr,
    kind: kindSchema, status: { type: 'string', enum: ['unconfirmed', 'active', 'inactive', 'pending', 'expired'] },
    roles: { type: 'array', items: roleRef },
    createdAt: dateTime, lastActivityAt: ndateTime, invitationExpiresAt: ndateTime,
  },
};

export const invitationSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'email', 'status', 'kind', 'roles', 'sentAt', 'expiresAt'],
  properties: {
    id: str, email: str, deliveryEmail: nstr, kind: kindSchema, method: { type: 'string', enum: ['email', 'link'] },
    status: { type: 'string', enum: ['pending', 'accepted', 'expired', 'cancelled', 'superseded'] },
    givenName: nstr, familyName: nstr, roles: { type: 'array', items: roleRef },
    inviter: nstr, sentAt: dateTime, expiresAt: dateTime, createdAt: dateTime, acceptedAt: ndateTime, acceptedUserId: nstr,
  },
};

export const roleSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'builtin', 'permissions', 'holders'],
  properties: { id: str, name: str, builtin: nstr, description: nstr, permissions: { type: 'array', items: str }, holders: { type: 'integer' } },
};

export const seatPoolSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['pool', 'used', 'accounts', 'invited', 'limit', 'limitFromConfig', 'nearLimit'],
  properties: {
    pool: kindSchema, used: { type: 'integer' }, accounts: { type: 'integer' }, invited: { type: 'integer' },
    limit: { type: ['integer', 'null'] }, limitFromConfig: { type: 'boolean' }, nearLimit: { type: 'boolean' },
  },
};

export const auditEventSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'occurredAt', 'action', 'actor', 'source', 'target', 'details'],
  properties: {
    id: { type: 'integer' }, occurredAt: dateTime, action: str,
    actor: { type: 'object', additionalProperties: false, required: ['id', 'label'], properties: { id: nstr, label: str } },
    source: str, ip: nstr,
    target: { type: ['object', 'null'], additionalProperties: false, required: ['type', 'id', 'label', 'deleted'], properties: { type: str, id: str, label: nstr, deleted: { type: 'boolean' } } },
    details: { type: 'object' },
  },
};

export const problemSchema: JsonSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: str, title: str, status: { type: 'integer' }, detail: str,
    errors: { type: 'array', items: { type: 'object', required: ['field', 'message'], properties: { field: str, message: str } } },
    pool: kindSchema, used: { type: 'integer' }, limit: { type: 'integer' }, field: str, scope: str, code: str,
  },
};

/** A cursor-paged list: `next` is the cursor of the following page, null on the last. */
export function pageOf(item: JsonSchema, withTotal: boolean): JsonSchema {
  const properties: Record<string, JsonSchema> = { items: { type: 'array', items: item }, next: nstr };
  if (withTotal) properties.total = { type: 'integer' };
  return { type: 'object', additionalProperties: false, required: Object.keys(properties), properties };
}

export const limitParam = (max: number): JsonSchema => ({ type: 'integer', minimum: 1, maximum: max });
export const cursorParam: JsonSchema = { type: 'string', minLength: 1, maxLength: 2000 };
