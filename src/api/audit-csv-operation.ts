// /audit.csv: the audit log as the Audit page exports it — the JSON list's filters, every
// matching event newest first, streamed batch by batch, CSV-injection safe, and the export
// itself audited.
import { parseAuditFilter } from '../audit/audit-filter.js';
import { writeAuditCsv } from '../audit/audit-csv.js';
import { auditFilterProperties } from './audit-operations.js';
import type { Operation } from './operation.js';

export const auditCsvOperation: Operation = {
  method: 'get', path: '/audit.csv', operationId: 'exportAuditEvents', tag: 'Audit', scope: 'api:audit.read',
  summary: 'Audit events as CSV',
  description: 'Every event the filters match (as GET /audit), newest first, streamed. A cell starting with = + - @, a tab or a carriage return gets a leading apostrophe so spreadsheets never run it. The export is audited.',
  query: { type: 'object', additionalProperties: false, properties: auditFilterProperties },
  responses: { 200: { description: 'CSV with a header row: time, actor, actor_id, action, target_type, target_id, target, details, source, ip', contentType: 'text/csv', schema: { type: 'string' } } },
  async handler({ services, ctx, query }) {
    const filter = parseAuditFilter(query as Record<string, string | undefined>);
    await services.auditLog.recordExport(ctx, filter);
    const stamp = services.clock.now().toISOString().slice(0, 10);
    return {
      status: 200,
      headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="audit-log-${stamp}.csv"` },
      stream: (out) => writeAuditCsv(services.auditLog.all(ctx, filter), out),
    };
  },
};
