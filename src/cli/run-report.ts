// Prints a sync or import run for the CLI: its counters, warnings, and the rows that need
// reading (blocked, failed, invalid), like the report page.
import type { Services } from '../services.js';
import type { RunView } from '../directory/sync-report.js';

const SHOWN_ROWS = 50;

export async function formatRun(services: Services, run: RunView): Promise<string> {
  const lines = [
    `${run.kind === 'ldap' ? 'LDAP sync' : `CSV import${run.fileName ? ` of ${run.fileName}` : ''}`} ${run.status} (run ${run.id})`,
    `  processed ${run.processed}${run.total ? ` of ${run.total}` : ''}: created ${run.created}, updated ${run.updated}, reactivated ${run.reactivated}, deactivated ${run.deactivated}, unchanged ${run.unchanged}, blocked by seats ${run.blocked}, failed ${run.failed}${run.kind === 'csv' ? `, invalid ${run.invalid}` : ''}`,
  ];
  if (run.message) lines.push(`  ${run.message}`);
  for (const w of run.warnings) lines.push(`  warning: ${w}`);
  const { rows, total } = await services.directory.runs.rows(run.id, { phase: 'result', outcomes: ['blocked', 'failed', 'invalid'], limit: SHOWN_ROWS });
  for (const r of rows) lines.push(`  ${run.kind === 'csv' ? `line ${r.position}` : `#${r.position}`} ${r.outcome}: ${r.label ?? ''} — ${r.message ?? ''}`);
  if (total > rows.length) lines.push(`  … and ${total - rows.length} more; see /admin/directory/runs/${run.id}`);
  return lines.join('\n');
}
