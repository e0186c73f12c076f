// /audit: the audit log as the Audit page filters it (actor, action, target, a range of
// whole UTC days), newest first, cursor paged (AuditLog.search).
import { parseAuditFilter } from '../audit/audit-filter.js';
import { auditEventSchema, cursorParam, limitParam, pageOf } from './api-schemas.js';
import { presentAuditEvent } from './api-presenters.js';
import { decodeApiCursor, encodeApiCursor, signatureOf } from './api-cursor.js';
import type { Operation } from './operation.js';

const day = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };

/** The Audit page's filters, as query parameters (the CSV export takes the same). */
export const auditFilterProperties = { actor: { type: 'string', maxLength: 255 }, action: { type: 'string', maxLength: 64 }, target: { type: 'string', maxLength: 320 }, from: day, to: day };

export const auditOperations: Operation[] = [
  {
    method: 'get', path: '/audit', operationId: 'listAuditEvents', tag: 'Audit', scope: 'api:audit.read',
    summary: 'Audit events, newest first', description: 'actor and target match part of the label or the exact id; from and to are whole UTC days (to included).',
    query: {
      type: 'object', additionalProperties: false,
      properties: { ...auditFilterProperties, limit: limitParam(500), cursor: cursorParam },
    },
    responses: { 200: { description: 'One page', schema: pageOf(auditEventSchema, false) } },
    async handler({ services, ctx, query }) {
      const q = query as { actor?: string; action?: string; target?: string; from?: string; to?: string; limit?: number; cursor?: string };
      const filter = parseAuditFilter({ actor: q.actor, action: q.action, target: q.target, from: q.from, to: q.to });
      const limit = q.limit ?? 50;
      const signature = signatureOf({ actor: q.actor, action: q.action, target: q.target, from: q.from, to: q.to, limit });
      const before = decodeApiCursor(signature, q.cursor);
      const page = await services.auditLog.search(ctx, filter, before === null ? {} : { before }, limit);
      return { status: 200, body: { items: page.items.map(presentAuditEvent), next: page.olderThan === null ? null : encodeApiCursor(signature, page.olderThan) } };
    },
  },
];
