// /invitations: inviting many addresses with an outcome per address exactly as the invite
// form reports them, the invitations list by status, resend, cancel, edit and delete — the
// InvitationService calls the invitations pages make.
import { idSchema, invitationSchema, kindSchema, limitParam, cursorParam, pageOf } from './api-schemas.js';
import { presentInvitation } from './api-presenters.js';
import { decodeApiCursor, encodeApiCursor, signatureOf } from './api-cursor.js';
import type { InviteRow } from '../invitations/invitation-service.js';
import type { JsonSchema, Operation } from './operation.js';

const nameText: JsonSchema = { type: ['string', 'null'], maxLength: 255 };
const roleIds: JsonSchema = { type: 'array', maxItems: 100, uniqueItems: true, items: idSchema };

const inviteRow: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['addresses'],
  properties: {
    addresses: { type: 'array', minItems: 1, maxItems: 1000, items: { type: 'string', minLength: 1, maxLength: 320 } },
    roleIds: { ...roleIds, description: 'Omitted: the setting "default roles for invitations".' },
    kind: kindSchema, givenName: nameText, familyName: nameText,
    message: { type: ['string', 'null'], maxLength: 2000 },
    deliveryEmail: { type: ['string', 'null'], maxLength: 320 },
    method: { type: 'string', enum: ['email', 'link'], description: 'link: a shareable link, returned once in the outcome and never mailed.' },
  },
};

const outcomeSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['row', 'address', 'status', 'message'],
  properties: {
    row: { type: 'integer' }, address: { type: 'string' },
    status: { type: 'string', enum: ['sent', 'link_created', 'already_has_account', 'invalid_address', 'duplicate', 'seat_limit_reached', 'failed'] },
    message: { type: 'string' }, invitationId: { type: 'string' }, link: { type: 'string' }, expiresAt: { type: 'string', format: 'date-time' },
  },
};

const STATUSES = ['pending', 'accepted', 'expired', 'cancelled', 'superseded'] as const;
const idParam = { id: idSchema };
const emptyBody: JsonSchema = { type: 'object', additionalProperties: false, properties: {} };
const withLink: JsonSchema = { type: 'object', additionalProperties: false, required: ['invitation', 'link'], properties: { invitation: invitationSchema, link: { type: ['string', 'null'] } } };

export const invitationOperations: Operation[] = [
  {
    method: 'post', path: '/invitations', operationId: 'invite', tag: 'Invitations', scope: 'api:invitations',
    summary: 'Invite addresses',
    description: 'Rows as on the invite form, each with its roles and kind. Addresses are taken in input order; each gets its own outcome (sent, link created, already has an account, invalid, duplicate, seat limit reached). Mistakes that concern a whole row (an unknown role, a role the application may not give) refuse the request before anyone is invited.',
    body: { type: 'object', additionalProperties: false, required: ['rows'], properties: { rows: { type: 'array', minItems: 1, maxItems: 100, items: inviteRow } } }, idempotent: true,
    responses: { 200: { description: 'An outcome per address, in input order', schema: { type: 'object', additionalProperties: false, required: ['outcomes'], properties: { outcomes: { type: 'array', items: outcomeSchema } } } } },
    async handler({ services, ctx, body }) {
      const rows = (body as { rows: Array<Record<string, unknown>> }).rows;
      const defaults = rows.some((r) => r.roleIds === undefined) ? await services.invitations.defaultRoleIds(ctx) : [];
      const inviteRows: InviteRow[] = rows.map((r) => ({
        addresses: (r.addresses as string[]).join('\n'),
        roleIds: (r.roleIds as string[] | undefined) ?? defaults,
        kind: r.kind as string | undefined,
        givenName: r.givenName as string | null | undefined,
        familyName: r.familyName as string | null | undefined,
        message: r.message as string | null | undefined,
        deliveryEmail: r.deliveryEmail as string | null | undefined,
        method: r.method as 'email' | 'link' | undefined,
      }));
      const outcomes = await services.invitations.invite(ctx, inviteRows);
      return { status: 200, body: { outcomes } };
    },
  },
  {
    method: 'get', path: '/invitations', operationId: 'listInvitations', tag: 'Invitations', scope: 'api:invitations',
    summary: 'List invitations', description: 'Newest first; expired invitations older than 30 days are archived and shown only with includeArchived.',
    query: { type: 'object', additionalProperties: false, properties: { status: { type: 'string', enum: [...STATUSES] }, includeArchived: { type: 'boolean' }, limit: limitParam(1000), cursor: cursorParam } },
    responses: { 200: { description: 'One page', schema: pageOf(invitationSchema, true) } },
    async handler({ services, ctx, query }) {
      const q = query as { status?: (typeof STATUSES)[number]; includeArchived?: boolean; limit?: number; cursor?: string };
      const limit = q.limit ?? 100;
      const signature = signatureOf({ status: q.status, includeArchived: !!q.includeArchived, limit });
      const offset = decodeApiCursor(signature, q.cursor) ?? 0;
      const { items, total } = await services.invitations.list(ctx, { status: q.status ?? null, includeArchived: !!q.includeArchived, limit, offset });
      const next = offset + items.length < total ? encodeApiCursor(signature, offset + items.length) : null;
      return { status: 200, body: { items: items.map(presentInvitation), total, next } };
    },
  },
  {
    method: 'get', path: '/invitations/{id}', operationId: 'getInvitation', tag: 'Invitations', scope: 'api:invitations', summary: 'Read an invitation', params: idParam,
    responses: { 200: { description: 'The invitation', schema: invitationSchema } },
    async handler({ services, ctx, params }) {
      return { status: 200, body: presentInvitation(await services.invitations.get(ctx, params.id!)) };
    },
  },
  {
    method: 'patch', path: '/invitations/{id}', operationId: 'editInvitation', tag: 'Invitations', scope: 'api:invitations',
    summary: 'Edit a pending or expired invitation', description: 'A changed address kills the old link; a live invitation is sent again to the new one.', params: idParam,
    body: { type: 'object', additionalProperties: false, minProperties: 1, properties: { email: { type: 'string', maxLength: 320 }, deliveryEmail: { type: ['string', 'null'], maxLength: 320 }, givenName: nameText, familyName: nameText, roleIds, kind: kindSchema } },
    responses: { 200: { description: 'The invitation as changed, with a new shareable link when one was made', schema: withLink } },
    current: async ({ services, ctx, params }) => presentInvitation(await services.invitations.get(ctx, params.id!)),
    async handler({ services, ctx, params, body }) {
      const result = await services.invitations.edit(ctx, params.id!, body as Parameters<typeof services.invitations.edit>[2]);
      return { status: 200, body: { invitation: presentInvitation(result.invitation), link: result.link } };
    },
  },
  {
    method: 'post', path: '/invitations/{id}/resend', operationId: 'resendInvitation', tag: 'Invitations', scope: 'api:invitations',
    summary: 'Resend', description: 'A new token (the old link dies) and a fresh expiry; an expired invitation takes its seat again.', params: idParam, body: emptyBody,
    responses: { 200: { description: 'The invitation, with the new shareable link for method link', schema: withLink } },
    async handler({ services, ctx, params }) {
      const result = await services.invitations.resend(ctx, params.id!);
      return { status: 200, body: { invitation: presentInvitation(result.invitation), link: result.link } };
    },
  },
  {
    method: 'post', path: '/invitations/{id}/cancel', operationId: 'cancelInvitation', tag: 'Invitations', scope: 'api:invitations',
    summary: 'Cancel a pending invitation', description: 'Its link dies and its seat is released.', params: idParam, body: emptyBody,
    responses: { 200: { description: 'The invitation, cancelled', schema: invitationSchema } },
    async handler({ services, ctx, params }) {
      return { status: 200, body: presentInvitation(await services.invitations.cancel(ctx, params.id!)) };
    },
  },
  {
    method: 'delete', path: '/invitations/{id}', operationId: 'deleteInvitation', tag: 'Invitations', scope: 'api:invitations',
    summary: 'Delete an invitation that is no longer pending', params: idParam,
    responses: { 204: { description: 'Deleted' } },
    async handler({ services, ctx, params }) {
      await services.invitations.remove(ctx, params.id!);
      return { status: 204 };
    },
  },
];
