// Reading a Prometheus text exposition in tests: one sample's value by name and labels.

/** The value of the sample `name{labels}` (labels compared exactly, in any order), or 0 when absent. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const found: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) found[l[1]!] = l[2]!;
    const keys = Object.keys(labels);
    if (keys.length === Object.keys(found).length && keys.every((k) => found[k] === labels[k])) return Number(m[3]);
  }
  return 0;
}

/** Whether any sample of `name` exists. */
export function hasMetric(text: string, name: string): boolean {
  return text.split('\n').some((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
}
