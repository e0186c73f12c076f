// Calls run in lanes with their latencies kept, summarised as a rate, percentiles and CPU per
// call: shared by bench:scim and the client process it drives.
import { performance } from 'node:perf_hooks';

export interface Stats {
  n: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** Process CPU time (user + system) per call, in ms. */
  cpu: number;
}

export function stats(latencies: number[], wallMs: number, cpu: NodeJS.CpuUsage): Stats {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { n: sorted.length, perSecond: (sorted.length / wallMs) * 1000, p50: at(0.5), p99: at(0.99), cpu: (cpu.user + cpu.system) / 1000 / sorted.length };
}

/** Runs `count` calls of `work(i)` with `concurrency` in flight; returns latencies and wall time. */
export async function run(count: number, concurrency: number, work: (i: number) => Promise<void>): Promise<Stats> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) {
        const t = performance.now();
        await work(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return stats(latencies, performance.now() - started, process.cpuUsage(cpu));
}
