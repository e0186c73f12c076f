// The Groups endpoint (RFC 7644 §3.2-3.6) over roles: a group a directory creates becomes a
// role with no permissions; members are added and
// removed through the role-membership service, which applies the grant rules and audits
// each account. The owner role is read-only here. Each write is one transaction, with the
// role's row locked and its version checked against If-Match.
import type { Transaction } from 'sequelize';
import type { Context } from '../../src/context.js';
import type { RoleView } from '../../src/roles/role-service.js';
import { authorize } from '../../src/roles/authorize.js';
import type { ScimCall } from '../context.js';
import type { ResourceResult } from '../http/responses.js';
import { checkIfMatch, etagOf, notModified } from '../http/preconditions.js';
import { invalidSyntax, ScimError } from '../errors.js';
import { listResponse } from '../list/list-response.js';
import type { AttributeParams, ListParams } from '../list/list-params.js';
import { queryPage } from '../list/list-query.js';
import { includes, project, projection } from '../list/projection.js';
import { parsePatchRequest } from '../patch/patch-request.js';
import { coerceIn } from '../schema-validation.js';
import { GROUP_URN } from '../urns.js';
import type { Json } from '../users/user-mapper.js';
import { GROUP_ATTRIBUTES } from './group-attributes.js';
import { groupLocation, memberIds, toScimGroup } from './group-mapper.js';
import { planGroupPatch } from './group-patch.js';
import { GroupExternalIds } from '../../src/connections/group-external-ids.js';

type Tx = Context & { transaction: Transaction };

function externalIds(call: ScimCall): GroupExternalIds {
  return new GroupExternalIds(call.services.models.sql);
}

async function present(call: ScimCall, roles: RoleView[], attrs: AttributeParams, ctx?: Context): Promise<Json[]> {
  const p = projection(attrs, GROUP_URN, []);
  const ids = roles.map((r) => r.id);
  const members = includes(p, 'members') ? await call.services.roleMembers.membersOf(ids, ctx) : null;
  const external = await externalIds(call).of(call.ctx.connectionId, ids, ctx);
  return roles.map((r) => project(toScimGroup(r, members?.get(r.id), call.baseUrl, external.get(r.id)), p));
}

/** Stores the calling connection's externalId of a group (a token always has a connection). */
async function setExternalId(call: ScimCall, tx: Tx, roleId: string, value: string | null): Promise<void> {
  if (call.ctx.connectionId) await externalIds(call).set(tx, call.ctx.connectionId, roleId, value);
}

async function resource(call: ScimCall, id: string, attrs: AttributeParams, status = 200): Promise<ResourceResult> {
  const role = await call.services.roles.get(id);
  const [body] = await present(call, [role], attrs);
  return { status, body, etag: etagOf(role.version), ...(status === 201 ? { location: groupLocation(call.baseUrl, id) } : {}) };
}

/** Locks the role, refuses the owner role, checks If-Match. */
async function lockWritable(call: ScimCall, tx: Tx, id: string, ifMatch: string | undefined): Promise<RoleView> {
  const role = await call.services.roles.getForUpdate(tx, id);
  if (role.builtin === 'owner') throw new ScimError(403, null, 'The owner role is read-only through SCIM; ownership moves only by an explicit transfer.');
  checkIfMatch(ifMatch, role.version);
  return role;
}

function groupBody(body: unknown, what: string): { displayName: string; members: string[] | null; externalId: string | null } {
  if (body === undefined) throw invalidSyntax(`${what} needs a Group in the request body.`);
  const { doc } = coerceIn('Group', body as Json);
  const externalId = typeof doc.externalId === 'string' ? doc.externalId : null;
  return { displayName: String(doc.displayName), members: doc.members === undefined ? null : memberIds(doc.members, 'members'), externalId };
}

export async function listGroups(call: ScimCall, params: ListParams): Promise<ResourceResult> {
  authorize(call.ctx.actor, 'users.view');
  const page = await queryPage(call.services.models, call.services.db.dialect, GROUP_ATTRIBUTES, params, call.ctx, call.baseUrl);
  const roles = await call.services.roles.getMany(page.ids);
  return { status: 200, body: listResponse(await present(call, roles, params), page.total, params.startIndex) };
}

export async function getGroup(call: ScimCall, id: string, attrs: AttributeParams, ifNoneMatch?: string): Promise<ResourceResult> {
  authorize(call.ctx.actor, 'users.view');
  const role = await call.services.roles.get(id);
  if (notModified(ifNoneMatch, role.version)) return { status: 304, etag: etagOf(role.version) };
  const [body] = await present(call, [role], attrs);
  return { status: 200, body, etag: etagOf(role.version) };
}

export async function createGroup(call: ScimCall, body: unknown, attrs: AttributeParams): Promise<ResourceResult> {
  const group = groupBody(body, 'POST');
  const id = await call.services.db.transactions.run(call.ctx, async (tx) => {
    const role = await call.services.roles.create(tx, { name: group.displayName, permissions: [] });
    if (group.externalId !== null) await setExternalId(call, tx, role.id, group.externalId);
    if (group.members?.length) await call.services.roleMembers.change(tx, role.id, { add: group.members });
    return role.id;
  });
  return resource(call, id, attrs, 201);
}

export async function replaceGroup(call: ScimCall, id: string, body: unknown, ifMatch: string | undefined, attrs: AttributeParams): Promise<ResourceResult> {
  const group = groupBody(body, 'PUT');
  await call.services.db.transactions.run(call.ctx, async (tx) => {
    const role = await lockWritable(call, tx, id, ifMatch);
    if (group.displayName !== role.name) await call.services.roles.rename(tx, id, group.displayName);
    // An externalId left out of a PUT is cleared, as on a User.
    await setExternalId(call, tx, id, group.externalId);
    // PUT replaces the group (RFC 7644 §3.5.1): members left out are no longer members.
    await call.services.roleMembers.change(tx, id, { set: group.members ?? [] });
  });
  return resource(call, id, attrs);
}

export async function patchGroup(call: ScimCall, id: string, body: unknown, ifMatch: string | undefined, attrs: AttributeParams): Promise<ResourceResult> {
  const ops = parsePatchRequest(body);
  await call.services.db.transactions.run(call.ctx, async (tx) => {
    const role = await lockWritable(call, tx, id, ifMatch);
    const plan = await planGroupPatch(id, ops, async () => (await call.services.roleMembers.membersOf([id], tx)).get(id) ?? []);
    if (plan.rename !== null && plan.rename !== role.name) await call.services.roles.rename(tx, id, plan.rename);
    if (plan.externalId !== undefined) await setExternalId(call, tx, id, plan.externalId);
    const { set, add, remove } = plan.change;
    if (set || add.length || remove.length) await call.services.roleMembers.change(tx, id, { ...(set ? { set } : {}), add, remove });
  });
  return resource(call, id, attrs);
}

export async function deleteGroup(call: ScimCall, id: string, ifMatch: string | undefined): Promise<ResourceResult> {
  await call.services.db.transactions.run(call.ctx, async (tx) => {
    await lockWritable(call, tx, id, ifMatch);
    await externalIds(call).removeAll(tx, id);
    // The directory deleted the group: its holders lose the role (each loss audited).
    await call.services.roles.delete(tx, id, { dropHolders: true });
  });
  return { status: 204 };
}
