// A Group PATCH (RFC 7644 §3.5.2) translated into one rename and one membership change,
// applied in order, so large member batches never load or rewrite the whole group. Handles
// what Entra ID and Okta send: "Add"/"Remove" with path "members" and a list of {value},
// 'members[value eq "…"]' removals, no-path replaces carrying {id, displayName} (Okta
// repeats the id), and Entra's `members` removal with a value list.
import type { MembershipChange, RoleMember } from '../../src/roles/role-membership.js';
import { invalidPath, invalidValue, mutability } from '../errors.js';
import { GROUP_URN } from '../urns.js';
import type { Json } from '../users/user-mapper.js';
import { matchesElement } from '../patch/element-match.js';
import { parsePatchPath, type PatchPath } from '../patch/patch-path.js';
import type { PatchOpName, PatchOperation } from '../patch/patch-request.js';
import { memberIds } from './group-mapper.js';

export interface GroupPatchPlan {
  rename: string | null;
  /** The calling connection's new externalId (null: removed); undefined: unchanged. */
  externalId: string | null | undefined;
  change: Required<Pick<MembershipChange, 'add' | 'remove'>> & { set: string[] | null };
}

const CASE_EXACT_MEMBER_SUBS = new Set(['value']);

export async function planGroupPatch(groupId: string, ops: PatchOperation[], loadMembers: () => Promise<RoleMember[]>): Promise<GroupPatchPlan> {
  let rename: string | null = null;
  let externalId: string | null | undefined;
  let set: Set<string> | null = null;
  const add = new Set<string>();
  const remove = new Set<string>();
  const adding = (ids: string[]) => ids.forEach((id) => (remove.delete(id), add.add(id), set?.add(id)));
  const removing = (ids: string[]) => ids.forEach((id) => (add.delete(id), remove.add(id), set?.delete(id)));

  const applyAttribute = async (op: PatchOpName, path: PatchPath, value: unknown, where: string): Promise<void> => {
    if (path.attr.uri && path.attr.uri.toLowerCase() !== GROUP_URN.toLowerCase()) throw invalidPath(`${where}: unknown schema "${path.attr.uri}".`);
    const attr = path.attr.attr.toLowerCase();
    if (attr === 'members') {
      // A member's sub-attributes are immutable or the server's (RFC 7643 §4.2): members are
      // added and removed whole.
      if (path.attr.sub || path.valueSub) throw mutability(`${where}: a member's value, type and $ref cannot change, and its display is the server's; add or remove the member instead (path "members" or 'members[value eq "…"]').`);
      if (path.filter) {
        if (op !== 'remove') throw invalidPath(`${where}: only "remove" takes a filtered members path.`);
        removing(await matchingMembers(path, loadMembers, [...add]));
        return;
      }
      const ids = memberIds(value, where);
      if (op === 'add') adding(ids);
      else if (op === 'replace') {
        set = new Set(ids);
        add.clear();
        remove.clear();
      } else if (value === undefined) {
        set = new Set();
        add.clear();
        remove.clear();
      } else removing(ids);
      return;
    }
    if (path.filter || path.attr.sub) throw invalidPath(`${where}: "${path.text}" is not a Group attribute path.`);
    if (attr === 'displayname') {
      if (op === 'remove') throw mutability(`${where}: a group always has a displayName.`);
      if (typeof value !== 'string' || !value.trim()) throw invalidValue(`${where}: displayName must be a non-empty string.`);
      rename = value;
      return;
    }
    if (attr === 'id') {
      if (op !== 'remove' && value === groupId) return;
      throw mutability(`${where}: "id" is read-only.`);
    }
    if (attr === 'externalid') {
      if (op === 'remove') externalId = null;
      else if (typeof value === 'string') externalId = value;
      else throw invalidValue(`${where}: externalId must be a string.`);
      return;
    }
    // meta and schemas are the server's.
    if (attr === 'meta' || attr === 'schemas') return;
    throw invalidPath(`${where}: "${path.text}" is not a Group attribute Gatehouse supports.`);
  };

  for (const op of ops) {
    const where = `Operation ${op.index}`;
    if (op.path) {
      await applyAttribute(op.op, op.path, op.value, `${where} ("${op.path.text}")`);
      continue;
    }
    for (const [key, value] of Object.entries(op.value as Json)) await applyAttribute(op.op, parsePatchPath(key), value, `${where} ("${key}")`);
  }
  const finalSet: string[] | null = set ? [...(set as Set<string>)] : null;
  return { rename, externalId, change: { set: finalSet, add: finalSet ? [] : [...add], remove: finalSet ? [] : [...remove] } };
}

/** Members a filter such as 'members[value eq "…"]' selects; `value eq` needs no lookup. */
async function matchingMembers(path: PatchPath, loadMembers: () => Promise<RoleMember[]>, pendingAdds: string[]): Promise<string[]> {
  const filter = path.filter!;
  if (filter.type === 'compare' && filter.op === 'eq' && filter.path.attr.toLowerCase() === 'value' && typeof filter.value === 'string') return [filter.value];
  const members = (await loadMembers()).map((m) => ({ value: m.id, display: m.username, type: 'User' }));
  for (const id of pendingAdds) if (!members.some((m) => m.value === id)) members.push({ value: id, display: '', type: 'User' });
  return members.filter((m) => matchesElement(filter, m, CASE_EXACT_MEMBER_SUBS)).map((m) => m.value);
}
