// What every benchmark script needs besides its measurements: knobs read from flags or the
// environment (a benchmark is a script run by hand or by CI, not the application, so it reads
// them itself), a throwaway MariaDB/MySQL schema, a mail transport that drops everything, and
// the median of repeated rounds.
import mysql from 'mysql2/promise';
import type { MailTransport } from '../../src/mail/transport.js';

/** A knob's value: `raw` when given (a whole number of 1 or more, or any number above 0 with `fractional`), else `fallback`. */
export function positive(name: string, raw: string | undefined, fallback: number, options: { fractional?: boolean } = {}): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (options.fractional ? !(n > 0) : !Number.isInteger(n) || n < 1) {
    throw new Error(`${name} must be ${options.fractional ? 'a number above 0' : 'a whole number of 1 or more'}, got "${raw}"`);
  }
  return n;
}

/** The MariaDB/MySQL server a benchmark runs on (BENCH_MYSQL_URL or TEST_MYSQL_URL), or exits saying how to set it. */
export function requireServerUrl(script: string): string {
  const url = process.env.BENCH_MYSQL_URL || process.env.TEST_MYSQL_URL;
  if (url) return url;
  process.stderr.write(
    `${script} needs MariaDB/MySQL: set BENCH_MYSQL_URL or TEST_MYSQL_URL,\n` +
      `  e.g. TEST_MYSQL_URL=mysql://gatehouse:gatehouse@127.0.0.1:3306/gatehouse_test npm run ${script}\n`,
  );
  process.exit(1);
}

export const noMail: MailTransport = { send: async () => undefined, close: () => undefined };

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** A fresh schema `<database>_<suffix>_<pid>` on the server of `serverUrl`, and how to drop it. */
export async function createBenchSchema(serverUrl: string, suffix: string): Promise<{ url: string; version: string; drop(): Promise<void> }> {
  const base = new URL(serverUrl);
  const name = `${base.pathname.slice(1) || 'gatehouse'}_${suffix}_${process.pid}`.slice(0, 64);
  const root = new URL(base.toString());
  root.pathname = '/';
  const admin = await mysql.createConnection({ uri: root.toString() });
  await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const [[row]] = (await admin.query('SELECT VERSION() AS v')) as unknown as [[{ v: string }]];
  await admin.end();
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    version: row.v,
    drop: async () => {
      const conn = await mysql.createConnection({ uri: root.toString() });
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await conn.end();
    },
  };
}
