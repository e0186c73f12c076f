// The CLI (`npm run cli`) as a real child process against a suite's database, in its own
// process group so a test can kill it midway (tsx and the node process it runs together).
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

export interface CliProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(): void;
}

export interface CliOptions {
  /** VAR_DIR of the run (default: the system's temporary directory). */
  varDir?: string;
  /** What to run instead of `tsx src/cli/main.ts` here (e.g. the compiled CLI of a build). */
  entry?: { command: string; args: string[]; cwd: string };
  /** More environment (e.g. COOKIE_KEYS shared with running servers). */
  env?: Record<string, string>;
}

/**
 * A minimal environment: the CLI's configuration comes only from what is given here.
 * stderr drops known noise that is not the CLI's own output: npx's warning about the
 * machine's npm configuration and oidc-provider's runtime notice on Node 20 (it works).
 */
export function spawnCli(databaseUrl: string, args: string[], options: CliOptions = {}): CliProcess {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.homedir(), DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', VAR_DIR: options.varDir ?? os.tmpdir(), ...options.env };
  const entry = options.entry ?? { command: TSX, args: ['src/cli/main.ts'], cwd: ROOT };
  const child = spawn(entry.command, [...entry.args, ...args], { cwd: entry.cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    stdout: () => out,
    stderr: () => err.replace(/^(npm warn |oidc-provider WARNING: Unsupported runtime).*\n/gm, ''),
    exited,
    kill: () => {
      if (child.pid === undefined || child.exitCode !== null) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // gone already
      }
    },
  };
}

/** Runs a CLI command to its end. */
export async function runCli(databaseUrl: string, args: string[], options: CliOptions = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cli = spawnCli(databaseUrl, args, options);
  const { code } = await cli.exited;
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}
