// Processes that race each other in a test (two Gatehouse processes on one database): each
// child opens what it needs, says "ready", waits for a "go" line on stdin so all start
// together, and ends by printing one JSON line with its outcome.
import { spawn } from 'node:child_process';
import readline from 'node:readline';

/** In the parent: starts `npx tsx script …args` in `cwd` and resolves once it is ready; `go()` starts it and resolves with its JSON line. */
export async function startOnGo<T>(script: string, args: string[], cwd: string): Promise<{ go(): Promise<T> }> {
  const child = spawn('npx', ['tsx', script, ...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<T>((resolve, reject) => {
    child.on('exit', (code) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{')) reject(new Error(`${script} exited ${code}: ${stderr || stdout}`));
      else resolve(JSON.parse(last) as T);
    });
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes('ready\n')) resolve();
    });
    done.catch(reject);
  });
  return {
    go: () => {
      child.stdin.write('go\n');
      return done;
    },
  };
}

/** In the child: says "ready" and waits for the parent's "go". */
export async function readyThenWaitForGo(): Promise<void> {
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => {
    const lines = readline.createInterface({ input: process.stdin });
    lines.on('line', (line) => {
      if (line.trim() === 'go') {
        lines.close();
        resolve();
      }
    });
  });
}
