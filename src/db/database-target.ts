// What opening a database needs, as plain values: which server and how long to wait on
// it. The shell hands them over (from the configuration, or a test its own), so the
// database layer never depends on how they were read.

export type Dialect = 'sqlite' | 'mysql';

export type DatabaseTarget =
  | { dialect: 'sqlite'; storage: string; url: string }
  /** `hosts`: the servers named, in order of preference (one, or the nodes of a cluster). */
  | { dialect: 'mysql'; url: string; hosts: Array<{ host: string; port: number }> };

/** Bounds on waiting: one statement's answer or another process's write lock, and a free pooled connection. */
export interface DatabaseTimeouts {
  statementMs: number;
  acquireMs: number;
}
