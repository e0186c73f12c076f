// The Users endpoint (RFC 7644 §3.2-3.6): each handler maps SCIM to the accounts core and
// back. The users service decides everything (one creation path, seats, deactivation that
// ends access through the AccessRevoker, audit under the token's name). PUT and PATCH run in
// one transaction: the account's row is locked and its version checked against If-Match,
// then deactivation, attribute updates (directory rules), reactivation (which takes a seat)
// and a password change are applied together or not at all.
import type { UserView } from '../../src/users/user-presenter.js';
import type { DirectoryState } from '../../src/users/directory-state.js';
import type { UserValues } from '../../src/users/user-values.js';
import type { Context } from '../../src/context.js';
import { authorize } from '../../src/roles/authorize.js';
import type { ScimCall } from '../context.js';
import type { ResourceResult } from '../http/responses.js';
import { checkIfMatch, etagOf, notModified } from '../http/preconditions.js';
import { invalidSyntax } from '../errors.js';
import { listResponse } from '../list/list-response.js';
import type { AttributeParams, ListParams } from '../list/list-params.js';
import { queryPage } from '../list/list-query.js';
import { project, projection } from '../list/projection.js';
import { applyUserPatch } from '../patch/apply-user-patch.js';
import { parsePatchRequest } from '../patch/patch-request.js';
import { coerceIn } from '../schema-validation.js';
import { ENTERPRISE_URN, GATEHOUSE_USER_URN, USER_URN } from '../urns.js';
import { carriesGatehouseExtension } from './gatehouse-extension.js';
import { USER_ATTRIBUTES } from './user-attributes.js';
import { fromScimUser, toScimUser, userLocation, type Json, type UserInput } from './user-mapper.js';
import { normalizeUserQuirks } from './user-quirks.js';
import { seenBy } from './connection-view.js';

function present(call: ScimCall, user: UserView, values: UserValues, attrs: AttributeParams): Json {
  return project(toScimUser(seenBy(call, user), values, call.baseUrl), projection(attrs, USER_URN, [ENTERPRISE_URN, GATEHOUSE_USER_URN]));
}

async function valuesOf(call: ScimCall, id: string, ctx?: Context): Promise<UserValues> {
  return (await call.services.users.valuesOf([id], ctx)).get(id) ?? {};
}

/** `written`: the values just stored, when they are known to be all the account has. */
async function resource(call: ScimCall, user: UserView, attrs: AttributeParams, status = 200, written?: UserValues): Promise<ResourceResult> {
  const values = written ?? (await valuesOf(call, user.id));
  return { status, body: present(call, user, values, attrs), etag: etagOf(user.version), ...(status === 201 ? { location: userLocation(call.baseUrl, user.id) } : {}) };
}

function requireBody(body: unknown, what: string): Json {
  if (body === undefined) throw invalidSyntax(`${what} needs a User in the request body.`);
  return body as Json;
}

/** Read on every create of a directory's push: a value a moment old will do (SettingsService.recent). */
function credentialMode(call: ScimCall) {
  return call.services.settings.recent('provisionedCredentialMode');
}

/** The state a PUT or PATCH asks for; the SCIM `password` counts only where accounts sign in with it. */
async function directoryState(call: ScimCall, input: UserInput, password: string | undefined): Promise<DirectoryState> {
  const usesPassword = (await credentialMode(call)) === 'scim_password';
  return { active: input.active, profile: input.profile, values: input.values, password: usesPassword ? password : undefined, deactivationReason: 'Deactivated by the directory (SCIM active=false).', accessEndsAt: input.accessEndsAt };
}

export async function listUsers(call: ScimCall, params: ListParams): Promise<ResourceResult> {
  authorize(call.ctx.actor, 'users.view');
  const page = await queryPage(call.services.models, call.services.db.dialect, USER_ATTRIBUTES, params, call.ctx);
  const users = await call.services.users.getMany(page.ids);
  const values = await call.services.users.valuesOf(page.ids);
  return { status: 200, body: listResponse(users.map((u) => present(call, u, values.get(u.id) ?? {}, params)), page.total, params.startIndex) };
}

export async function getUser(call: ScimCall, id: string, attrs: AttributeParams, ifNoneMatch?: string): Promise<ResourceResult> {
  authorize(call.ctx.actor, 'users.view');
  const user = await call.services.users.get(id);
  if (notModified(ifNoneMatch, user.version)) return { status: 304, etag: etagOf(user.version) };
  return resource(call, user, attrs);
}

/**
 * Creates the account with its credential per the setting: the SCIM
 * `password` (scim_password), a set-password link mailed in the same transaction to an
 * account created active (activation_email), or nothing here (upstream sign-in).
 */
export async function createUser(call: ScimCall, body: unknown, attrs: AttributeParams): Promise<ResourceResult> {
  const { doc, password } = coerceIn('User', normalizeUserQuirks(requireBody(body, 'POST')));
  const input = fromScimUser(doc, 'create');
  const mode = await credentialMode(call);
  // An account created inactive takes no seat.
  const status = input.active === false ? 'inactive' : 'active';
  const options = { source: 'scim', origin: 'directory', status, password: password && mode === 'scim_password' ? password : null, values: input.values, accessEndsAt: input.accessEndsAt ?? null } as const;
  const target = { type: 'user' as const, label: input.profile.username ?? '' };
  const user = await call.services.seats.runTakingSeat(call.ctx, async (tx) => {
    const created = await call.services.users.create(tx, input.profile, options);
    if (mode === 'activation_email' && created.status === 'active') await call.services.passwordResets.sendActivation(tx, created);
    return created;
  }, target);
  // The account's email and phone are among the values sent unless the userName stood in for
  // the email: then the stored values are read back.
  const complete = user.email === input.profile.email && input.values.emails?.some((v) => v.value === user.email);
  return await resource(call, user, attrs, 201, complete ? input.values : undefined);
}

export async function replaceUser(call: ScimCall, id: string, body: unknown, ifMatch: string | undefined, attrs: AttributeParams): Promise<ResourceResult> {
  const raw = normalizeUserQuirks(requireBody(body, 'PUT'));
  const { doc, password } = coerceIn('User', raw);
  const state = await directoryState(call, fromScimUser(doc, 'replace', carriesGatehouseExtension(raw)), password);
  const { user } = await call.services.directoryState.setState(call.ctx, id, (current) => {
    checkIfMatch(ifMatch, current.version);
    return state;
  });
  return resource(call, user, attrs);
}

export async function patchUser(call: ScimCall, id: string, body: unknown, ifMatch: string | undefined, attrs: AttributeParams): Promise<ResourceResult> {
  const ops = parsePatchRequest(body);
  const { user } = await call.services.directoryState.setState(call.ctx, id, async (current, tx) => {
    checkIfMatch(ifMatch, current.version);
    const before = toScimUser(seenBy(call, current), await valuesOf(call, id, tx), call.baseUrl);
    const after = applyUserPatch(before, ops);
    const { doc, password } = coerceIn('User', after);
    // The patched whole carries the extension when it did before or an operation added it:
    // a date gone from it was removed.
    return directoryState(call, fromScimUser(doc, 'replace', carriesGatehouseExtension(before) || carriesGatehouseExtension(after)), password);
  });
  return resource(call, user, attrs);
}

export async function deleteUser(call: ScimCall, id: string, ifMatch: string | undefined): Promise<ResourceResult> {
  await call.services.db.transactions.run(call.ctx, async (tx) => {
    const current = await call.services.users.getForUpdate(tx, id);
    checkIfMatch(ifMatch, current.version);
    await call.services.users.delete(tx, id);
  });
  return { status: 204 };
}
