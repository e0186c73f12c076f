// POST /.search at the root (RFC 7644 §3.4.3): Users then Groups, one page over both. A
// filter naming an attribute one type lacks selects nothing of that type; a sortBy one type
// lacks leaves that type in its default order.
import type { ScimCall } from './context.js';
import { ScimError } from './errors.js';
import type { ResourceResult } from './http/responses.js';
import type { ListParams } from './list/list-params.js';
import { listResponse } from './list/list-response.js';
import { listUsers } from './users/user-handlers.js';
import { listGroups } from './groups/group-handlers.js';

type Lister = (call: ScimCall, params: ListParams) => Promise<ResourceResult>;

interface ListBody {
  totalResults: number;
  Resources: object[];
}

async function tryList(list: Lister, call: ScimCall, params: ListParams): Promise<ListBody | ScimError> {
  try {
    return (await list(call, params)).body as ListBody;
  } catch (err) {
    if (!(err instanceof ScimError) || err.status !== 400) throw err;
    if (err.scimType === 'invalidValue' && params.sortBy) return tryList(list, call, { ...params, sortBy: undefined, descending: false });
    return err;
  }
}

export async function searchAll(call: ScimCall, params: ListParams): Promise<ResourceResult> {
  const probe = { ...params, startIndex: 1, count: 0 };
  const [users, groups] = [await tryList(listUsers, call, probe), await tryList(listGroups, call, probe)];
  if (users instanceof ScimError && groups instanceof ScimError) throw users;
  const userTotal = users instanceof ScimError ? 0 : users.totalResults;
  const groupTotal = groups instanceof ScimError ? 0 : groups.totalResults;
  const resources: object[] = [];
  const start = params.startIndex;
  const userCount = Math.max(0, Math.min(params.count, userTotal - start + 1));
  if (userCount > 0) resources.push(...((await tryList(listUsers, call, { ...params, count: userCount })) as ListBody).Resources);
  const groupCount = params.count - resources.length;
  const groupStart = Math.max(1, start - userTotal);
  if (groupCount > 0 && groupTotal >= groupStart && !(groups instanceof ScimError)) {
    resources.push(...((await tryList(listGroups, call, { ...params, startIndex: groupStart, count: groupCount })) as ListBody).Resources);
  }
  return { status: 200, body: listResponse(resources, userTotal + groupTotal, start) };
}
