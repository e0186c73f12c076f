// A scheduler of access end dates as another process would run it: its own lease holder
// and its own reminder sender, over the harness's database and clock.
import { AccessEndReminders } from '../../src/users/access-end-reminders.js';
import { AccessEndScheduler } from '../../src/users/access-end-scheduler.js';
import { DirectoryLease } from '../../src/directory/lease.js';
import type { Harness } from '../helpers/harness.js';

export const DAY_MS_FOR_TESTS = 86_400_000;

export function scheduler(h: Harness): AccessEndScheduler {
  const s = h.services;
  const reminders = new AccessEndReminders(s.models, s.users, s.roles, s.outbox, s.settings, s.audit, h.clock, s.db.transactions, h.config.publicUrl);
  return new AccessEndScheduler(s.accessEnds, reminders, new DirectoryLease(s.models, h.clock), s.logger);
}
