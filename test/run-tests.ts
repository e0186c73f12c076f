// `npm test`: runs every *.test.ts under test/ with mocha (through tsx) and ends with the
// one line CI reads: "N passed, N failed, N skipped".
import path from 'node:path';
import fs from 'node:fs';
import Mocha from 'mocha';

function findTests(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'bench' || entry.name === 'artifacts' ? [] : findTests(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

const root = path.dirname(new URL(import.meta.url).pathname);
const filter = process.argv.slice(2);
const files = findTests(root)
  .filter((f) => filter.length === 0 || filter.some((needle) => f.includes(needle)))
  .sort();

const mocha = new Mocha({ reporter: 'spec', timeout: 60_000, slow: 2_000 });
files.forEach((f) => mocha.addFile(f));
await mocha.loadFilesAsync();

const runner = mocha.run((failures) => {
  const { passes = 0, failures: failed = 0, pending = 0 } = runner.stats ?? {};
  process.stdout.write(`\n${passes} passed, ${failed} failed, ${pending} skipped\n`);
  // Open handles (pools, servers) must not keep a finished run alive.
  setTimeout(() => process.exit(failures ? 1 : 0), 100).unref();
  process.exitCode = failures ? 1 : 0;
});
