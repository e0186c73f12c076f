// Sign-ins and directory runs are counted from the audit events they already write, so
// the services that make them know nothing of metrics. An event counts once its
// transaction commits (a rolled-back change did not happen).
import type { AuditObserver } from '../audit/audit-service.js';
import type { AuditAction } from '../audit/audit-actions.js';
import type { TransactionRunner } from '../db/transaction-runner.js';
import { RUN_COUNTERS } from '../directory/directory-models.js';
import type { GatehouseMetrics } from './gatehouse-metrics.js';

/** The throttle's and the sign-in service's reasons, in the words an operator alerts on. */
const SIGN_IN_FAILURES: Record<string, string> = {
  wrong_password: 'wrong_password',
  unknown_account: 'unknown_account',
  account_delay: 'throttled',
  ip_limit: 'throttled',
  account_locked: 'locked',
  wrong_totp: 'totp_failed',
};

const DIRECTORY_RUNS: Partial<Record<AuditAction, { kind: 'ldap' | 'csv'; outcome: 'completed' | 'failed' }>> = {
  'directory.sync_completed': { kind: 'ldap', outcome: 'completed' },
  'directory.sync_failed': { kind: 'ldap', outcome: 'failed' },
  'directory.import_completed': { kind: 'csv', outcome: 'completed' },
  'directory.import_failed': { kind: 'csv', outcome: 'failed' },
};

function signInOutcome(action: AuditAction, details: Record<string, unknown>): string | null {
  if (action === 'signin.succeeded') return 'success';
  if (action !== 'signin.failed') return null;
  // A signed-in person confirming their password before a sensitive change is not a sign-in.
  if (details.step !== undefined) return null;
  const reason = String(details.reason ?? '');
  if (reason.startsWith('status_')) return 'inactive';
  return SIGN_IN_FAILURES[reason] ?? 'other';
}

export function auditMetrics(metrics: GatehouseMetrics, transactions: TransactionRunner): AuditObserver {
  return async (ctx, action, _target, details = {}) => {
    const count: Array<() => void> = [];
    const outcome = signInOutcome(action, details);
    if (outcome) count.push(() => metrics.signIns.inc({ outcome }));
    const run = DIRECTORY_RUNS[action];
    if (run) {
      count.push(() => metrics.directoryRuns.inc(run));
      // A run's audit details carry its counters (created, updated, …).
      for (const key of RUN_COUNTERS) {
        const n = details[key];
        if (typeof n === 'number' && n > 0) count.push(() => metrics.directoryRows.inc({ kind: run.kind, outcome: key }, n));
      }
    }
    if (!count.length) return;
    const all = () => count.forEach((c) => c());
    if (ctx.transaction) transactions.onCommit(ctx.transaction, all);
    else all();
  };
}
