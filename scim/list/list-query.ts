// Runs a list in the database: the total matching the filter, then one page of ids in the
// requested order (an id-only query the (created_at, id) index covers, so a deep startIndex
// skips index entries, not rows); the caller loads and presents just that page. A
// resource's FROM may name :connectionId, the caller's provisioning connection (a User's
// externalId is the calling connection's only), and its columns :usersLocation, the URI a
// User's id is appended to in a reference (a Group member's $ref).
import type { Models } from '../../src/db/models.js';
import type { Dialect } from '../../src/db/database.js';
import type { Context } from '../../src/context.js';
import type { ResourceAttributes } from '../filter/attribute-map.js';
import { filterToSql } from '../filter/filter-to-sql.js';
import { sortToSql } from '../filter/sort-to-sql.js';
import type { ListParams } from './list-params.js';
import { userLocation } from '../users/user-mapper.js';

export interface PageOfIds {
  total: number;
  ids: string[];
}

export async function queryPage(models: Models, dialect: Dialect, resource: ResourceAttributes, params: ListParams, ctx?: Context, baseUrl = ''): Promise<PageOfIds> {
  const filter = params.filter ? filterToSql(params.filter, resource, dialect, { unknownAsAbsent: params.unknownAsAbsent }) : { sql: '1=1', replacements: {} };
  const where = { sql: filter.sql, replacements: { ...filter.replacements, connectionId: ctx?.connectionId ?? null, usersLocation: userLocation(baseUrl, '') } };
  const order = sortToSql(resource, params.sortBy, params.descending, dialect);
  const [row] = await models.sequelizeQuery<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${resource.from} WHERE ${where.sql}`, where.replacements, ctx);
  const total = Number(row?.n ?? 0);
  const offset = params.startIndex - 1;
  if (params.count === 0 || offset >= total) return { total, ids: [] };
  const rows = await models.sequelizeQuery<{ id: string }>(
    `SELECT ${resource.idColumn} AS id FROM ${resource.from} WHERE ${where.sql} ORDER BY ${order} LIMIT ${Number(params.count)} OFFSET ${Number(offset)}`,
    where.replacements,
    ctx,
  );
  return { total, ids: rows.map((r) => r.id) };
}
