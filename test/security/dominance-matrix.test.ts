// The dominance rule over every edge: actors × targets × actions × paths, each outcome
// computed from the rule itself (not listed by hand):
// - changing another account needs `users.manage` and the target's permissions ⊆ the
//   actor's (the owner holds every permission, so only the owner changes the owner);
// - deactivation needs `users.manage` only (never the owner);
// - a SCIM token acts with its creator's permissions less `seats.manage` and `billing.manage`
//   (the default set), the command line with every permission.
import { expect } from 'chai';
import type { Context } from '../../src/context.js';
import { systemContext } from '../../src/context.js';
import type { UserView } from '../../src/users/user-presenter.js';
import { describeEachDatabase } from '../helpers/harness.js';
import { addOwner, addUser, nextEmail } from '../accounts/account-fixtures.js';
import { signIn, type AdminClient } from '../admin/admin-kit.js';
import { json, patchOp, scimClient, type ScimClient } from '../scim/scim-fixtures.js';

const ALL = '*';
type ActorKey = 'owner' | 'admin' | 'manager' | 'viewerScim' | 'member';
type TargetKey = 'owner' | 'admin' | 'peer' | 'weaker';
type Action = 'email' | 'password' | 'deactivate' | 'reactivate' | 'roles' | 'delete';
type Path = 'page' | 'scim' | 'cli';

const ACTORS: ActorKey[] = ['owner', 'admin', 'manager', 'viewerScim', 'member'];
const TARGETS: TargetKey[] = ['owner', 'admin', 'peer', 'weaker'];
/** Custom roles of the matrix: exactly these permissions. */
const CUSTOM: Partial<Record<ActorKey, string[]>> = {
  manager: ['users.view', 'users.manage', 'scim.manage'],
  viewerScim: ['users.view', 'scim.manage'],
};
const ACTIONS_BY_PATH: Record<Path, Action[]> = {
  page: ['email', 'deactivate', 'reactivate', 'roles', 'delete'],
  scim: ['email', 'password', 'deactivate', 'reactivate', 'roles', 'delete'],
  cli: ['deactivate', 'reactivate'],
};
/** A SCIM token's default set leaves these out. */
const NOT_DELEGATED = new Set(['seats.manage', 'billing.manage']);
const PASSWORD = 'a long directory password 77';

function has(perms: ReadonlySet<string>, p: string): boolean {
  return perms.has(ALL) || perms.has(p);
}

/** The rule, stated once: may an actor holding `actor` do `action` to a target holding `target`? */
export function allowedByRule(action: Action, actor: ReadonlySet<string>, target: ReadonlySet<string>): boolean {
  if (!has(actor, 'users.manage')) return false;
  const targetIsOwner = target.has(ALL);
  if (action === 'deactivate') return !targetIsOwner;
  if (action === 'delete' && targetIsOwner) return false;
  if (actor.has(ALL)) return true;
  return [...target].every((p) => actor.has(p));
}

describeEachDatabase('security: the dominance matrix', (h) => {
  let owner: UserView;
  let tagRoleId: string;
  const rolePerms = new Map<string, Set<string>>();

  async function roleIdsFor(key: ActorKey | 'admin'): Promise<string[]> {
    if (key === 'owner') throw new Error('the owner is unique');
    const custom = CUSTOM[key as ActorKey];
    if (custom) {
      const name = `Matrix ${key}`;
      const role = (await h.services.roles.findByName(name)) ?? (await h.services.roles.create(h.system(), { name, permissions: custom }));
      return [role.id];
    }
    return [(await h.services.roles.builtin(key as 'admin' | 'member')).id];
  }

  async function permissionsOfKey(key: ActorKey): Promise<Set<string>> {
    if (key === 'owner') return new Set([ALL]);
    const cached = rolePerms.get(key);
    if (cached) return cached;
    const custom = CUSTOM[key];
    const perms = new Set(custom ?? (await h.services.roles.builtin(key as 'admin' | 'member')).permissions);
    rolePerms.set(key, perms);
    return perms;
  }

  /** The owner role's own strings: what an owner-made token can be given (never ALL). */
  async function ownerRoleStrings(): Promise<Set<string>> {
    return new Set((await h.services.roles.builtin('owner')).permissions);
  }

  async function newTarget(key: TargetKey, actorKey: ActorKey): Promise<{ user: UserView; perms: Set<string> }> {
    if (key === 'owner') return { user: owner, perms: new Set([ALL]) };
    if (key === 'weaker') return { user: await addUser(h, { username: `w${nextEmail('x').split('@')[0]}` }), perms: new Set() };
    const roleKey = key === 'admin' ? 'admin' : actorKey;
    const user = await addUser(h, {}, { roleIds: await roleIdsFor(roleKey as ActorKey) });
    return { user, perms: await permissionsOfKey(roleKey as ActorKey) };
  }

  async function actorAccount(key: ActorKey): Promise<UserView> {
    return key === 'owner' ? owner : addUser(h, {}, { roleIds: await roleIdsFor(key) });
  }

  beforeEach(async () => {
    rolePerms.clear();
    owner = await addOwner(h);
    tagRoleId = (await h.services.roles.create(h.system(), { name: 'Matrix tag', permissions: [] })).id;
    await h.services.settings.update(h.system(), { provisionedCredentialMode: 'scim_password' });
  });

  /** Runs one action on one path; true when it took effect (checked in the database). */
  async function attempt(path: Path, action: Action, as: { page?: AdminClient; scim?: ScimClient; cli?: Context }, target: UserView): Promise<boolean> {
    if (action === 'reactivate') await h.services.users.deactivate(h.system(), target.id, 'matrix');
    const before = await h.services.users.get(target.id);
    const hashBefore = await h.services.users.passwordHashOf(target.id);
    const newEmail = nextEmail('changed');
    let status: number;
    if (path === 'page') {
      const c = as.page!;
      const url = `/admin/users/${target.id}`;
      const res =
        action === 'email' ? await c.post(`${url}/profile`, { username: before.username, email: newEmail, kind: before.kind, givenName: before.givenName ?? '', familyName: before.familyName ?? '' })
        : action === 'deactivate' ? await c.post(`${url}/deactivate`, { reason: '' })
        : action === 'reactivate' ? await c.post(`${url}/reactivate`)
        : action === 'roles' ? await c.post(`${url}/roles`, { roles: [...before.roles.map((r) => r.id), tagRoleId] })
        : await c.post(`${url}/delete`, { confirmUsername: before.username });
      status = res.status;
      expect([303, 403, 409, 400], res.text.slice(0, 300)).to.include(status);
    } else if (path === 'scim') {
      const s = as.scim!;
      const res =
        action === 'email' ? await s.patch(`/Users/${target.id}`, patchOp({ op: 'replace', path: 'emails', value: [{ value: newEmail, type: 'work', primary: true }] }))
        : action === 'password' ? await s.patch(`/Users/${target.id}`, patchOp({ op: 'replace', path: 'password', value: PASSWORD }))
        : action === 'deactivate' ? await s.patch(`/Users/${target.id}`, patchOp({ op: 'replace', path: 'active', value: false }))
        : action === 'reactivate' ? await s.patch(`/Users/${target.id}`, patchOp({ op: 'replace', path: 'active', value: true }))
        : action === 'roles' ? await s.patch(`/Groups/${tagRoleId}`, patchOp({ op: 'add', path: 'members', value: [{ value: target.id }] }))
        : await s.delete(`/Users/${target.id}`);
      status = res.status;
      if (status >= 400) {
        expect(status, res.text).to.be.oneOf([400, 403]);
        expect(json(res).detail, 'a SCIM refusal says why').to.be.a('string').and.not.equal('');
      }
    } else {
      const ctx = as.cli!;
      try {
        if (action === 'deactivate') await h.services.users.deactivate(ctx, target.id, 'cli');
        else await h.services.users.reactivate(ctx, target.id);
        status = 200;
      } catch {
        status = 403;
      }
    }
    const after = await h.services.users.get(target.id).catch(() => null);
    const effect =
      action === 'email' ? after?.email === newEmail
      : action === 'password' ? (await h.services.users.passwordHashOf(target.id)) !== hashBefore
      : action === 'deactivate' ? after?.status === 'inactive'
      : action === 'reactivate' ? after?.status === 'active'
      : action === 'roles' ? !!after?.roles.some((r) => r.id === tagRoleId)
      : after === null;
    expect(effect, `status ${status} but effect ${effect}`).to.equal(status < 300 || status === 303);
    return effect;
  }

  for (const path of ['page', 'scim', 'cli'] as const) {
    for (const actorKey of path === 'cli' ? (['owner'] as ActorKey[]) : ACTORS) {
      it(`${path}: ${path === 'cli' ? 'the command line' : actorKey} — every target, every action, as the rule says`, async function () {
        this.timeout(120_000);
        const account = await actorAccount(actorKey);
        let actorPerms = path === 'cli' ? new Set([ALL]) : await permissionsOfKey(actorKey);
        const as: { page?: AdminClient; scim?: ScimClient; cli?: Context } = {};
        if (path === 'page') as.page = await signIn(h, account);
        if (path === 'cli') as.cli = systemContext('cli', 'command line');
        if (path === 'scim') {
          if (!has(actorPerms, 'scim.manage')) return; // cannot hold a token: nothing to try
          const { token } = await h.services.scimTokens.create(await h.as(account), `Matrix ${actorKey}`);
          as.scim = scimClient(h, token);
          const base = actorPerms.has(ALL) ? await ownerRoleStrings() : actorPerms;
          actorPerms = new Set([...base].filter((p) => !NOT_DELEGATED.has(p)));
        }
        const outcomes: string[] = [];
        for (const targetKey of TARGETS) {
          if (targetKey === 'owner' && actorKey === 'owner' && path !== 'scim') continue; // one's own account
          if (targetKey === 'peer' && actorKey === 'owner') continue; // the owner has no peer
          for (const action of ACTIONS_BY_PATH[path]) {
            if (targetKey === 'owner' && action === 'reactivate') continue; // the owner is never inactive
            const target = await newTarget(targetKey, actorKey);
            const expected = allowedByRule(action, actorPerms, target.perms);
            const effect = await attempt(path, action, as, target.user);
            outcomes.push(`${targetKey}.${action}=${effect ? 'allowed' : 'refused'}`);
            expect(effect, `${actorKey} ${action} ${targetKey} via ${path}`).to.equal(expected);
          }
        }
        expect(outcomes.length).to.be.greaterThan(0);
      });
    }
  }

  it('a refusal by the rule is audited as access.refused with the change and the reason', async () => {
    const manager = await actorAccount('manager');
    const admin = await addUser(h, {}, { roleIds: await roleIdsFor('admin') });
    const page = await signIn(h, manager);
    const res = await page.post(`/admin/users/${admin.id}/profile`, { username: admin.username, email: nextEmail('x'), kind: admin.kind });
    expect(res.status).to.equal(403);
    expect(res.text).to.include('holds permissions you do not');
    const events = (await h.services.audit.recent(50)).filter((e) => e.action === 'access.refused');
    expect(events).to.have.length(1);
    expect(events[0]).to.deep.include({ actorLabel: manager.username, source: 'admin' });
    expect(events[0]!.target).to.include({ type: 'user', id: admin.id });
    expect(events[0]!.details).to.include({ change: 'email' });
  });
});
