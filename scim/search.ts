// POST /.search at the root (RFC 7644 §3.4.3): Users then Groups, one page over both. An
// attribute one type lacks is absent on its resources (so `displayName sw "s" or userName
// eq "zed"` finds groups and users), but every attribute must exist in one of them; a
// sortBy one type lacks leaves that type in its default order.
import type { ScimCall } from './context.js';
import { invalidFilter, ScimError } from './errors.js';
import { filterPaths, pathText } from './filter/filter-ast.js';
import { resolveTop } from './filter/resolve-attribute.js';
import type { ResourceResult } from './http/responses.js';
import type { ListParams } from './list/list-params.js';
import { listResponse } from './list/list-response.js';
import { listUsers } from './users/user-handlers.js';
import { listGroups } from './groups/group-handlers.js';
import { USER_ATTRIBUTES } from './users/user-attributes.js';
import { GROUP_ATTRIBUTES } from './groups/group-attributes.js';

type Lister = (call: ScimCall, params: ListParams) => Promise<ResourceResult>;

interface ListBody {
  totalResults: number;
  Resources: object[];
}

async function list(lister: Lister, call: ScimCall, params: ListParams): Promise<ListBody> {
  try {
    return (await lister(call, params)).body as ListBody;
  } catch (err) {
    if (err instanceof ScimError && err.scimType === 'invalidValue' && params.sortBy) return list(lister, call, { ...params, sortBy: undefined, descending: false });
    throw err;
  }
}

/** Each attribute the filter names must exist in at least one resource type. */
function checkKnown(params: ListParams): void {
  for (const path of params.filter ? filterPaths(params.filter) : []) {
    const known = [USER_ATTRIBUTES, GROUP_ATTRIBUTES].some((type) => {
      try {
        resolveTop(type, path);
        return true;
      } catch {
        return false;
      }
    });
    if (!known) throw invalidFilter(`Unknown attribute "${pathText(path)}" for Users and Groups.`);
  }
}

export async function searchAll(call: ScimCall, searched: ListParams): Promise<ResourceResult> {
  checkKnown(searched);
  const params = { ...searched, unknownAsAbsent: true };
  const probe = { ...params, startIndex: 1, count: 0 };
  const userTotal = (await list(listUsers, call, probe)).totalResults;
  const groupTotal = (await list(listGroups, call, probe)).totalResults;
  const resources: object[] = [];
  const start = params.startIndex;
  const userCount = Math.max(0, Math.min(params.count, userTotal - start + 1));
  if (userCount > 0) resources.push(...(await list(listUsers, call, { ...params, count: userCount })).Resources);
  const groupCount = params.count - resources.length;
  const groupStart = Math.max(1, start - userTotal);
  if (groupCount > 0 && groupTotal >= groupStart) resources.push(...(await list(listGroups, call, { ...params, startIndex: groupStart, count: groupCount })).Resources);
  return { status: 200, body: listResponse(resources, userTotal + groupTotal, start) };
}
