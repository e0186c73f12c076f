// Where a page session was started (the browser's User-Agent and the client IP, both capped
// and shown to the person only as hints: never an identity), and the seat pool (kind) of
// each row of a directory run's preview and report.
import type { QueryInterface } from 'sequelize';
import { str, type Migration } from './columns.js';

export const migration: Migration = {
  name: '023-session-devices-and-row-kinds',
  async up(qi: QueryInterface) {
    await qi.addColumn('web_sessions', 'user_agent', str(255));
    // An IPv6 address with a zone fits in 64 characters.
    await qi.addColumn('web_sessions', 'ip', str(64));
    await qi.addColumn('directory_run_rows', 'kind', str(16));
  },
  async down(qi: QueryInterface) {
    await qi.removeColumn('directory_run_rows', 'kind');
    await qi.removeColumn('web_sessions', 'ip');
    await qi.removeColumn('web_sessions', 'user_agent');
  },
};
