// The architecture rules on small made-up import graphs: that they forbid what they should
// and let through what they should, so the check on the real code means something.
import { expect } from 'chai';
import { importsOf, type ImportEdge } from './import-graph.js';
import { forbiddenImports, importCycles, partOf } from './architecture-rules.js';

const edge = (from: string, to: string, typeOnly = false): ImportEdge => ({ from, to, typeOnly });

describe('architecture rules', () => {
  it('places files in their part by path', () => {
    expect(['config/index.ts', 'migrations/002-accounts.ts', 'src/seats/seat-service.ts', 'src/web/layout.ts', 'src/http/cookies.ts', 'oidc/provider.ts', 'scim/router.ts', 'src/api/api-router.ts', 'src/services.ts', 'src/cli/main.ts'].map(partOf)).to.deep.equal([
      'config',
      'migrations',
      'domain',
      'pages',
      'kit',
      'oidc',
      'scim',
      'api',
      'shell',
      'shell',
    ]);
  });

  it('forbids the domain any page, edge, kit, shell or configuration, even for types', () => {
    const edges = ['src/web/layout.ts', 'oidc/provider.ts', 'scim/router.ts', 'src/api/api-router.ts', 'src/http/cookies.ts', 'src/services.ts', 'config/index.ts'].map((to) => edge('src/seats/seat-service.ts', to, true));
    expect(forbiddenImports(edges)).to.have.length(edges.length);
  });

  it('forbids migrations anything of the application but other migrations', () => {
    expect(forbiddenImports([edge('migrations/002-accounts.ts', 'src/roles/permission-catalogue.ts'), edge('migrations/002-accounts.ts', 'migrations/columns.ts')])).to.deep.equal([
      'migrations/002-accounts.ts -> src/roles/permission-catalogue.ts',
    ]);
  });

  it('forbids pages and protocol edges one another; lets them use the kit, the domain and the shell’s types', () => {
    expect(
      forbiddenImports([
        edge('oidc/provider.ts', 'src/web/layout.ts'),
        edge('src/web/home-page.ts', 'scim/router.ts'),
        edge('scim/router.ts', 'src/api/api-router.ts', true),
        edge('oidc/provider.ts', 'src/http/layout.ts'),
        edge('scim/router.ts', 'src/users/user-service.ts'),
        edge('src/web/home-page.ts', 'src/services.ts', true),
        edge('src/web/home-page.ts', 'src/app.ts'),
      ]),
    ).to.deep.equal(['oidc/provider.ts -> src/web/layout.ts', 'scim/router.ts -> src/api/api-router.ts', 'src/web/home-page.ts -> scim/router.ts', 'src/web/home-page.ts -> src/app.ts']);
  });

  it('lets the shell import every part', () => {
    expect(forbiddenImports(['config/index.ts', 'src/web/layout.ts', 'oidc/index.ts', 'scim/router.ts', 'src/db/database.ts'].map((to) => edge('src/services.ts', to)))).to.deep.equal([]);
  });

  it('finds import cycles, type-only ones included, and not a chain', () => {
    const cycle = [edge('src/a.ts', 'src/b.ts'), edge('src/b.ts', 'src/c.ts', true), edge('src/c.ts', 'src/a.ts', true)];
    expect(importCycles([...cycle, edge('src/c.ts', 'src/d.ts'), edge('src/e.ts', 'src/a.ts')])).to.deep.equal(['src/a.ts <-> src/b.ts <-> src/c.ts']);
    expect(importCycles([edge('src/a.ts', 'src/b.ts'), edge('src/b.ts', 'src/c.ts')])).to.deep.equal([]);
  });

  it('reads every form of import, telling type-only ones apart', () => {
    const source = [
      "import a from './a.js';",
      "import type { B } from './b.js';",
      "import { type C } from './c.js';",
      "import { type D, d } from './d.js';",
      "export { e } from './e.js';",
      "export type { F } from './f.js';",
      "type G = import('./g.js').G;",
      "const h = await import('./h.js');",
      "import './i.js';",
    ].join('\n');
    expect(importsOf('x.ts', source)).to.deep.equal([
      { specifier: './a.js', typeOnly: false },
      { specifier: './b.js', typeOnly: true },
      { specifier: './c.js', typeOnly: true },
      { specifier: './d.js', typeOnly: false },
      { specifier: './e.js', typeOnly: false },
      { specifier: './f.js', typeOnly: true },
      { specifier: './g.js', typeOnly: true },
      { specifier: './h.js', typeOnly: false },
      { specifier: './i.js', typeOnly: false },
    ]);
  });
});
