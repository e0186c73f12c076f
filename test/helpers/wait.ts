// Waiting for something asynchronous to happen (a worker delivering, a process logging).
// The timeout only bounds a hung test; nothing asserts how long it took: speed is
// measured by the benches against a same-run baseline, never inside a test.
export async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000, everyMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
