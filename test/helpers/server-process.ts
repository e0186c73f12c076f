// Runs the real `npm start` entry (tsx src/server.ts, as package.json's start script) — or
// another entry, such as the compiled one — in a child process with a chosen environment,
// collecting its JSON log lines and stderr.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitUntil } from './wait.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TSX = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');

export interface ServerProcess {
  child: ChildProcess;
  /** Parsed JSON lines from stdout (pino); non-JSON stdout lines are kept as { msg }. */
  logs: Array<Record<string, unknown>>;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  hasExited(): boolean;
  waitForLog(msg: string | RegExp, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Kills the whole process group (cleanup after a failed test). */
  kill(): void;
}

/** What to run: by default `npm start`'s `tsx src/server.ts` in this repository. */
export interface ServerEntry {
  command: string;
  args: string[];
  cwd: string;
}

export const SOURCE_ENTRY: ServerEntry = { command: TSX, args: ['src/server.ts'], cwd: REPO_ROOT };

/**
 * Starts the server with only the given environment (plus PATH and HOME), so nothing from
 * the developer's shell changes what the server sees.
 */
export function spawnServer(env: Record<string, string>, entry: ServerEntry = SOURCE_ENTRY): ServerProcess {
  const child = spawn(entry.command, entry.args, {
    cwd: entry.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so a failed test can kill tsx and the node process it runs.
    detached: true,
  });
  let out = '';
  let err = '';
  let pending = '';
  const logs: Array<Record<string, unknown>> = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.trim()) continue;
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        logs.push({ msg: line });
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      done = true;
      resolve({ code, signal });
    }),
  );
  const matches = (l: Record<string, unknown>, msg: string | RegExp) => (typeof msg === 'string' ? l.msg === msg : msg.test(String(l.msg ?? '')));
  return {
    child,
    logs,
    stdout: () => out,
    stderr: () => err,
    exited,
    hasExited: () => done,
    async waitForLog(msg, timeoutMs = 60_000) {
      await waitUntil(() => {
        if (done && !logs.some((l) => matches(l, msg))) throw new Error(`server exited before logging ${msg}:\n${out}\n${err}`);
        return logs.some((l) => matches(l, msg));
      }, `server log line ${msg}`, timeoutMs);
      return logs.find((l) => matches(l, msg))!;
    },
    kill: () => {
      if (done || child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    },
  };
}
