// The application's parts and which part may import which (docs/architecture.md explains
// them). A file's part is decided by its path alone, so a new file is checked the moment it
// exists; what a rule forbids is reported file by file, and import cycles as the files
// that form them.
import type { ImportEdge } from './import-graph.js';

export type Part = 'config' | 'migrations' | 'domain' | 'kit' | 'pages' | 'oidc' | 'scim' | 'api' | 'shell' | 'outside';

/** The shell: start-up, wiring and the command line, the one part that may import every other. */
const SHELL_FILES = new Set(['src/server.ts', 'src/gatehouse.ts', 'src/app.ts', 'src/services.ts', 'src/listen.ts']);

export function partOf(file: string): Part {
  if (file.startsWith('config/')) return 'config';
  if (file.startsWith('migrations/')) return 'migrations';
  if (file.startsWith('oidc/')) return 'oidc';
  if (file.startsWith('scim/')) return 'scim';
  if (file.startsWith('src/api/')) return 'api';
  if (file.startsWith('src/web/')) return 'pages';
  if (file.startsWith('src/http/')) return 'kit';
  if (SHELL_FILES.has(file) || file.startsWith('src/cli/')) return 'shell';
  if (file.startsWith('src/')) return 'domain';
  return 'outside';
}

interface Allowance {
  part: Part;
  /** Only `import type` (the shell's Services record, which every router is handed). */
  typesOnly?: boolean;
}

const EDGE_ALLOWANCES: readonly Allowance[] = [{ part: 'kit' }, { part: 'domain' }, { part: 'config' }, { part: 'shell', typesOnly: true }];

/** What each part may import besides itself. Anything not listed is a violation. */
export const MAY_IMPORT: Readonly<Record<Part, readonly Allowance[]>> = {
  // The only reader of the environment; it depends on nothing of the application.
  config: [],
  // Frozen: a migration must write tomorrow what it wrote the day it shipped.
  migrations: [],
  // Decides; knows no protocol, page, shell or configuration. The migrator runs migrations.
  domain: [{ part: 'migrations' }],
  // The HTTP pieces pages and OIDC interaction pages share (layout, cookies, request context).
  kit: [{ part: 'domain' }],
  // Pages and protocol edges translate between HTTP and the domain, never through each other.
  pages: EDGE_ALLOWANCES,
  oidc: EDGE_ALLOWANCES,
  scim: EDGE_ALLOWANCES,
  api: EDGE_ALLOWANCES,
  shell: ['config', 'migrations', 'domain', 'kit', 'pages', 'oidc', 'scim', 'api'].map((part) => ({ part: part as Part })),
  outside: [],
};

/** An import a rule forbids, as `from -> to`. */
export function forbiddenImports(edges: readonly ImportEdge[]): string[] {
  const found = new Set<string>();
  for (const edge of edges) {
    const from = partOf(edge.from);
    const to = partOf(edge.to);
    if (from === to || to === 'outside' || from === 'outside') continue;
    const allowed = MAY_IMPORT[from].some((a) => a.part === to && (!a.typesOnly || edge.typeOnly));
    if (!allowed) found.add(`${edge.from} -> ${edge.to}`);
  }
  return [...found].sort();
}

/**
 * Import cycles (type-only imports included: a cycle of types still means neither file can
 * be read or changed without the other). Each is its files, sorted, joined by " <-> ".
 */
export function importCycles(edges: readonly ImportEdge[]): string[] {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  // Tarjan's strongly connected components; a component of two or more files is a cycle.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[] = [];
  const visit = (file: string): void => {
    index.set(file, counter);
    low.set(file, counter);
    counter++;
    stack.push(file);
    onStack.add(file);
    for (const to of next.get(file) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(file, Math.min(low.get(file)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(file, Math.min(low.get(file)!, index.get(to)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    const selfImport = component.length === 1 && (next.get(file) ?? []).includes(file);
    if (component.length > 1 || selfImport) cycles.push(component.sort().join(' <-> '));
  };
  for (const file of next.keys()) if (!index.has(file)) visit(file);
  return cycles.sort();
}
