// /people: the users list (accounts and invited addresses, with the list's filters, cursor
// paging and the total), one account, and the account actions the admin pages offer — each
// the same domain call the pages make (UserDirectory.page, UserOnboarding.add,
// UserService.update/deactivate/reactivate/delete).
import { authorize } from '../roles/authorize.js';
import { LIST_STATUSES, SORT_KEYS } from '../users/user-directory.js';
import type { ProfileInput } from '../users/user-input.js';
import { cursorParam, idSchema, kindSchema, limitParam, listedPersonSchema, pageOf, personSchema } from './api-schemas.js';
import { presentListedPerson, presentPerson } from './api-presenters.js';
import type { JsonSchema, Operation } from './operation.js';

const text = (max: number): JsonSchema => ({ type: ['string', 'null'], maxLength: max });

/** Profile fields the API writes, as the add-user and edit forms do. */
const profileProperties: Record<string, JsonSchema> = {
  username: { type: 'string', minLength: 1, maxLength: 255 },
  email: { type: 'string', minLength: 3, maxLength: 320 },
  givenName: text(255), familyName: text(255), displayName: text(255),
  phone: text(64), department: text(255), title: text(255), employeeNumber: text(64), locale: text(64),
  gender: text(32), birthdate: text(10), kind: kindSchema,
};

const createBody: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['email'],
  properties: {
    ...profileProperties,
    roleIds: { type: 'array', maxItems: 100, uniqueItems: true, items: idSchema },
    password: { type: 'string', minLength: 1, maxLength: 1024, description: 'Omitted: a random password, returned once as generatedPassword.' },
    confirmed: { type: 'boolean', description: 'Default true. False: the account stays unconfirmed until its owner follows the emailed link.' },
    sendWelcome: { type: 'boolean', description: 'Default false.' },
  },
};

const idParam = { id: idSchema };

function profileOf(body: Record<string, unknown>): ProfileInput {
  const out: Record<string, string | null> = {};
  for (const key of Object.keys(profileProperties)) if (body[key] !== undefined) out[key] = body[key] as string | null;
  return out as ProfileInput;
}

export const peopleOperations: Operation[] = [
  {
    method: 'get', path: '/people', operationId: 'listPeople', tag: 'People', scope: 'api:users.read',
    summary: 'List accounts and invited addresses',
    description: 'The users list: accounts and, merged in, invited addresses without an account (pending or expired). Cursor paging with the total.',
    query: {
      type: 'object', additionalProperties: false,
      properties: {
        search: { type: 'string', maxLength: 200 }, status: { type: 'string', enum: [...LIST_STATUSES] }, roleId: idSchema, kind: kindSchema,
        sort: { type: 'string', enum: [...SORT_KEYS] }, order: { type: 'string', enum: ['asc', 'desc'] }, limit: limitParam(100), cursor: cursorParam,
      },
    },
    responses: { 200: { description: 'One page', schema: pageOf(listedPersonSchema, true) } },
    async handler({ services, ctx, query }) {
      const q = query as { search?: string; status?: never; roleId?: string; kind?: never; sort?: never; order?: never; limit?: number; cursor?: string };
      const page = await services.userDirectory.page(ctx, { search: q.search, status: q.status, roleId: q.roleId, kind: q.kind, sort: q.sort, order: q.order, limit: q.limit, cursor: q.cursor }, { strictCursor: true });
      return { status: 200, body: { items: page.rows.map(presentListedPerson), total: page.total, next: page.next } };
    },
  },
  {
    method: 'post', path: '/people', operationId: 'createPerson', tag: 'People', scope: 'api:users.write',
    summary: 'Add an account', description: 'As the Add user form: takes a seat in the account\'s pool; roles the application may give.',
    body: createBody, idempotent: true,
    responses: { 201: { description: 'Created', schema: { type: 'object', additionalProperties: false, required: ['person', 'generatedPassword'], properties: { person: personSchema, generatedPassword: { type: ['string', 'null'] } } } } },
    async handler({ services, ctx, body }) {
      const b = body as Record<string, unknown>;
      const result = await services.userOnboarding.add(ctx, {
        profile: profileOf(b),
        roleIds: (b.roleIds as string[] | undefined) ?? [],
        password: (b.password as string | undefined) ?? null,
        confirmed: b.confirmed !== false,
        sendWelcome: b.sendWelcome === true,
      });
      return { status: 201, body: { person: presentPerson(result.user), generatedPassword: result.generatedPassword }, headers: { Location: `/api/v1/people/${result.user.id}` } };
    },
  },
  {
    method: 'get', path: '/people/{id}', operationId: 'getPerson', tag: 'People', scope: 'api:users.read', summary: 'Read an account', params: idParam,
    responses: { 200: { description: 'The account', schema: personSchema } },
    async handler({ services, ctx, params }) {
      authorize(ctx.actor, 'users.view');
      return { status: 200, body: presentPerson(await services.users.get(params.id!, ctx)) };
    },
  },
  {
    method: 'patch', path: '/people/{id}', operationId: 'updatePerson', tag: 'People', scope: 'api:users.write',
    summary: 'Change profile fields', description: 'Fields left out stay as they are. Email, username and kind follow the dominance rule; a kind change takes a seat.',
    params: idParam, body: { type: 'object', additionalProperties: false, minProperties: 1, properties: profileProperties },
    responses: { 200: { description: 'The account as changed', schema: personSchema } },
    async current({ services, ctx, params }) {
      authorize(ctx.actor, 'users.view');
      return presentPerson(await services.users.get(params.id!, ctx));
    },
    async handler({ services, ctx, params, body }) {
      return { status: 200, body: presentPerson(await services.users.update(ctx, params.id!, profileOf(body as Record<string, unknown>), { origin: 'page' })) };
    },
  },
  {
    method: 'post', path: '/people/{id}/deactivate', operationId: 'deactivatePerson', tag: 'People', scope: 'api:users.write',
    summary: 'Deactivate an account', description: 'Ends every session, grant and token of the account at once; roles and history are kept.',
    params: idParam, body: { type: 'object', additionalProperties: false, properties: { reason: { type: 'string', maxLength: 500 } } },
    responses: { 200: { description: 'The account, inactive', schema: personSchema } },
    async handler({ services, ctx, params, body }) {
      return { status: 200, body: presentPerson(await services.users.deactivate(ctx, params.id!, (body as { reason?: string } | undefined)?.reason ?? null)) };
    },
  },
  {
    method: 'post', path: '/people/{id}/reactivate', operationId: 'reactivatePerson', tag: 'People', scope: 'api:users.write',
    summary: 'Reactivate an account', description: 'Takes a seat in the account\'s pool.', params: idParam,
    body: { type: 'object', additionalProperties: false, properties: {} },
    responses: { 200: { description: 'The account, active', schema: personSchema } },
    async handler({ services, ctx, params }) {
      return { status: 200, body: presentPerson(await services.users.reactivate(ctx, params.id!)) };
    },
  },
  {
    method: 'delete', path: '/people/{id}', operationId: 'deletePerson', tag: 'People', scope: 'api:users.write',
    summary: 'Delete an account', description: 'The audit trail keeps its id and labels.', params: idParam,
    responses: { 204: { description: 'Deleted' } },
    async handler({ services, ctx, params }) {
      await services.users.delete(ctx, params.id!);
      return { status: 204 };
    },
  },
];
