// How an audit event's target reads in words, the same on the audit page and in its CSV:
// a target that no longer exists is marked, so an export read later is not misleading.
import type { AuditEntry } from './audit-log.js';

const DELETED: Record<string, string> = { user: 'deleted user', role: 'deleted role', client: 'deleted application' };

export function targetText(e: AuditEntry): string {
  if (!e.target) return '';
  const name = e.target.label ?? e.target.id;
  if (e.targetDeleted) return `${DELETED[e.target.type] ?? `deleted ${e.target.type}`} (${name})`;
  return `${e.target.type}: ${name}`;
}
